package io.corosync4j.spring.checkpoint;

import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The {@link CorosyncCheckpoints} holder of the node's checkpoint service ({@code corosync.checkpoint.enabled}).
 * The service starts on the first {@link CorosyncCheckpoints#getCheckpointService()}, not with the node.
 */
@AutoConfiguration(after = CorosyncAutoConfiguration.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
@ConditionalOnProperty(prefix = "corosync.checkpoint", name = "enabled", matchIfMissing = true)
public final class CheckpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CorosyncCheckpoints corosyncCheckpoints(CorosyncNodeLifecycle lifecycle) {
		return new CorosyncCheckpoints(lifecycle);
	}

}
