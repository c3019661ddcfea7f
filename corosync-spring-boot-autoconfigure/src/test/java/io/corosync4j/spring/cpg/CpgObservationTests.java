package io.corosync4j.spring.cpg;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.FreePort;
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
 * Sends and deliveries as Observations: a handler standing in for Boot's tracing writes a trace context
 * into the send and reads it on delivery, as a tracer would to link the two.
 */
class CpgObservationTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class))
			.withUserConfiguration(Observed.class)
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void theTraceContextOfASendReachesTheDeliveryAndTheListener() {
		runner().withPropertyValues("corosync.cpg.observation-enabled=true").run((context) -> {
			Observed observed = context.getBean(Observed.class);
			context.getBean(CpgTemplate.class).send("traced", "hello").get(20, TimeUnit.SECONDS);
			Await.until("the receive observation stopped", Duration.ofSeconds(20),
					() -> observed.events.contains("stop cpg.receive"));
			assertThat(observed.events).containsSubsequence("start cpg.send", "start cpg.receive", "stop cpg.receive",
					"stop cpg.send");
			assertThat(observed.extracted).containsExactly("trace-1");
			// the listener runs inside the delivery's observation and sees the header as any other
			assertThat(observed.received).containsExactly("hello with trace-1");
			assertThat(observed.groups).containsOnly("traced");
		});
	}

	@Test
	void offByDefault() {
		runner().run((context) -> {
			Observed observed = context.getBean(Observed.class);
			context.getBean(CpgTemplate.class).send("traced", "hello").get(20, TimeUnit.SECONDS);
			assertThat(observed.events).isEmpty();
			assertThat(observed.received).containsExactly("hello with none");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Observed {

		final List<String> events = new CopyOnWriteArrayList<>();

		final List<String> extracted = new CopyOnWriteArrayList<>();

		final List<String> received = new CopyOnWriteArrayList<>();

		final List<String> groups = new CopyOnWriteArrayList<>();

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
					Observed.this.groups.add(context.getLowCardinalityKeyValue("cpg.group").getValue());
					if (context instanceof SenderContext<?> sender) {
						((SenderContext<Object>) sender).getSetter().set(sender.getCarrier(), "traceparent", "trace-1");
					}
					if (context instanceof ReceiverContext<?> receiver) {
						String trace = ((ReceiverContext<Object>) receiver).getGetter().get(receiver.getCarrier(), "traceparent");
						Observed.this.extracted.add(trace);
					}
				}

				@Override
				public void onStop(Observation.Context context) {
					Observed.this.events.add("stop " + context.getName());
				}

			});
			return registry;
		}

		@CpgListener(group = "traced")
		void traced(String text, @Header(name = "traceparent", required = false) String trace) {
			this.received.add(text + " with " + ((trace != null) ? trace : "none"));
		}

	}

}
