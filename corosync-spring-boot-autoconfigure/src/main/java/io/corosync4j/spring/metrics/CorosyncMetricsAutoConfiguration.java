package io.corosync4j.spring.metrics;

import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.checkpoint.CheckpointAutoConfiguration;
import io.corosync4j.spring.checkpoint.CorosyncCheckpoints;
import io.corosync4j.spring.event.EventChannelAutoConfiguration;
import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry;
import io.corosync4j.spring.message.MessageQueueAutoConfiguration;
import io.corosync4j.spring.message.QueueListenerEndpointRegistry;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.cpg.CpgListenerEndpointRegistry;
import io.corosync4j.spring.lock.CorosyncLockAutoConfiguration;
import io.corosync4j.spring.lock.CorosyncLocks;
import io.corosync4j.spring.servicegroup.CorosyncServiceGroups;
import io.corosync4j.spring.servicegroup.ServiceGroupAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The node's meters, when Micrometer is there; Spring Boot binds them to its registry. The lock
 * service's meters are there when the lock auto-configuration is (Spring Integration on the class path),
 * the service group, checkpoint, event channel and queue listener meters when theirs are.
 */
@AutoConfiguration(after = { CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
		CorosyncLockAutoConfiguration.class, ServiceGroupAutoConfiguration.class, CheckpointAutoConfiguration.class,
		EventChannelAutoConfiguration.class, MessageQueueAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
public final class CorosyncMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CorosyncMetrics corosyncMetrics(CorosyncNodeLifecycle lifecycle,
			ObjectProvider<CpgListenerEndpointRegistry> listeners) {
		return new CorosyncMetrics(lifecycle, listeners.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(CorosyncLocks.class)
	CorosyncLockMetrics corosyncLockMetrics(CorosyncLocks locks) {
		return new CorosyncLockMetrics(locks);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(CorosyncServiceGroups.class)
	CorosyncServiceGroupMetrics corosyncServiceGroupMetrics(CorosyncServiceGroups serviceGroups) {
		return new CorosyncServiceGroupMetrics(serviceGroups);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(CorosyncCheckpoints.class)
	CorosyncCheckpointMetrics corosyncCheckpointMetrics(CorosyncCheckpoints checkpoints) {
		return new CorosyncCheckpointMetrics(checkpoints);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(EventChannelListenerEndpointRegistry.class)
	CorosyncEventMetrics corosyncEventMetrics(EventChannelListenerEndpointRegistry listeners) {
		return new CorosyncEventMetrics(listeners);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(QueueListenerEndpointRegistry.class)
	CorosyncQueueMetrics corosyncQueueMetrics(QueueListenerEndpointRegistry listeners) {
		return new CorosyncQueueMetrics(listeners);
	}

}
