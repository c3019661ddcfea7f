package io.corosync4j.spring.sam;

import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.sam.Sam;
import io.corosync4j.engine.sam.SamClock;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.CorosyncProperties;
import io.corosync4j.spring.servicegroup.ActiveStandbyService;
import io.corosync4j.spring.servicegroup.ActiveStandbyServiceRegistrar;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * SAM on the auto-configured node: the {@link Sam} bean (inject it to register application-driven
 * components), {@link SamHealthCheck} methods, and quorum mapped onto readiness
 * ({@code corosync.sam.quorum-readiness}, on by default). {@code corosync.sam.exit-on-quit} makes a QUIT
 * also exit the JVM with status 1.
 */
@AutoConfiguration(after = CorosyncAutoConfiguration.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
public final class SamAutoConfiguration {

	@Bean
	static SamHealthCheckBeanPostProcessor samHealthCheckBeanPostProcessor() {
		return new SamHealthCheckBeanPostProcessor();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	Sam corosyncSam(CorosyncNodeLifecycle lifecycle) {
		return new Sam(SamClock.system(), () -> {
			CorosyncNode node = lifecycle.getNodeIfRunning();
			return node != null && node.quorate();
		}, () -> {
			CorosyncNode node = lifecycle.getNodeIfRunning();
			return (node != null) ? node.cmap() : null;
		});
	}

	@Bean
	@ConditionalOnMissingBean
	SamLifecycle samLifecycle(Sam sam, CorosyncNodeLifecycle lifecycle, SamHealthCheckBeanPostProcessor checks,
			ApplicationEventPublisher events, CorosyncProperties properties,
			ObjectProvider<ActiveStandbyServiceRegistrar> activeStandby) {
		SamLifecycle samLifecycle = new SamLifecycle(sam, lifecycle, checks, events,
				properties.getSam().isQuorumReadiness(), properties.getSam().isExitOnQuit());
		// a health-checked active/standby service escalates to its service group
		samLifecycle.setServiceUnits((bean) -> {
			ActiveStandbyServiceRegistrar registrar = activeStandby.getIfAvailable();
			return (registrar != null && bean instanceof ActiveStandbyService service)
					? registrar.unit(service.getServiceGroup()) : null;
		});
		return samLifecycle;
	}

}
