package io.corosync4j.spring.event;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.corosync4j.engine.event.EventFilter;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.messaging.ListenerErrorHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/** Event channel listeners and the template on a one-node ring. */
class EventChannelAutoConfigurationTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
					EventChannelAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"), "spring.application.name=shop");
	}

	@Test
	void listenersReceiveWhatTheirFiltersMatchConvertedAndWithHeaders() {
		runner().withUserConfiguration(Listeners.class).withPropertyValues("audit.pattern=audit").run((context) -> {
			context.getBean(EventChannelListenerEndpointRegistry.class).subscribed().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			EventChannelTemplate template = context.getBean(EventChannelTemplate.class);
			Listeners listeners = context.getBean(Listeners.class);
			long first = template.publish("orders", new Order("apples", 3), "order.created", "region.eu")
				.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			template.publish("orders", "plain").get(BOUND.toSeconds(), TimeUnit.SECONDS);
			template.publish(MessageBuilder.withPayload("checked")
				.setHeader(EventHeaders.CHANNEL, "orders")
				.setHeader(EventHeaders.PATTERNS, "audit")
				.setHeader(EventHeaders.PRIORITY, 0)
				.setHeader(EventHeaders.PUBLISHER, "auditor")
				.setHeader("tenant", "acme")
				.build()).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			long last = template.publish("orders", "{\"item\":\"pears\",\"count\":1}".getBytes(StandardCharsets.UTF_8),
					List.of("order.cancelled", "zone.eu"), 1, Duration.ZERO).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			Await.until("every listener's events", BOUND, () -> listeners.all.size() == 4 && listeners.orders.size() == 2
					&& listeners.european.size() == 2 && listeners.audits.size() == 1);
			assertThat(last).isGreaterThan(first);
			// no filters: every event, in the order published, with its patterns
			assertThat(listeners.all).containsExactly(
					"[order.created, region.eu] {\"item\":\"apples\",\"count\":3}", "[] plain", "[audit] checked",
					"[order.cancelled, zone.eu] {\"item\":\"pears\",\"count\":1}");
			// a prefix on the first pattern, the payload read as JSON
			assertThat(listeners.orders).containsExactly(new Order("apples", 3), new Order("pears", 1));
			// any first pattern, a suffix on the second
			assertThat(listeners.european).containsExactly(first + " 3", last + " 1");
			Message<String> audit = listeners.audits.get(0);
			assertThat(audit.getPayload()).isEqualTo("checked");
			assertThat(audit.getHeaders()).containsEntry(EventHeaders.CHANNEL, "orders")
				.containsEntry(EventHeaders.PRIORITY, 0)
				.containsEntry(EventHeaders.PUBLISHER, "auditor")
				.containsEntry(EventHeaders.PUBLISHER_NODE, 1L)
				.containsEntry(EventHeaders.LOST, 0L)
				.containsEntry("tenant", "acme");
			assertThat((Instant) audit.getHeaders().get(EventHeaders.PUBLISH_TIME)).isBefore(Instant.now().plusSeconds(1));
			// the publisher name defaults to spring.application.name
			assertThat(listeners.publishers).containsOnly("shop");
		});
	}

	@Test
	void aFailingListenerIsRetriedThenItsErrorHandlerDecidesAndTheNextEventStillArrives() {
		runner().withUserConfiguration(Flaky.class).withPropertyValues("corosync.events.retry.max-attempts=3",
				"corosync.events.retry.interval=10ms").run((context) -> {
					EventChannelListenerEndpointRegistry registry = context.getBean(EventChannelListenerEndpointRegistry.class);
					registry.subscribed().get(BOUND.toSeconds(), TimeUnit.SECONDS);
					EventChannelTemplate template = context.getBean(EventChannelTemplate.class);
					Flaky flaky = context.getBean(Flaky.class);
					template.publish("jobs", "twice");
					template.publish("jobs", "always");
					template.publish("jobs", "next");
					Await.until("the three jobs", BOUND, () -> flaky.attempts.contains("next"));
					// twice: two failures then done; always: three attempts then the named handler
					assertThat(flaky.attempts).containsExactly("twice", "twice", "twice", "always", "always", "always",
							"next");
					assertThat(flaky.handled).containsExactly("jobs: always");
					assertThat(registry.getStatistics().get("flaky")).satisfies((statistics) -> {
						assertThat(statistics.delivered()).isEqualTo(3);
						assertThat(statistics.retries()).isEqualTo(4);
						assertThat(statistics.failures()).isEqualTo(1);
					});
				});
	}

	@Test
	void aListenerStartedLaterGetsTheRetainedEventsAndNotTheOthers() {
		runner().withUserConfiguration(Late.class).run((context) -> {
			EventChannelTemplate template = context.getBean(EventChannelTemplate.class);
			template.publish("news", "gone", List.of(), 3, Duration.ZERO).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			template.publish("news", "kept", List.of(), 3, Duration.ofMinutes(5)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			EventChannelListenerEndpointRegistry registry = context.getBean(EventChannelListenerEndpointRegistry.class);
			assertThat(registry.getStatistics().get("late").subscribed()).isFalse();
			registry.start("late");
			registry.subscribed().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			template.publish("news", "fresh").get(BOUND.toSeconds(), TimeUnit.SECONDS);
			Late late = context.getBean(Late.class);
			Await.until("two events", BOUND, () -> late.seen.size() == 2);
			assertThat(late.seen).containsExactly("kept", "fresh");
			registry.stop("late");
			Await.until("the end of the subscription", BOUND, () -> !registry.getStatistics().get("late").subscribed());
		});
	}

	@Test
	void publicationsMadeBeforeTheServiceIsReadyKeepTheOrderOfTheCalls() {
		runner().withUserConfiguration(Late.class).run((context) -> {
			// at once after the start: the service may not hold the state yet
			EventChannelTemplate template = context.getBean(EventChannelTemplate.class);
			List<CompletableFuture<Long>> ids = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				ids.add(template.publish("news", Integer.toString(i), List.of(), 3, Duration.ofMinutes(5)));
			}
			assertThat(ids.stream().map((id) -> id.join()).toList()).isSorted();
			EventChannelListenerEndpointRegistry registry = context.getBean(EventChannelListenerEndpointRegistry.class);
			registry.start("late");
			Late late = context.getBean(Late.class);
			Await.until("the retained events", BOUND, () -> late.seen.size() == 30);
			assertThat(late.seen).containsExactlyElementsOf(
					IntStream.range(0, 30).mapToObj(Integer::toString).toList());
		});
	}

	@Test
	void aListenerThatFallsBehindLosesTheOldestAndIsToldHowMany() {
		runner().withUserConfiguration(Slow.class).withPropertyValues("corosync.events.listener-queue=2").run((context) -> {
			EventChannelListenerEndpointRegistry registry = context.getBean(EventChannelListenerEndpointRegistry.class);
			registry.subscribed().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			EventChannelTemplate template = context.getBean(EventChannelTemplate.class);
			Slow slow = context.getBean(Slow.class);
			template.publish("ticks", "1");
			assertThat(slow.entered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
			for (int i = 2; i <= 10; i++) {
				template.publish("ticks", Integer.toString(i)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			}
			// 1 is being handled, 9 and 10 wait, 2 to 8 were dropped
			Await.until("the drops", BOUND, () -> registry.getStatistics().get("slow").lost() == 7);
			slow.release.countDown();
			Await.until("what was left", BOUND, () -> slow.seen.size() == 3);
			assertThat(slow.seen).containsExactly("1 after 0 lost", "9 after 7 lost", "10 after 0 lost");
		});
	}

	@Test
	void anEventChannelIsASubscribableChannelForSpringMessaging() {
		runner().run((context) -> {
			EventChannelMessageChannel alerts = new EventChannelMessageChannel(context.getBean(CorosyncNodeLifecycle.class),
					context.getBean(EventChannelTemplate.class), "alerts",
					List.of(EventFilter.prefix("disk.".getBytes(StandardCharsets.UTF_8))));
			List<Message<?>> received = new CopyOnWriteArrayList<>();
			MessageHandler handler = received::add;
			assertThat(alerts.subscribe(handler)).isTrue();
			assertThat(alerts.subscribe(handler)).isFalse();
			alerts.subscribed().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			assertThat(alerts.send(MessageBuilder.withPayload("full").setHeader(EventHeaders.PATTERNS, "disk.full")
				.setHeader("host", "db1").build(), BOUND.toMillis())).isTrue();
			assertThat(alerts.send(MessageBuilder.withPayload("hot").setHeader(EventHeaders.PATTERNS, "cpu.hot").build(),
					BOUND.toMillis())).isTrue();
			assertThat(alerts.send(MessageBuilder.withPayload("slow").setHeader(EventHeaders.PATTERNS, "disk.slow").build(),
					BOUND.toMillis())).isTrue();
			Await.until("the disk alerts", BOUND, () -> received.size() == 2);
			assertThat(received).extracting((message) -> new String((byte[]) message.getPayload(), StandardCharsets.UTF_8))
				.containsExactly("full", "slow");
			assertThat(received.get(0).getHeaders()).containsEntry("host", "db1")
				.containsEntry(EventHeaders.CHANNEL, "alerts")
				.containsEntry(EventHeaders.PATTERNS, List.of("disk.full"));
			assertThat(alerts.unsubscribe(handler)).isTrue();
			assertThat(alerts.unsubscribe(handler)).isFalse();
		});
	}

	@Test
	void badSettingsFailTheStartNamingTheProperty() {
		runner().withPropertyValues("corosync.events.default-priority=7").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("corosync.events.default-priority")
				.hasMessageContaining("A priority is 0 (highest) to 3.");
		});
		runner().withPropertyValues("corosync.events.listener-queue=0").run((context) -> assertThat(context)
			.getFailure().rootCause().hasMessageContaining("corosync.events.listener-queue").hasMessageContaining("From 1"));
		runner().withPropertyValues("corosync.events.retry.max-attempts=0").run((context) -> assertThat(context)
			.getFailure().rootCause().hasMessageContaining("corosync.events.retry.max-attempts"));
		runner().withPropertyValues("corosync.events.default-retention=soon").run((context) -> assertThat(context)
			.getFailure().hasStackTraceContaining("corosync.events.default-retention"));
		runner().withUserConfiguration(NoChannel.class).run((context) -> assertThat(context).getFailure()
			.rootCause().hasMessageContaining("NoChannel.receive").hasMessageContaining("a channel is 1 to 256 bytes"));
	}

	@Test
	void theSettingsBindAndTurningTheServiceOffRemovesTheBeans() {
		runner().withPropertyValues("corosync.events.publisher=billing", "corosync.events.default-priority=1",
				"corosync.events.default-channel=audit", "corosync.events.default-retention=30s",
				"corosync.events.publish-stable=true").run((context) -> {
					io.corosync4j.spring.CorosyncProperties.Events events = context
						.getBean(io.corosync4j.spring.CorosyncProperties.class).getEvents();
					assertThat(events.getPublisher()).isEqualTo("billing");
					assertThat(events.getDefaultPriority()).isEqualTo(1);
					assertThat(events.getDefaultChannel()).isEqualTo("audit");
					assertThat(events.getDefaultRetention()).isEqualTo(Duration.ofSeconds(30));
					assertThat(events.isPublishStable()).isTrue();
				});
		runner().withPropertyValues("corosync.events.enabled=false").run((context) -> assertThat(context)
			.hasNotFailed().doesNotHaveBean(EventChannelTemplate.class)
			.doesNotHaveBean(EventChannelListenerEndpointRegistry.class));
	}

	record Order(String item, int count) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<String> all = new CopyOnWriteArrayList<>();

		final List<Order> orders = new CopyOnWriteArrayList<>();

		final List<String> european = new CopyOnWriteArrayList<>();

		final List<Message<String>> audits = new CopyOnWriteArrayList<>();

		final List<String> publishers = new CopyOnWriteArrayList<>();

		@EventChannelListener(channel = "orders")
		void all(String payload, @Header(EventHeaders.PATTERNS) List<String> patterns,
				@Header(EventHeaders.PUBLISHER) String publisher) {
			this.all.add(patterns + " " + payload);
			if (!patterns.contains("audit")) {
				this.publishers.add(publisher);
			}
		}

		@EventChannelListener(channel = "orders", filters = @EventChannelFilter(type = EventFilter.Type.PREFIX, pattern = "order."))
		void orders(Order order) {
			this.orders.add(order);
		}

		@EventChannelListener(channel = "orders", filters = { @EventChannelFilter(type = EventFilter.Type.PASS_ALL),
				@EventChannelFilter(type = EventFilter.Type.SUFFIX, pattern = ".eu") })
		void european(Order order, @Header(EventHeaders.ID) long id, @Header(EventHeaders.PRIORITY) int priority) {
			this.european.add(id + " " + priority);
		}

		@EventChannelListener(channel = "orders", filters = @EventChannelFilter(pattern = "${audit.pattern}"))
		void audit(Message<String> message) {
			this.audits.add(message);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Flaky {

		final List<String> attempts = new CopyOnWriteArrayList<>();

		final List<String> handled = new CopyOnWriteArrayList<>();

		@Bean
		ListenerErrorHandler jobErrors() {
			return new ListenerErrorHandler() {

				@Override
				public void handleError(String source, Message<?> message, Throwable error) {
					Flaky.this.handled.add(source + ": " + new String((byte[]) message.getPayload(), StandardCharsets.UTF_8));
				}

				@Override
				public org.springframework.util.backoff.BackOff backOff() {
					return new FixedBackOff(10, 2);
				}

			};
		}

		@EventChannelListener(channel = "jobs", id = "flaky", errorHandler = "jobErrors")
		void job(String job) {
			this.attempts.add(job);
			long tries = this.attempts.stream().filter(job::equals).count();
			if (job.equals("always") || (job.equals("twice") && tries <= 2)) {
				throw new IllegalStateException("job " + job + " failed, attempt " + tries);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Late {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@EventChannelListener(channel = "news", id = "late", autoStartup = "false")
		void news(String text) {
			this.seen.add(text);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Slow {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final List<String> seen = new CopyOnWriteArrayList<>();

		@EventChannelListener(channel = "ticks", id = "slow")
		void tick(String tick, @Header(EventHeaders.LOST) long lost) throws InterruptedException {
			this.entered.countDown();
			this.release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
			this.seen.add(tick + " after " + lost + " lost");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoChannel {

		@EventChannelListener(channel = "${missing.channel:}")
		void receive(String text) {
		}

	}

}
