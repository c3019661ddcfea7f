package io.corosync4j.spring.metrics;

import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.cpg.CpgListenerEndpointRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The node's meters, when Micrometer is there; Spring Boot binds them to its registry. */
@AutoConfiguration(after = { CorosyncAutoConfiguration.class, CpgAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
public final class CorosyncMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CorosyncMetrics corosyncMetrics(CorosyncNodeLifecycle lifecycle,
			ObjectProvider<CpgListenerEndpointRegistry> listeners) {
		return new CorosyncMetrics(lifecycle, listeners.getIfAvailable());
	}

}
