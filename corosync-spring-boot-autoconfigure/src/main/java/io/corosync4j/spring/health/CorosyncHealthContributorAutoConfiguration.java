package io.corosync4j.spring.health;

import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.engine.sam.Sam;
import io.corosync4j.spring.CorosyncIpcLifecycle;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.checkpoint.CheckpointAutoConfiguration;
import io.corosync4j.spring.checkpoint.CorosyncCheckpoints;
import io.corosync4j.spring.event.EventChannelAutoConfiguration;
import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry;
import io.corosync4j.spring.message.MessageQueueAutoConfiguration;
import io.corosync4j.spring.message.QueueListenerEndpointRegistry;
import io.corosync4j.spring.sam.SamAutoConfiguration;
import io.corosync4j.spring.servicegroup.CorosyncServiceGroups;
import io.corosync4j.spring.servicegroup.ServiceGroupAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code corosync} health contributor, with {@code ring}, {@code quorum} and SAM component children,
 * {@code serviceGroups} and {@code checkpoints} once started, and the event channel and queue listeners
 * ({@code management.health.corosync.enabled}).
 */
@AutoConfiguration(after = { CorosyncAutoConfiguration.class, SamAutoConfiguration.class,
		ServiceGroupAutoConfiguration.class, CheckpointAutoConfiguration.class, EventChannelAutoConfiguration.class,
		MessageQueueAutoConfiguration.class })
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
@ConditionalOnEnabledHealthIndicator("corosync")
public final class CorosyncHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "corosyncHealthContributor")
	CorosyncHealthContributor corosyncHealthContributor(CorosyncNodeLifecycle lifecycle, ObjectProvider<Sam> sam,
			ObjectProvider<CorosyncServiceGroups> serviceGroups, ObjectProvider<CorosyncCheckpoints> checkpoints,
			ObjectProvider<EventChannelListenerEndpointRegistry> eventListeners,
			ObjectProvider<QueueListenerEndpointRegistry> queueListeners, ObjectProvider<CorosyncIpcLifecycle> ipc) {
		return new CorosyncHealthContributor(lifecycle, sam.getIfAvailable(), serviceGroups.getIfAvailable(),
				checkpoints.getIfAvailable(), eventListeners.getIfAvailable(), queueListeners.getIfAvailable(),
				ipc.getIfAvailable());
	}

}
