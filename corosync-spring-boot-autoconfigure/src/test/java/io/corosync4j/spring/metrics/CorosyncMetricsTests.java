package io.corosync4j.spring.metrics;

import java.nio.file.Path;
import java.time.Duration;

import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.cpg.CpgListener;
import io.corosync4j.spring.cpg.CpgTemplate;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

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
	void backsOffWithoutMicrometer() {
		runner().withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CorosyncMetrics.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@CpgListener(group = "orders")
		void order(String order) {
		}

	}

}
