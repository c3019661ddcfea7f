package io.corosync4j.spring.lock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.lock.LockService;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CorosyncLockAutoConfigurationTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class,
					CorosyncLockAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void aLockRegistryOnTheNodesLockServiceStartedOnTheFirstLock() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(CorosyncLockRegistry.class).hasSingleBean(CorosyncLocks.class);
			CorosyncLocks locks = context.getBean(CorosyncLocks.class);
			assertThat(locks.getLockServiceIfStarted()).isNull();
			CorosyncLockRegistry registry = context.getBean(CorosyncLockRegistry.class);
			CorosyncLock lock = registry.obtain("orders");
			assertThat(lock.getResource()).isEqualTo("spring:orders");
			assertThat(registry.obtain("orders")).isSameAs(lock);
			assertThat(lock.tryLock(10, TimeUnit.SECONDS)).isTrue();
			try {
				LockService service = locks.getLockServiceIfStarted();
				assertThat(service).isNotNull();
				assertThat(service.inPrimaryComponent()).isTrue();
				assertThat(service.statistics().held()).isEqualTo(1);
				assertThat(lock.isHeldByCurrentThread()).isTrue();
				assertThat(lock.fencingToken()).isPositive();
			}
			finally {
				lock.unlock();
			}
			assertThat(lock.isHeldByCurrentThread()).isFalse();
		});
	}

	@Test
	void thePropertiesSetTheRegistry() {
		runner()
			.withPropertyValues("corosync.lock.key-prefix=shop/", "corosync.lock.grace=2s",
					"corosync.lock.deadlock-detection=true", "corosync.lock.answer-timeout=3s")
			.run((context) -> {
				CorosyncLockRegistry registry = context.getBean(CorosyncLockRegistry.class);
				assertThat(registry.getKeyPrefix()).isEqualTo("shop/");
				assertThat(registry.getGrace()).isEqualTo(Duration.ofSeconds(2));
				assertThat(registry.isDeadlockDetection()).isTrue();
				assertThat(registry.getAnswerTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(registry.obtain(42).getResource()).isEqualTo("shop/42");
			});
	}

	@Test
	void backsOffWithoutSpringIntegration() {
		runner().withClassLoader(new FilteredClassLoader(LockRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CorosyncLockRegistry.class)
				.doesNotHaveBean(CorosyncLocks.class));
	}

	@Test
	void turnsOffWithAProperty() {
		runner().withPropertyValues("corosync.lock.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(CorosyncLockRegistry.class)
				.doesNotHaveBean(CorosyncLocks.class));
	}

	@Test
	void backsOffForTheApplicationsOwnLockRegistry() {
		runner().withUserConfiguration(OwnRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(LockRegistry.class).doesNotHaveBean(CorosyncLockRegistry.class);
			assertThat(context.getBean(LockRegistry.class)).isInstanceOf(DefaultLockRegistry.class);
			assertThat(context).hasSingleBean(CorosyncLocks.class);
		});
	}

	@Test
	void backsOffWithoutTheNode() {
		runner().withPropertyValues("corosync.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CorosyncLockRegistry.class));
	}

	@Test
	void aLockLostWhenTheNodeStopsFailsItsUnlockAndLaterLocksFail() {
		runner().run((context) -> {
			CorosyncLock lock = context.getBean(CorosyncLockRegistry.class).obtain("jobs");
			assertThat(lock.tryLock(10, TimeUnit.SECONDS)).isTrue();
			context.getBean(CorosyncNodeLifecycle.class).stop();
			Await.until("the lock lost", Duration.ofSeconds(20), () -> !lock.isHeldByCurrentThread());
			assertThat(lock.isAcquiredInThisProcess()).as("until the thread learns it").isTrue();
			assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(lock::unlock)
				.withMessageContaining("'jobs' was lost");
			assertThat(lock.isAcquiredInThisProcess()).isFalse();
			assertThatExceptionOfType(CannotAcquireLockException.class).isThrownBy(lock::tryLock)
				.withMessageContaining("not running");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRegistry {

		@Bean
		DefaultLockRegistry ownLockRegistry() {
			return new DefaultLockRegistry();
		}

	}

}
