package io.corosync4j.spring.cluster;

import io.corosync4j.engine.cluster.ClusterMembership;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * The {@link ClusterMembership} bean of the auto-configured node, unless the application defines one:
 * the node's membership service, started with the node so that the other nodes learn this one's boot
 * time at once, and its views published as {@link ClusterViewChangedEvent}s.
 */
@AutoConfiguration(after = CorosyncAutoConfiguration.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
public final class ClusterMembershipAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ClusterMembership.class)
	NodeClusterMembership clusterMembership(CorosyncNodeLifecycle node, ApplicationEventPublisher publisher) {
		return new NodeClusterMembership(node, publisher);
	}

}
