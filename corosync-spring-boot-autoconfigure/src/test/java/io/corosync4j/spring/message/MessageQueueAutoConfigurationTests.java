package io.corosync4j.spring.message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.message.Destination;
import io.corosync4j.engine.message.MessageError;
import io.corosync4j.engine.message.MessageException;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncProperties;
import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Queue listeners, the template and the channel adapter on a one-node ring. */
class MessageQueueAutoConfigurationTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
					MessageQueueAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void messagesSentEveryWayAreHandledConvertedAndAcknowledged() {
		runner().withUserConfiguration(Workers.class).run((context) -> {
			QueueListenerEndpointRegistry registry = context.getBean(QueueListenerEndpointRegistry.class);
			registry.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			MessageQueueTemplate template = context.getBean(MessageQueueTemplate.class);
			Workers workers = context.getBean(Workers.class);
			List<Long> ids = template.send("orders", new Order("apples", 3)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			// completes once the listener returned and the message was acknowledged
			template.sendAndWaitForDelivery("orders", new Order("pears", 2)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			assertThat(workers.orders).contains("apples x3", "pears x2");
			QueueGroupMessageChannel channel = new QueueGroupMessageChannel(template, "orders");
			assertThat(channel.send(MessageBuilder.withPayload(new Order("figs", 1)).setHeader("tenant", "acme")
				.setHeader(QueueHeaders.PRIORITY, 0).build(), BOUND.toMillis())).isTrue();
			template.send(Destination.queue("orders@1/worker"), 2, "{\"item\":\"kiwis\",\"count\":5}".getBytes(StandardCharsets.UTF_8))
				.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			Await.until("four orders, acknowledged", BOUND, () -> registry.getStatistics().get("worker").acknowledged() == 4);
			assertThat(workers.orders).containsExactly("apples x3", "pears x2", "figs x1", "kiwis x5");
			assertThat(workers.headers).containsExactly("null/3", "null/3", "acme/0", "null/2");
			assertThat(workers.ids.get(0)).isEqualTo(ids.get(0));
			assertThat(registry.getStatistics().get("worker")).satisfies((statistics) -> {
				assertThat(statistics.queue()).isEqualTo("orders@1/worker");
				assertThat(statistics.open()).isTrue();
				assertThat(statistics.delivered()).isEqualTo(4);
				assertThat(statistics.failures()).isZero();
			});
		});
	}

	@Test
	void aRequestIsAnsweredWithTheMethodsReturnValue() {
		runner().withUserConfiguration(Workers.class).run((context) -> {
			context.getBean(QueueListenerEndpointRegistry.class).opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			MessageQueueTemplate template = context.getBean(MessageQueueTemplate.class);
			Price price = template.sendAndReceive("prices", new Order("apples", 3), Price.class)
				.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			assertThat(price).isEqualTo(new Price("apples", 150));
			// a void method answers with nothing
			assertThat(template.sendAndReceive(Destination.group("orders"), 3, new Order("figs", 1), Order.class,
					BOUND).get(BOUND.toSeconds(), TimeUnit.SECONDS)).isNull();
		});
	}

	@Test
	void aRetriedListenerThatSucceedsAcknowledgesOnce() {
		runner().withUserConfiguration(Failing.class)
			.withPropertyValues("corosync.messages.retry.max-attempts=3", "corosync.messages.retry.interval=10ms")
			.run((context) -> {
				QueueListenerEndpointRegistry registry = context.getBean(QueueListenerEndpointRegistry.class);
				registry.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
				context.getBean(MessageQueueTemplate.class).sendAndWaitForDelivery("jobs", "once")
					.get(BOUND.toSeconds(), TimeUnit.SECONDS);
				assertThat(context.getBean(Failing.class).attempts).containsExactly("once", "once");
				assertThat(registry.getStatistics().get("failing")).satisfies((statistics) -> {
					assertThat(statistics.retries()).isEqualTo(1);
					assertThat(statistics.failures()).isZero();
					assertThat(statistics.kept()).isZero();
				});
			});
	}

	@Test
	void aMessageTheListenerKeepsFailingOnStaysUnacknowledgedAndMovesWhenItsQueueCloses() {
		runner().withUserConfiguration(Failing.class).run((context) -> {
			QueueListenerEndpointRegistry registry = context.getBean(QueueListenerEndpointRegistry.class);
			registry.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			Failing failing = context.getBean(Failing.class);
			long id = context.getBean(MessageQueueTemplate.class).send("jobs", "always").get(BOUND.toSeconds(), TimeUnit.SECONDS)
				.get(0);
			Await.until("the failure", BOUND, () -> registry.getStatistics().get("failing").kept() == 1);
			assertThat(registry.getStatistics().get("failing").acknowledged()).isZero();
			// another worker joins the group, the failing one stops: its queue closes and the message moves on
			registry.start("rescuer");
			registry.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			registry.stop("failing");
			Await.until("the rescue", BOUND, () -> failing.rescued.size() == 1);
			assertThat(failing.rescued).containsExactly("always #" + id + " moved=true");
			Await.until("the acknowledgement", BOUND, () -> registry.getStatistics().get("rescuer").acknowledged() == 1);
		});
	}

	@Test
	void aMessageWithNoQueueLeftToTakeItComesBackToItsSender() {
		runner().withUserConfiguration(Lonely.class).run((context) -> {
			QueueListenerEndpointRegistry registry = context.getBean(QueueListenerEndpointRegistry.class);
			registry.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			long id = context.getBean(MessageQueueTemplate.class).send("lonely", "stuck").get(BOUND.toSeconds(), TimeUnit.SECONDS)
				.get(0);
			Await.until("the failure", BOUND, () -> registry.getStatistics().get("lonely").kept() == 1);
			registry.stop("lonely");
			Lonely lonely = context.getBean(Lonely.class);
			Await.until("the return", BOUND, () -> lonely.returned.size() == 1);
			assertThat(lonely.returned.get(0).getFailure().id()).isEqualTo(id);
			assertThat(new String(lonely.returned.get(0).getFailure().payload(), StandardCharsets.UTF_8)).isEqualTo("stuck");
		});
	}

	@Test
	void aMessageGivenUpOnGoesToTheDeadLetterGroupWithWhereItCameFromAndWhyAndIsAcknowledged() {
		runner().withUserConfiguration(Failing.class, DeadLetters.class)
			.withPropertyValues("corosync.messages.recovery=dead-letter", "corosync.messages.dead-letter-group=jobs.dlt",
					"corosync.messages.retry.max-attempts=2", "corosync.messages.retry.interval=10ms")
			.run((context) -> {
				QueueListenerEndpointRegistry registry = context.getBean(QueueListenerEndpointRegistry.class);
				registry.opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
				MessageQueueTemplate template = context.getBean(MessageQueueTemplate.class);
				long id = template.send(MessageBuilder.withPayload("always").setHeader(QueueHeaders.GROUP, "jobs")
					.setHeader("tenant", "acme").build()).get(BOUND.toSeconds(), TimeUnit.SECONDS).get(0);
				DeadLetters dead = context.getBean(DeadLetters.class);
				Await.until("the dead letter", BOUND, () -> dead.letters.size() == 1);
				Message<String> letter = dead.letters.get(0);
				assertThat(letter.getPayload()).isEqualTo("always");
				assertThat(letter.getHeaders()).containsEntry(DefaultQueueListenerErrorHandler.GROUP, "jobs")
					.containsEntry(DefaultQueueListenerErrorHandler.QUEUE, "jobs@1/failing")
					.containsEntry(DefaultQueueListenerErrorHandler.MESSAGE_ID, Long.toString(id))
					.containsEntry(DefaultQueueListenerErrorHandler.FAILED_ON, "1")
					.containsEntry("tenant", "acme");
				assertThat(letter.getHeaders().get(DefaultQueueListenerErrorHandler.EXCEPTION).toString())
					.contains("job always failed");
				assertThat(context.getBean(Failing.class).attempts).containsExactly("always", "always");
				// the original is acknowledged once the dead letter is safe
				Await.until("the acknowledgement", BOUND, () -> registry.getStatistics().get("failing").acknowledged() == 1);
				// a request dead-lettered so is answered by nobody: its sender hears at once
				assertThatExceptionOfType(ExecutionException.class)
					.isThrownBy(() -> template.sendAndReceive("jobs", "always", String.class).get(BOUND.toSeconds(), TimeUnit.SECONDS))
					.havingCause().isInstanceOfSatisfying(MessageException.class,
							(ex) -> assertThat(ex.error()).isEqualTo(MessageError.NOT_FOUND));
			});
	}

	@Test
	void badSettingsFailTheStartNamingTheProperty() {
		runner().withPropertyValues("corosync.messages.default-priority=9").run((context) -> assertThat(context)
			.getFailure().rootCause().hasMessageContaining("corosync.messages.default-priority")
			.hasMessageContaining("A priority is 0 (highest) to 3."));
		runner().withPropertyValues("corosync.messages.listener.prefetch=0").run((context) -> assertThat(context)
			.getFailure().rootCause().hasMessageContaining("corosync.messages.listener.prefetch")
			.hasMessageContaining("From 1 to 65536."));
		runner().withPropertyValues("corosync.messages.recovery=dead-letter").run((context) -> assertThat(context)
			.getFailure().rootCause().hasMessageContaining("corosync.messages.recovery")
			.hasMessageContaining("corosync.messages.dead-letter-group"));
		runner().withPropertyValues("corosync.messages.recovery=drop").run((context) -> assertThat(context)
			.getFailure().hasStackTraceContaining("corosync.messages.recovery"));
		runner().withPropertyValues("corosync.messages.listener.prefech=4").run((context) -> assertThat(context)
			.getFailure().hasStackTraceContaining("corosync.messages.listener.prefech"));
	}

	@Test
	void theSettingsBindAndTurningTheServiceOffRemovesTheBeans() {
		runner().withPropertyValues("corosync.messages.listener.group-policy=local-best-queue",
				"corosync.messages.listener.persistent=true", "corosync.messages.listener.retention=1m",
				"corosync.messages.listener.capacity-bytes=4MB", "corosync.messages.reply-timeout=5s")
			.run((context) -> {
				CorosyncProperties.Messages messages = context.getBean(CorosyncProperties.class).getMessages();
				assertThat(messages.getListener().getGroupPolicy())
					.isEqualTo(CorosyncProperties.QueueGroupPolicy.LOCAL_BEST_QUEUE);
				assertThat(messages.getListener().isPersistent()).isTrue();
				assertThat(messages.getListener().getRetention()).isEqualTo(Duration.ofMinutes(1));
				assertThat(messages.getListener().getCapacityBytes().toMegabytes()).isEqualTo(4);
				assertThat(messages.getReplyTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(messages.getRecovery()).isEqualTo(CorosyncProperties.QueueRecovery.KEEP);
			});
		runner().withPropertyValues("corosync.messages.enabled=false").run((context) -> assertThat(context)
			.hasNotFailed().doesNotHaveBean(MessageQueueTemplate.class).doesNotHaveBean(QueueListenerEndpointRegistry.class));
	}

	record Order(String item, int count) {
	}

	record Price(String item, int cents) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		final List<String> orders = new CopyOnWriteArrayList<>();

		final List<String> headers = new CopyOnWriteArrayList<>();

		final List<Long> ids = new CopyOnWriteArrayList<>();

		@QueueListener(group = "orders", id = "worker")
		void order(Order order, @Header(QueueHeaders.MESSAGE_ID) long id, @Header(QueueHeaders.PRIORITY) int priority,
				@Header(name = "tenant", required = false) String tenant) {
			this.orders.add(order.item() + " x" + order.count());
			this.headers.add(tenant + "/" + priority);
			this.ids.add(id);
		}

		@QueueListener(group = "prices", id = "pricer")
		Price price(Order order) {
			return new Price(order.item(), 50 * order.count());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Failing {

		final List<String> attempts = new CopyOnWriteArrayList<>();

		final List<String> rescued = new CopyOnWriteArrayList<>();

		@QueueListener(group = "jobs", id = "failing")
		void job(String job) {
			this.attempts.add(job);
			long tries = this.attempts.stream().filter(job::equals).count();
			if (job.equals("always") || (job.equals("once") && tries == 1)) {
				throw new IllegalStateException("job " + job + " failed, attempt " + tries);
			}
		}

		@QueueListener(group = "jobs", id = "rescuer", autoStartup = "false")
		void rescue(String job, @Header(QueueHeaders.MESSAGE_ID) long id, @Header(QueueHeaders.MOVED) boolean moved) {
			this.rescued.add(job + " #" + id + " moved=" + moved);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DeadLetters {

		final List<Message<String>> letters = new CopyOnWriteArrayList<>();

		@QueueListener(group = "jobs.dlt", id = "dead-letters")
		void letter(Message<String> letter) {
			this.letters.add(letter);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Lonely {

		final List<QueueMessageReturnedEvent> returned = new CopyOnWriteArrayList<>();

		@QueueListener(group = "lonely", id = "lonely")
		void job(String job) {
			throw new IllegalStateException("never works");
		}

		@EventListener
		void returned(QueueMessageReturnedEvent event) {
			this.returned.add(event);
		}

	}

}
