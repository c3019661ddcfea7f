package io.corosync4j.spring.lock;

import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.CorosyncProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} on the node's lock service, when Spring Integration is there
 * and the application defines no {@code LockRegistry} of its own; {@code corosync.lock.enabled=false}
 * turns it off. The lock service is started on the first lock.
 */
@AutoConfiguration(after = CorosyncAutoConfiguration.class)
@ConditionalOnClass(LockRegistry.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
@ConditionalOnProperty(prefix = "corosync.lock", name = "enabled", matchIfMissing = true)
public final class CorosyncLockAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CorosyncLocks corosyncLocks(CorosyncNodeLifecycle lifecycle) {
		return new CorosyncLocks(lifecycle);
	}

	/** Backs off for any {@code LockRegistry} bean, so that injecting the one there is keeps working. */
	@Bean
	@ConditionalOnMissingBean(LockRegistry.class)
	CorosyncLockRegistry corosyncLockRegistry(CorosyncLocks locks, CorosyncProperties properties) {
		CorosyncProperties.Lock settings = properties.getLock();
		CorosyncLockRegistry registry = new CorosyncLockRegistry(locks::getLockService);
		registry.setKeyPrefix(settings.getKeyPrefix());
		registry.setGrace(settings.getGrace());
		registry.setDeadlockDetection(settings.isDeadlockDetection());
		registry.setAnswerTimeout(settings.getAnswerTimeout());
		return registry;
	}

}
