package io.corosync4j.spring.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.event.EventChannelAutoConfiguration;
import io.corosync4j.spring.event.EventChannelListener;
import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry;
import io.corosync4j.spring.event.EventChannelTemplate;
import io.corosync4j.spring.message.MessageQueueAutoConfiguration;
import io.corosync4j.spring.message.MessageQueueTemplate;
import io.corosync4j.spring.message.QueueListener;
import io.corosync4j.spring.message.QueueListenerEndpointRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publications, sends and deliveries as Observations, as the CPG ones: a handler standing in for a
 * tracer writes a trace context into what is sent and reads it where it is delivered.
 */
class EventAndQueueObservationTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
					EventChannelAutoConfiguration.class, MessageQueueAutoConfiguration.class))
			.withUserConfiguration(Observed.class)
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void theTraceContextOfAPublicationAndOfASendReachesTheListener() {
		runner().withPropertyValues("corosync.events.observation-enabled=true", "corosync.messages.observation-enabled=true")
			.run((context) -> {
				context.getBean(EventChannelListenerEndpointRegistry.class).subscribed().get(BOUND.toSeconds(), TimeUnit.SECONDS);
				context.getBean(QueueListenerEndpointRegistry.class).opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
				Observed observed = context.getBean(Observed.class);
				context.getBean(EventChannelTemplate.class).publish("traced", "hello").get(BOUND.toSeconds(), TimeUnit.SECONDS);
				context.getBean(MessageQueueTemplate.class).sendAndWaitForDelivery("work", "job")
					.get(BOUND.toSeconds(), TimeUnit.SECONDS);
				Await.until("both receive observations and the send's stopped", BOUND,
						() -> observed.events.contains("stop evt.receive") && observed.events.contains("stop msg.receive")
								&& observed.events.contains("stop msg.send"));
				// the send waits for the acknowledgement, which the listener sends as its method returns: the
				// send's observation may stop before or after the receive's
				assertThat(observed.events).containsSubsequence("start evt.publish", "stop evt.publish")
					.containsSubsequence("start evt.receive", "stop evt.receive")
					.containsSubsequence("start msg.send", "start msg.receive", "stop msg.receive")
					.containsSubsequence("start msg.send", "stop msg.send");
				assertThat(observed.received).containsExactlyInAnyOrder("event hello with trace-1", "job job with trace-1");
			});
	}

	@Test
	void offByDefault() {
		runner().run((context) -> {
			context.getBean(QueueListenerEndpointRegistry.class).opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			context.getBean(MessageQueueTemplate.class).sendAndWaitForDelivery("work", "job")
				.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			Observed observed = context.getBean(Observed.class);
			assertThat(observed.events).isEmpty();
			assertThat(observed.received).containsExactly("job job with none");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Observed {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<String> received = new CopyOnWriteArrayList<>();

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new ObservationHandler<>() {

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}

				@Override
				@SuppressWarnings("unchecked")
				public void onStart(Observation.Context context) {
					Observed.this.events.add("start " + context.getName());
					if (context instanceof SenderContext<?> sender) {
						((SenderContext<Object>) sender).getSetter().set(sender.getCarrier(), "traceparent", "trace-1");
					}
					if (context instanceof ReceiverContext<?> receiver) {
						((ReceiverContext<Object>) receiver).getGetter().get(receiver.getCarrier(), "traceparent");
					}
				}

				@Override
				public void onStop(Observation.Context context) {
					Observed.this.events.add("stop " + context.getName());
				}

			});
			return registry;
		}

		@EventChannelListener(channel = "traced", id = "traced")
		void event(String text, @Header(name = "traceparent", required = false) String trace) {
			this.received.add("event " + text + " with " + ((trace != null) ? trace : "none"));
		}

		@QueueListener(group = "work", id = "work")
		void job(String text, @Header(name = "traceparent", required = false) String trace) {
			this.received.add("job " + text + " with " + ((trace != null) ? trace : "none"));
		}

	}

}
