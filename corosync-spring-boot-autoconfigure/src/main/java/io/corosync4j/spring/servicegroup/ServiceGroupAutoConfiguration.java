package io.corosync4j.spring.servicegroup;

import java.util.function.Function;

import io.corosync4j.engine.servicegroup.Fencer;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.CorosyncProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.event.DefaultLeaderEventPublisher;

/**
 * Active/standby on the node's service groups ({@code corosync.service-group.enabled}): the
 * {@link CorosyncServiceGroups} holder, a unit for every {@link ActiveStandbyService} bean and, with
 * Spring Integration, for every {@link Candidate} bean; the application's {@link Fencer} bean, if it
 * has one, fences for all of them. The service starts with the first unit, so an application with
 * neither never joins the service group group.
 */
@AutoConfiguration(after = CorosyncAutoConfiguration.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
@ConditionalOnProperty(prefix = "corosync.service-group", name = "enabled", matchIfMissing = true)
public final class ServiceGroupAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CorosyncServiceGroups corosyncServiceGroups(CorosyncNodeLifecycle lifecycle, ApplicationEventPublisher publisher) {
		return new CorosyncServiceGroups(lifecycle, publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	ActiveStandbyServiceRegistrar activeStandbyServiceRegistrar(CorosyncServiceGroups serviceGroups,
			CorosyncProperties properties, ObjectProvider<ActiveStandbyService> services,
			ObjectProvider<Fencer> fencer) {
		ActiveStandbyServiceRegistrar registrar = new ActiveStandbyServiceRegistrar(serviceGroups, defaults(properties),
				() -> services.orderedStream().toList());
		registrar.setFencer(fencer.getIfUnique());
		return registrar;
	}

	static Function<String, ServiceUnitSpec> defaults(CorosyncProperties properties) {
		CorosyncProperties.ServiceGroup settings = properties.getServiceGroup();
		return (group) -> new ServiceUnitSpec(group, settings.getDefaultRank(), settings.getGrace(),
				settings.getQuiesceTimeout());
	}

	/**
	 * Leader election for the candidates. It backs off when the application elects leaders another way
	 * (a lock registry's or ZooKeeper's initiator): the same candidate granted by two initiators would
	 * lead twice.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Candidate.class)
	@ConditionalOnMissingBean(type = { "org.springframework.integration.support.leader.LockRegistryLeaderInitiator",
			"org.springframework.integration.zookeeper.leader.LeaderInitiator" })
	static class LeaderElectionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ServiceGroupLeaderInitiator serviceGroupLeaderInitiator(CorosyncServiceGroups serviceGroups,
				CorosyncProperties properties, ObjectProvider<Candidate> candidates, ObjectProvider<Fencer> fencer,
				ApplicationEventPublisher publisher) {
			ServiceGroupLeaderInitiator initiator = new ServiceGroupLeaderInitiator(serviceGroups, defaults(properties),
					() -> candidates.orderedStream().toList(), new DefaultLeaderEventPublisher(publisher));
			initiator.setFencer(fencer.getIfUnique());
			return initiator;
		}

	}

}
