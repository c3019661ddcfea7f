package io.corosync4j.spring.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.event.EventChannelAutoConfiguration;
import io.corosync4j.spring.event.EventChannelListener;
import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry;
import io.corosync4j.spring.event.EventChannelTemplate;
import io.corosync4j.spring.health.CorosyncHealthContributor;
import io.corosync4j.spring.health.CorosyncHealthContributorAutoConfiguration;
import io.corosync4j.spring.message.MessageQueueAutoConfiguration;
import io.corosync4j.spring.message.MessageQueueTemplate;
import io.corosync4j.spring.message.QueueListener;
import io.corosync4j.spring.message.QueueListenerEndpointRegistry;
import io.corosync4j.spring.metrics.CorosyncEventMetrics;
import io.corosync4j.spring.metrics.CorosyncMetricsAutoConfiguration;
import io.corosync4j.spring.metrics.CorosyncQueueMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The event channel and queue listeners as children of the {@code corosync} health contributor, and their meters. */
class ListenerHealthAndMetricsTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
					EventChannelAutoConfiguration.class, MessageQueueAutoConfiguration.class,
					CorosyncHealthContributorAutoConfiguration.class, CorosyncMetricsAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void withoutListenersThereAreNoChildren() {
		runner().run((context) -> {
			CorosyncHealthContributor contributor = context.getBean(CorosyncHealthContributor.class);
			assertThat(contributor.getContributor("eventChannels")).isNull();
			assertThat(contributor.getContributor("queueListeners")).isNull();
		});
	}

	@Test
	void theListenersHealthAndMetersFollowWhatTheyDo() {
		runner().withUserConfiguration(Listeners.class).run((context) -> {
			context.getBean(EventChannelListenerEndpointRegistry.class).subscribed().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			QueueListenerEndpointRegistry queues = context.getBean(QueueListenerEndpointRegistry.class);
			queues.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			context.getBean(CorosyncEventMetrics.class).bindTo(meters);
			context.getBean(CorosyncQueueMetrics.class).bindTo(meters);
			context.getBean(EventChannelTemplate.class).publish("alerts", "disk").get(BOUND.toSeconds(), TimeUnit.SECONDS);
			context.getBean(MessageQueueTemplate.class).send("jobs", "fails").get(BOUND.toSeconds(), TimeUnit.SECONDS);
			Await.until("the failure kept", BOUND, () -> queues.getStatistics().get("jobs").kept() == 1);
			Await.until("the event", BOUND,
					() -> meters.get("corosync.events.listener.delivered").tag("listener", "alerts").functionCounter()
						.count() == 1);
			CorosyncHealthContributor contributor = context.getBean(CorosyncHealthContributor.class);
			assertThat(contributor.stream().map(CorosyncHealthContributor.Entry::name)).contains("eventChannels",
					"queueListeners");
			Health events = ((HealthIndicator) contributor.getContributor("eventChannels")).health(true);
			assertThat(events.getStatus()).isEqualTo(Status.UP);
			assertThat(details(events, "alerts")).containsEntry("channel", "alerts")
				.containsEntry("subscribed", true)
				.containsEntry("delivered", 1L);
			Health jobs = ((HealthIndicator) contributor.getContributor("queueListeners")).health(true);
			// a stopped listener has no queue and is meant to have none
			assertThat(jobs.getStatus()).isEqualTo(Status.UP);
			assertThat(details(jobs, "jobs")).containsEntry("group", "jobs")
				.containsEntry("open", true)
				.containsEntry("kept", 1L)
				.containsEntry("held", 1L)
				.containsEntry("stalled", false);
			assertThat(details(jobs, "spare")).containsEntry("running", false)
				.containsEntry("open", false);
			assertThat(meters.get("corosync.messages.listener.kept").tags("listener", "jobs", "group", "jobs")
				.functionCounter().count()).isEqualTo(1);
			assertThat(meters.get("corosync.messages.listener.acknowledged").tag("listener", "jobs").functionCounter()
				.count()).isZero();
			assertThat(meters.get("corosync.messages.listener.open").tag("listener", "jobs").gauge().value()).isEqualTo(1);
			assertThat(meters.get("corosync.events.listener.lost").tag("channel", "alerts").functionCounter().count())
				.isZero();
		});
	}

	@Test
	void aListenerWhoseKeptMessagesFillItsPrefetchWindowIsStalledAndDown() {
		runner().withUserConfiguration(Listeners.class).withPropertyValues("corosync.messages.listener.prefetch=2")
			.run((context) -> {
				QueueListenerEndpointRegistry queues = context.getBean(QueueListenerEndpointRegistry.class);
				queues.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
				SimpleMeterRegistry meters = new SimpleMeterRegistry();
				context.getBean(CorosyncQueueMetrics.class).bindTo(meters);
				MessageQueueTemplate template = context.getBean(MessageQueueTemplate.class);
				template.send("jobs", "first").get(BOUND.toSeconds(), TimeUnit.SECONDS);
				template.send("jobs", "second").get(BOUND.toSeconds(), TimeUnit.SECONDS);
				Await.until("both kept", BOUND, () -> queues.getStatistics().get("jobs").held() == 2);
				assertThat(queues.getStatistics().get("jobs").stalled()).isTrue();
				Health jobs = ((HealthIndicator) context.getBean(CorosyncHealthContributor.class)
					.getContributor("queueListeners")).health(true);
				assertThat(jobs.getStatus()).isEqualTo(Status.DOWN);
				assertThat(details(jobs, "jobs")).containsEntry("stalled", true);
				assertThat(meters.get("corosync.messages.listener.held").tag("listener", "jobs").gauge().value())
					.isEqualTo(2);
				// the spare takes over the group and the stalled listener stops: what it held moves on
				queues.start("spare");
				queues.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
				queues.stop("jobs");
				Await.until("the held messages moved", BOUND,
						() -> queues.getStatistics().get("spare").acknowledged() == 2);
				assertThat(((HealthIndicator) context.getBean(CorosyncHealthContributor.class)
					.getContributor("queueListeners")).health(false).getStatus()).isEqualTo(Status.UP);
			});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Health health, String listener) {
		return (Map<String, Object>) health.getDetails().get(listener);
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@EventChannelListener(channel = "alerts", id = "alerts")
		void alert(String alert) {
		}

		@QueueListener(group = "jobs", id = "jobs")
		void job(String job) {
			throw new IllegalStateException(job);
		}

		@QueueListener(group = "jobs", id = "spare", autoStartup = "false")
		void spare(String job) {
		}

	}

}
