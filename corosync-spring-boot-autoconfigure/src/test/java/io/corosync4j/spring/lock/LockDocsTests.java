package io.corosync4j.spring.lock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncProperties;
import io.corosync4j.spring.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock examples of {@code docs/spring-boot.md}, run in a one-node ring: {@link Invoices} under the
 * lock with fencing tokens, the leader election of {@link NightlyJobs}, and the lock properties.
 */
class LockDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

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
	void invoicesAreClosedUnderTheLockWithGrowingTokens() {
		runner().withBean(InvoiceStore.class).withBean(Invoices.class).run((context) -> {
			Invoices invoices = context.getBean(Invoices.class);
			invoices.close("acme");
			invoices.close("acme");
			invoices.report();
			assertThat(context.getBean(InvoiceStore.class).closed).containsExactly("acme", "acme", "report");
			assertThat(context.getBean(CorosyncLockRegistry.class).obtain("invoices/acme").isAcquiredInThisProcess())
				.isFalse();
		});
	}

	@Test
	void theSchedulerIsElectedLeader() {
		runner().withUserConfiguration(NightlyJobs.class).run((context) -> {
			NightlyJobs.Scheduler scheduler = context.getBean(NightlyJobs.Scheduler.class);
			Await.until("leadership", BOUND, () -> scheduler.leading);
			assertThat(context.getBean(LockRegistryLeaderInitiator.class).getContext().isLeader()).isTrue();
			assertThat(context.getBean(CorosyncLockRegistry.class).obtain("nightly-jobs").isAcquiredInThisProcess())
				.isTrue();
		});
	}

	@Test
	void theLockPropertiesBind() throws IOException {
		Binder binder = new Binder(ConfigurationPropertySources.from(
				new YamlPropertySourceLoader().load("locks", new ClassPathResource("docs/locks.yaml"))));
		CorosyncProperties.Lock lock = binder.bind("corosync", CorosyncProperties.class).get().getLock();
		assertThat(lock.getKeyPrefix()).isEqualTo("shop:");
		assertThat(lock.getGrace()).isEqualTo(Duration.ofSeconds(5));
		assertThat(lock.isDeadlockDetection()).isTrue();
	}

}
