package io.corosync4j.spring.checkpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.CheckpointService;
import io.corosync4j.engine.checkpoint.SectionId;
import io.corosync4j.engine.checkpoint.UpdateMode;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.health.CorosyncHealthContributor;
import io.corosync4j.spring.health.CorosyncHealthContributorAutoConfiguration;
import io.corosync4j.spring.metrics.CorosyncCheckpointMetrics;
import io.corosync4j.spring.metrics.CorosyncMetricsAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The checkpoint service as a bean on a one-node ring: started on first use only, with a health child
 * and meters from then on.
 */
class CheckpointAutoConfigurationTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CheckpointAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void theServiceStartsOnFirstUseAndOpensOnceItHoldsTheState() {
		runner().run((context) -> {
			CorosyncCheckpoints checkpoints = context.getBean(CorosyncCheckpoints.class);
			assertThat(checkpoints.getCheckpointServiceIfStarted()).isNull();
			// tag::checkpoint[]
			Checkpoint checkpoint = checkpoints.open("orders", CheckpointAttributes.of(UpdateMode.SYNCHRONOUS))
				.get(20, TimeUnit.SECONDS);                   // created unless it exists; once this member holds the state
			checkpoint.createSection(SectionId.of("last"), "42".getBytes(StandardCharsets.UTF_8), null)
				.get(10, TimeUnit.SECONDS);                   // SYNCHRONOUS: every member of the ring holds it now
			byte[] last = checkpoint.read(SectionId.of("last")).get(10, TimeUnit.SECONDS);    // from this member's replica
			// end::checkpoint[]
			assertThat(new String(last, StandardCharsets.UTF_8)).isEqualTo("42");
			CheckpointService service = checkpoints.getCheckpointServiceIfStarted();
			assertThat(service).isNotNull().isSameAs(checkpoints.getCheckpointService());
			assertThat(service.holdsState()).isTrue();
		});
	}

	@Test
	void canBeTurnedOff() {
		runner().withPropertyValues("corosync.checkpoint.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CorosyncCheckpoints.class));
	}

	@Test
	void theHealthChildShowsTheStateOnceStarted() {
		runner().withConfiguration(AutoConfigurations.of(CorosyncHealthContributorAutoConfiguration.class))
			.run((context) -> {
				CorosyncHealthContributor contributor = context.getBean(CorosyncHealthContributor.class);
				assertThat(contributor.getContributor("checkpoints")).isNull();
				CorosyncCheckpoints checkpoints = context.getBean(CorosyncCheckpoints.class);
				checkpoints.open("a", CheckpointAttributes.of(UpdateMode.ASYNCHRONOUS)).get(20, TimeUnit.SECONDS);
				checkpoints.open("b", CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)).get(20, TimeUnit.SECONDS);
				assertThat(contributor.stream().map(CorosyncHealthContributor.Entry::name)).contains("checkpoints");
				Health health = ((HealthIndicator) contributor.getContributor("checkpoints")).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("holdsState", true)
					.containsEntry("checkpoints", 2)
					.containsKeys("bytes", "writes", "refusals");
			});
	}

	@Test
	void metersCountWritesBytesAndRefusals() {
		runner().withConfiguration(AutoConfigurations.of(CorosyncMetricsAutoConfiguration.class)).run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(CorosyncCheckpointMetrics.class).bindTo(registry);
			assertThat(registry.find("corosync.checkpoint.writes").functionCounter()).as("before the first use").isNull();
			CorosyncCheckpoints checkpoints = context.getBean(CorosyncCheckpoints.class);
			Checkpoint checkpoint = checkpoints
				.open("meters", CheckpointAttributes.of(UpdateMode.SYNCHRONOUS).withMaxSections(1))
				.get(20, TimeUnit.SECONDS);
			double writes = registry.get("corosync.checkpoint.writes").functionCounter().count();
			checkpoint.overwrite(SectionId.DEFAULT, new byte[100]).get(10, TimeUnit.SECONDS);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> checkpoint.read(SectionId.of("missing")).get(10, TimeUnit.SECONDS));
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> checkpoints.open("absent", null).get(10, TimeUnit.SECONDS));
			assertThat(registry.get("corosync.checkpoint.writes").functionCounter().count()).isEqualTo(writes + 1);
			assertThat(registry.get("corosync.checkpoint.written").functionCounter().count()).isEqualTo(100);
			assertThat(registry.get("corosync.checkpoint.refusals").functionCounter().count()).isGreaterThanOrEqualTo(1);
			assertThat(registry.get("corosync.checkpoint.holds.state").gauge().value()).isEqualTo(1);
		});
	}

}
