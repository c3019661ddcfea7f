package io.corosync4j.spring.event;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncProperties;
import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** The event channel examples of {@code docs/spring-boot.md}, on a one-node ring. */
class EventChannelDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	@Test
	void shipmentsArePublishedAndTheListenerGetsThoseItsFilterMatches() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
					EventChannelAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"))
			.withUserConfiguration(Shipments.class)
			.run((context) -> {
				context.getBean(EventChannelListenerEndpointRegistry.class).subscribed().get(BOUND.toSeconds(),
						TimeUnit.SECONDS);
				EventChannelTemplate eventChannelTemplate = context.getBean(EventChannelTemplate.class);
				// tag::publish[]
				long id = eventChannelTemplate.publish("shipments", new Shipments.Shipment("A-17", "DHL"),
						"shipment.sent", "region.eu")        // patterns: filter i tests pattern i
					.get(10, TimeUnit.SECONDS);            // applied: matching subscriptions get it at this point
				eventChannelTemplate.publish("shipments", new Shipments.Shipment("A-18", "UPS"),
						List.of("shipment.delayed"), 0,    // priority 0 (highest) to 3
						Duration.ofMinutes(10));           // retained for subscriptions made in the next 10 minutes
				eventChannelTemplate.publish("shipments", "not a shipment", "invoice.sent");   // filtered out
				// end::publish[]
				assertThat(id).isPositive();
				Shipments shipments = context.getBean(Shipments.class);
				eventChannelTemplate.publish("shipments", new Shipments.Shipment("A-19", "DPD"), "shipment.sent")
					.get(BOUND.toSeconds(), TimeUnit.SECONDS);
				Await.until("three shipments", BOUND, () -> shipments.log.size() == 3);
				assertThat(shipments.log).containsExactly("shipment.sent A-17", "shipment.delayed A-18",
						"shipment.sent A-19");
			});
	}

	@Test
	void theEventPropertiesBind() throws Exception {
		Binder binder = new Binder(ConfigurationPropertySources.from(
				new YamlPropertySourceLoader().load("events", new ClassPathResource("docs/events.yaml"))));
		CorosyncProperties.Events events = binder.bind("corosync", CorosyncProperties.class).get().getEvents();
		assertThat(events.getPublisher()).isEqualTo("billing");
		assertThat(events.getDefaultPriority()).isEqualTo(2);
		assertThat(events.getDefaultRetention()).isEqualTo(Duration.ofSeconds(30));
		assertThat(events.getListenerQueue()).isEqualTo(4096);
		assertThat(events.getRetry().getMaxAttempts()).isEqualTo(3);
		assertThat(events.getRetry().getInterval()).isEqualTo(Duration.ofMillis(100));
	}

}
