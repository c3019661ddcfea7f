package io.corosync4j.spring.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.cpg.CpgListener;
import io.corosync4j.spring.cpg.CpgTemplate;
import io.corosync4j.spring.lock.CorosyncLock;
import io.corosync4j.spring.lock.CorosyncLockAutoConfiguration;
import io.corosync4j.spring.lock.CorosyncLockRegistry;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.locks.LockRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class CorosyncMetricsTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
					CorosyncMetricsAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void totemCountersAndPerGroupDeliveriesAreMeters() {
		runner().withUserConfiguration(Listener.class).run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(CorosyncMetrics.class).bindTo(registry);
			context.getBean(CpgTemplate.class).send("orders", "one");
			context.getBean(CpgTemplate.class).send("orders", "two");
			Await.until("two deliveries counted", Duration.ofSeconds(20),
					() -> registry.get("corosync.cpg.delivered").tag("group", "orders").functionCounter().count() == 2);
			assertThat(registry.get("corosync.cpg.listener.queued").tag("group", "orders").gauge().value()).isZero();
			assertThat(registry.get("corosync.cpg.listener.fell.behind").tag("group", "orders").functionCounter().count())
				.isZero();
			assertThat(registry.get("corosync.totem.messages.sent").functionCounter().count()).isPositive();
			assertThat(registry.get("corosync.totem.membership.changes").functionCounter().count()).isPositive();
			assertThat(registry.get("corosync.quorum.quorate").gauge().value()).isEqualTo(1);
			assertThat(registry.get("corosync.totem.queue.available").gauge().value()).isPositive();
			assertThat(registry.get("corosync.totempg.resent").functionCounter().count()).isZero();
			assertThat(registry.get("corosync.totem.token.rotation").gauge().getId().getDescription()).isNotBlank();
		});
	}

	@Test
	void listenerTimeErrorsRetriesBacklogAndRefusedSendsAreMeters() {
		runner().withUserConfiguration(Listener.class)
			.withPropertyValues("corosync.cpg.retry.max-attempts=2", "corosync.cpg.retry.interval=10ms")
			.run((context) -> {
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(CorosyncMetrics.class).bindTo(registry);
				CpgTemplate template = context.getBean(CpgTemplate.class);
				template.send("orders", "one").get(20, TimeUnit.SECONDS);
				template.send("orders", "bad").get(20, TimeUnit.SECONDS);
				FunctionTimer processing = registry.get("corosync.cpg.listener.processing").tag("group", "orders")
					.functionTimer();
				assertThat(processing.count()).isEqualTo(2);
				assertThat(processing.totalTime(TimeUnit.MILLISECONDS)).as("a 10 ms pause before the retry")
					.isGreaterThanOrEqualTo(10);
				assertThat(registry.get("corosync.cpg.listener.errors").tag("group", "orders").functionCounter().count())
					.isEqualTo(1);
				assertThat(registry.get("corosync.cpg.listener.retries").tag("group", "orders").functionCounter().count())
					.isEqualTo(1);
				assertThat(registry.get("corosync.cpg.listener.backlog").tag("group", "orders").gauge().value()).isZero();
				assertThatException().isThrownBy(() -> template.send("nobody", "x"));
				assertThat(registry.get("corosync.cpg.send.failures").tag("reason", "not-a-member").functionCounter()
					.count()).isEqualTo(1);
				assertThat(registry.get("corosync.cpg.send.failures").tag("group", "orders").functionCounter().count())
					.isZero();
			});
	}

	@Test
	void theLockServicesMetersComeWithItsFirstLock() {
		runner().withConfiguration(AutoConfigurations.of(CorosyncLockAutoConfiguration.class)).run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(CorosyncLockMetrics.class).bindTo(registry);
			assertThat(registry.find("corosync.lock.grants").meter()).as("the lock service not started").isNull();
			CorosyncLock lock = context.getBean(CorosyncLockRegistry.class).obtain("jobs");
			assertThat(lock.tryLock(20, TimeUnit.SECONDS)).isTrue();
			assertThat(registry.get("corosync.lock.requests").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("corosync.lock.grants").functionCounter().count()).isEqualTo(1);
			assertThat(registry.get("corosync.lock.held").gauge().value()).isEqualTo(1);
			assertThat(registry.get("corosync.lock.waiting").gauge().value()).isZero();
			assertThat(registry.get("corosync.lock.wait.time").functionTimer().count()).isEqualTo(1);
			boolean[] elsewhere = new boolean[1];
			Thread other = new Thread(() -> elsewhere[0] = lock.tryLock());
			other.start();
			other.join(20_000);
			assertThat(elsewhere[0]).isFalse();
			assertThat(registry.get("corosync.lock.refusals").functionCounter().count()).isEqualTo(1);
			lock.unlock();
			assertThat(registry.get("corosync.lock.held").gauge().value()).isZero();
			assertThat(registry.get("corosync.lock.waits").functionCounter().count()).isZero();
			assertThat(registry.get("corosync.lock.timeouts").functionCounter().count()).isZero();
			assertThat(registry.get("corosync.lock.lost").functionCounter().count()).isZero();
		});
	}

	@Test
	void noLockMetersWithoutSpringIntegration() {
		runner().withConfiguration(AutoConfigurations.of(CorosyncLockAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(LockRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(CorosyncMetrics.class)
				.doesNotHaveBean(CorosyncLockMetrics.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		runner().withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CorosyncMetrics.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@CpgListener(group = "orders")
		void order(String order) {
			if (order.equals("bad")) {
				throw new IllegalArgumentException("not an order");
			}
		}

	}

}
