package io.corosync4j.spring.actuate;

import io.corosync4j.engine.sam.Sam;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncIpcLifecycle;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.CorosyncProperties;
import io.corosync4j.spring.lock.CorosyncLocks;
import io.corosync4j.spring.sam.SamAutoConfiguration;
import io.corosync4j.spring.servicegroup.CorosyncServiceGroups;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code corosync} endpoint, when Actuator is there and the endpoint is available. */
@AutoConfiguration(after = { CorosyncAutoConfiguration.class, SamAutoConfiguration.class })
@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
@ConditionalOnBean(CorosyncNodeLifecycle.class)
public final class CorosyncEndpointAutoConfiguration {

	// on the method: the condition's own class is only loaded once Actuator is known to be there
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(CorosyncEndpoint.class)
	CorosyncEndpoint corosyncEndpoint(CorosyncNodeLifecycle lifecycle, CorosyncProperties properties,
			ObjectProvider<Sam> sam, ObjectProvider<CorosyncLocks> locks,
			ObjectProvider<CorosyncServiceGroups> serviceGroups, ObjectProvider<CorosyncIpcLifecycle> ipc) {
		CorosyncLocks corosyncLocks = locks.getIfAvailable();
		CorosyncServiceGroups corosyncServiceGroups = serviceGroups.getIfAvailable();
		return new CorosyncEndpoint(lifecycle, properties.getEndpoint().isWriteOperations(), sam.getIfAvailable(),
				(corosyncLocks != null) ? corosyncLocks::getLockServiceIfStarted : () -> null,
				(corosyncServiceGroups != null) ? corosyncServiceGroups::getServiceGroupServiceIfStarted : () -> null,
				ipc.getIfAvailable());
	}

}
