package io.corosync4j.spring.cpg;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.spring.FreePort;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgReason;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class CpgAutoConfigurationTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void listenersReceiveEveryPayloadShapeInOrder() {
		runner().withUserConfiguration(Listeners.class).run((context) -> {
			CpgTemplate template = context.getBean(CpgTemplate.class);
			Listeners listeners = context.getBean(Listeners.class);
			template.send("orders", "first");
			template.send("orders", new Order("apples", 3));
			template.send("orders", "third".getBytes(StandardCharsets.UTF_8));
			template.send("audit", new Order("pears", 1));
			Await.until("all deliveries", Duration.ofSeconds(20), () -> listeners.texts.size() == 3 && listeners.orders.size() == 1);
			// every message reaches the String listener in the order it was sent
			assertThat(listeners.texts).containsExactly("1/first", "1/{\"item\":\"apples\",\"count\":3}", "1/third");
			assertThat(listeners.bytes).containsExactly(5, 27, 5);
			assertThat(listeners.orders).containsExactly(new Order("pears", 1));
			assertThat(listeners.changes).isNotEmpty();
			CpgConfigurationChange join = listeners.changes.get(0);
			assertThat(join.joined()).singleElement().satisfies((address) -> {
				assertThat(address.nodeid()).isEqualTo(1);
				assertThat(address.reason()).isEqualTo(CpgReason.JOIN);
			});
			assertThat(context.getBean(CpgListenerEndpointRegistry.class).getStatistics().get("orders").delivered())
				.isEqualTo(3);
		});
	}

	@Test
	void aFailingListenerGoesToTheErrorHandlerAndTheNextMessageStillArrives() {
		runner().withUserConfiguration(Failing.class).run((context) -> {
			Failing failing = context.getBean(Failing.class);
			context.getBean(CpgTemplate.class).send("jobs", "boom");
			context.getBean(CpgTemplate.class).send("jobs", "fine");
			Await.until("both jobs", Duration.ofSeconds(20), () -> failing.seen.size() == 2);
			assertThat(failing.errors).singleElement().asString().contains("boom");
			assertThat(context.getBean(CpgListenerEndpointRegistry.class).getStatistics().get("jobs").failures())
				.isEqualTo(1);
		});
	}

	@Test
	void groupsAreLeftWhenTheContextCloses() {
		CpgListenerEndpointRegistry[] registry = new CpgListenerEndpointRegistry[1];
		runner().withUserConfiguration(Listeners.class)
			.run((context) -> registry[0] = context.getBean(CpgListenerEndpointRegistry.class));
		assertThat(registry[0].isRunning()).isFalse();
		assertThat(registry[0].getStatistics()).isEmpty();
	}

	@Test
	void withoutJacksonBytesAndStringsStillWork() {
		runner().withClassLoader(new FilteredClassLoader(JsonMapper.class)).withUserConfiguration(Failing.class)
			.run((context) -> {
				context.getBean(CpgTemplate.class).send("jobs", "fine");
				Await.until("the job", Duration.ofSeconds(20), () -> context.getBean(Failing.class).seen.size() == 1);
			});
	}

	@Test
	void backsOffWithoutSpringMessaging() {
		runner().withClassLoader(new FilteredClassLoader(DefaultMessageHandlerMethodFactory.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CpgTemplate.class));
	}

	@Test
	void aListenerWithoutAGroupIsRefusedNamingTheMethod() {
		runner().withUserConfiguration(NoGroup.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("noGroup.receive")
				.hasMessageContaining("names no group");
		});
	}

	@Test
	void headersTravelAndTheFutureCompletesAfterThisMembersListenersHandledIt() {
		runner().withUserConfiguration(Listeners.class).run((context) -> {
			CpgTemplate template = context.getBean(CpgTemplate.class);
			Listeners listeners = context.getBean(Listeners.class);
			template.send(MessageBuilder.withPayload(new Order("figs", 4))
				.setHeader(CpgHeaders.GROUP, "audit")
				.setHeader("tenant", "acme")
				.setHeader("priority", 7)
				.build()).get(20, TimeUnit.SECONDS);
			// complete means handled here, in the group's order
			assertThat(listeners.orders).containsExactly(new Order("figs", 4));
			assertThat(listeners.tenants).containsExactly("acme/7");
			template.send("orders", "bare").get(20, TimeUnit.SECONDS);
			assertThat(listeners.texts).containsExactly("1/bare");
			assertThatException().isThrownBy(() -> template.send(MessageBuilder.withPayload("x")
				.setHeader(CpgHeaders.GROUP, "audit").setHeader("when", new Object()).build()))
				.isInstanceOf(IllegalArgumentException.class).withMessageContaining("header 'when'");
		});
	}

	@Test
	void aGroupThisMemberIsNotInIsRefusedUnlessSendingMayJoinIt() {
		runner().withUserConfiguration(Failing.class).run((context) -> {
			assertThatException().isThrownBy(() -> context.getBean(CpgTemplate.class).send("elsewhere", "x"))
				.isInstanceOf(IllegalStateException.class).withMessageContaining("corosync.cpg.join-on-send");
		});
		runner().withUserConfiguration(Failing.class).withPropertyValues("corosync.cpg.join-on-send=true")
			.run((context) -> context.getBean(CpgTemplate.class).send("elsewhere", "x").get(20, TimeUnit.SECONDS));
	}

	@Test
	void theDefaultGroup() {
		runner().withUserConfiguration(Failing.class).withPropertyValues("corosync.cpg.default-group=jobs")
			.run((context) -> {
				CpgTemplate template = context.getBean(CpgTemplate.class);
				template.sendDefault("fine").get(20, TimeUnit.SECONDS);
				template.send(MessageBuilder.withPayload("also fine").build()).get(20, TimeUnit.SECONDS);
				assertThat(context.getBean(Failing.class).seen).containsExactly("fine", "also fine");
			});
		runner().withUserConfiguration(Failing.class).run((context) -> assertThatException()
			.isThrownBy(() -> context.getBean(CpgTemplate.class).sendDefault("x"))
			.withMessageContaining("corosync.cpg.default-group"));
	}

	@Test
	void aFailedListenerIsRetriedInPlaceBeforeTheNextMessage() {
		runner().withUserConfiguration(Flaky.class)
			.withPropertyValues("corosync.cpg.retry.max-attempts=3", "corosync.cpg.retry.interval=20ms")
			.run((context) -> {
				Flaky flaky = context.getBean(Flaky.class);
				CpgTemplate template = context.getBean(CpgTemplate.class);
				template.send("flaky", "twice");     // fails twice, then works
				template.send("flaky", "next").get(20, TimeUnit.SECONDS);
				assertThat(flaky.attempts).containsExactly("twice", "twice", "twice", "next");
				CpgListenerEndpointRegistry.GroupStatistics statistics = context
					.getBean(CpgListenerEndpointRegistry.class).getStatistics().get("flaky");
				assertThat(statistics.retries()).isEqualTo(2);
				assertThat(statistics.failures()).isZero();
			});
	}

	@Test
	void aListenerNamesItsOwnErrorHandlerAndTheOthersKeepTheDefault() {
		runner().withUserConfiguration(Flaky.class, NamedHandler.class)
			.withPropertyValues("flaky.error-handler=flakyHandler", "corosync.cpg.retry.max-attempts=3",
					"corosync.cpg.retry.interval=10ms")
			.run((context) -> {
				context.getBean(CpgTemplate.class).send("flaky", "always").get(20, TimeUnit.SECONDS);
				assertThat(context.getBean(NamedHandler.class).handled).singleElement().asString().contains("always");
				// this handler allows one retry
				assertThat(context.getBean(Flaky.class).attempts).containsExactly("always", "always");
				// the default is still the auto-configured one, with its three attempts
				assertThat(context.getBean("cpgListenerErrorHandler", CpgListenerErrorHandler.class).backOff())
					.isInstanceOf(org.springframework.util.backoff.ExponentialBackOff.class);
			});
	}

	@Test
	void aMessageGivenUpOnGoesToTheDeadLetterGroupWithWhereItCameFromAndWhy() {
		runner().withUserConfiguration(Flaky.class, DeadLetters.class)
			.withPropertyValues("corosync.cpg.recovery=dead-letter", "corosync.cpg.dead-letter-group=flaky-dlt")
			.run((context) -> {
				context.getBean(CpgTemplate.class).send(MessageBuilder.withPayload("always")
					.setHeader(CpgHeaders.GROUP, "flaky")
					.setHeader("tenant", "acme")
					.build());
				DeadLetters deadLetters = context.getBean(DeadLetters.class);
				Await.until("the dead letter", Duration.ofSeconds(20), () -> deadLetters.letters.size() == 1);
				assertThat(deadLetters.letters.get(0)).startsWith("always from flaky on node 1 (sent by 1): ")
					.contains("IllegalStateException", "tenant acme");
			});
		runner().withUserConfiguration(Flaky.class).withPropertyValues("corosync.cpg.recovery=dead-letter")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("corosync.cpg.dead-letter-group"));
		// a failure in the dead-letter group itself is not sent back to it
		runner().withUserConfiguration(Flaky.class)
			.withPropertyValues("corosync.cpg.recovery=dead-letter", "corosync.cpg.dead-letter-group=flaky")
			.run((context) -> {
				context.getBean(CpgTemplate.class).send("flaky", "always").get(20, TimeUnit.SECONDS);
				context.getBean(CpgTemplate.class).send("flaky", "next").get(20, TimeUnit.SECONDS);
				assertThat(context.getBean(Flaky.class).attempts).containsExactly("always", "next");
			});
	}

	@Test
	void aMemberThatCannotApplyAMessageLeavesAndJoinsAgainAsANewMember() {
		runner().withUserConfiguration(Flaky.class).withPropertyValues("corosync.cpg.recovery=rejoin")
			.run((context) -> {
				CpgListenerEndpointRegistry registry = context.getBean(CpgListenerEndpointRegistry.class);
				long before = registry.handleFor("flaky").pid();
				CpgTemplate template = context.getBean(CpgTemplate.class);
				CompletableFuture<Void> failing = template.send("flaky", "always");
				failing.get(20, TimeUnit.SECONDS);
				Flaky flaky = context.getBean(Flaky.class);
				Await.until("left and joined again", Duration.ofSeconds(20), () -> flaky.changes.size() >= 3);
				assertThat(flaky.changes.get(1)).as("its own leave").startsWith("left " + before);
				assertThat(flaky.changes.get(2)).as("its join as a new member").startsWith("joined ")
					.doesNotContain("joined " + before);
				template.send("flaky", "after").get(20, TimeUnit.SECONDS);
				assertThat(flaky.attempts).endsWith("after");
			});
	}

	@Test
	void listenersHaveIdsAndStartAndStopAtRunTime() {
		runner().withUserConfiguration(Switchable.class).withPropertyValues("reports.start=false").run((context) -> {
			CpgListenerEndpointRegistry registry = context.getBean(CpgListenerEndpointRegistry.class);
			CpgTemplate template = context.getBean(CpgTemplate.class);
			Switchable switchable = context.getBean(Switchable.class);
			assertThat(registry.getListeners()).containsEntry("reports", false)
				.containsEntry("audit-main", true)
				.containsEntry("audit-copy", true);
			// nothing of group "reports" runs: this member is not in it
			assertThatException().isThrownBy(() -> template.send("reports", "r1"))
				.withMessageContaining("not in CPG group 'reports'");
			registry.start("reports");
			template.send("reports", "r2").get(20, TimeUnit.SECONDS);
			assertThat(switchable.seen).containsExactly("reports r2");

			// one of two listeners of a group stops: it misses what comes, the member stays
			registry.stop("audit-copy");
			template.send("audit", "a1").get(20, TimeUnit.SECONDS);
			registry.start("audit-copy");
			template.send("audit", "a2").get(20, TimeUnit.SECONDS);
			assertThat(switchable.seen).containsExactly("reports r2", "main a1", "copy a2", "main a2");

			// the last listener of a group stops: the member leaves it
			registry.stop("reports");
			assertThat(registry.getStatistics()).doesNotContainKey("reports");
			assertThatException().isThrownBy(() -> registry.stop("nobody")).withMessageContaining("no CPG listener");
		});
	}

	@Test
	void aGroupsContainerTakesTheSettingsOfTheFactoryItsListenersName() {
		runner().withUserConfiguration(Contained.class).run((context) -> {
			Contained contained = context.getBean(Contained.class);
			CpgTemplate template = context.getBean(CpgTemplate.class);
			template.send("bulk", "bad").get(20, TimeUnit.SECONDS);
			template.send("plain", "bad").get(20, TimeUnit.SECONDS);
			// the factory's error handler for group bulk; the default (logging) for group plain
			assertThat(contained.handled).containsExactly("bulk");
		});
		runner().withUserConfiguration(Contained.class, Conflicting.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("name different container factories");
		});
	}

	@Test
	void aGroupNameIsAPlaceholderThenAnExpression() {
		runner().withUserConfiguration(Expressions.class).withPropertyValues("app.region=eu").run((context) -> {
			assertThat(context.getBean(CpgListenerEndpointRegistry.class).getEndpoints())
				.extracting(CpgListenerEndpointRegistry.Endpoint::group)
				.containsExactlyInAnyOrder("orders-eu", "audit-3");
			context.getBean(CpgTemplate.class).send("orders-eu", "hello");
			Expressions expressions = context.getBean(Expressions.class);
			Await.until("the message", Duration.ofSeconds(20), () -> expressions.seen.size() == 1);
		});
	}

	@Test
	void anInvalidPayloadGoesToTheErrorHandlerAndNeverToTheListener() {
		runner().withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withUserConfiguration(Validated.class)
			.run((context) -> {
				Validated validated = context.getBean(Validated.class);
				CpgTemplate template = context.getBean(CpgTemplate.class);
				template.send("checked", new Order("", -1));
				template.send("checked", new Order("plums", 2));
				Await.until("the valid order", Duration.ofSeconds(20), () -> validated.orders.size() == 1);
				assertThat(validated.orders).containsExactly(new Order("plums", 2));
				assertThat(validated.errors).singleElement()
					.isInstanceOf(MethodArgumentNotValidException.class)
					.asString()
					.contains("item", "count");
			});
	}

	@Test
	void withSpringMvcsValidatorBesideItBootsDefaultValidatorIsUsed() {
		runner().withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withUserConfiguration(Validated.class)
			.withBean("mvcValidator", org.springframework.validation.Validator.class,
					() -> new org.springframework.validation.beanvalidation.LocalValidatorFactoryBean())
			.run((context) -> {
				assertThat(context.getBeansOfType(org.springframework.validation.Validator.class)).hasSize(2);
				Validated validated = context.getBean(Validated.class);
				context.getBean(CpgTemplate.class).send("checked", new Order("", -1));
				Await.until("the error", Duration.ofSeconds(20), () -> validated.errors.size() == 1);
				assertThat(validated.orders).isEmpty();
			});
	}

	record Order(@NotBlank String item, @PositiveOrZero int count) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Flaky {

		final List<String> attempts = new CopyOnWriteArrayList<>();

		final List<String> changes = new CopyOnWriteArrayList<>();

		@CpgListener(group = "flaky", errorHandler = "${flaky.error-handler:}")
		void job(String job) {
			this.attempts.add(job);
			long tries = this.attempts.stream().filter(job::equals).count();
			if (job.equals("always") || (job.equals("twice") && tries <= 2)) {
				throw new IllegalStateException("job " + job + " failed, attempt " + tries);
			}
		}

		@CpgMembershipListener(group = "flaky")
		void changed(CpgConfigurationChange change) {
			change.joined().forEach((address) -> this.changes.add("joined " + address.pid()));
			change.left().forEach((address) -> this.changes.add("left " + address.pid()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Contained {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@Bean
		CpgListenerContainerFactory bulkContainers() {
			CpgListenerContainerFactory factory = new CpgListenerContainerFactory();
			factory.setListenerQueue(org.springframework.util.unit.DataSize.ofMegabytes(1));
			factory.setErrorHandler((group, message, error) -> this.handled.add(group));
			return factory;
		}

		@CpgListener(group = "bulk", containerFactory = "bulkContainers")
		void bulk(String item) {
			throw new IllegalStateException(item);
		}

		@CpgListener(group = "plain")
		void plain(String item) {
			throw new IllegalStateException(item);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Conflicting {

		@CpgListener(group = "bulk")
		void alsoBulk(String item) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Switchable {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@CpgListener(group = "reports", id = "reports", autoStartup = "${reports.start:true}")
		void report(String report) {
			this.seen.add("reports " + report);
		}

		@CpgListener(group = "audit", id = "audit-main")
		void main(String entry) {
			this.seen.add("main " + entry);
		}

		@CpgListener(group = "audit", id = "audit-copy")
		void copy(String entry) {
			this.seen.add("copy " + entry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NamedHandler {

		final List<String> handled = new CopyOnWriteArrayList<>();

		@Bean
		CpgListenerErrorHandler flakyHandler() {
			return new DefaultCpgListenerErrorHandler(new org.springframework.util.backoff.FixedBackOff(10, 1),
					(group, message, error) -> this.handled.add(error.getMessage()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DeadLetters {

		final List<String> letters = new CopyOnWriteArrayList<>();

		@CpgListener(group = "flaky-dlt")
		void letter(String payload, @Header(DeadLetterCpgRecoverer.GROUP) String group,
				@Header(DeadLetterCpgRecoverer.FAILED_ON) long failedOn,
				@Header(DeadLetterCpgRecoverer.SENDER_NODE_ID) long sender,
				@Header(DeadLetterCpgRecoverer.EXCEPTION) String exception, @Header("tenant") String tenant) {
			this.letters.add(payload + " from " + group + " on node " + failedOn + " (sent by " + sender + "): "
					+ exception + ", tenant " + tenant);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Expressions {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@CpgListener(group = "#{'orders-' + '${app.region}'}")
		void order(String order) {
			this.seen.add(order);
		}

		@CpgMembershipListener(group = "#{'audit-' + (1 + 2)}")
		void changed(CpgConfigurationChange change) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Validated {

		final List<Order> orders = new CopyOnWriteArrayList<>();

		final List<Throwable> errors = new CopyOnWriteArrayList<>();

		@CpgListener(group = "checked")
		void order(@Payload @Valid Order order) {
			this.orders.add(order);
		}

		@Bean
		CpgListenerErrorHandler cpgListenerErrorHandler() {
			return (group, message, error) -> this.errors.add(error);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<String> texts = new CopyOnWriteArrayList<>();

		final List<Integer> bytes = new CopyOnWriteArrayList<>();

		final List<Order> orders = new CopyOnWriteArrayList<>();

		final List<CpgConfigurationChange> changes = new CopyOnWriteArrayList<>();

		@CpgListener(group = "orders")
		void text(String text, @Header(CpgHeaders.NODE_ID) long nodeid) {
			this.texts.add(nodeid + "/" + text);
		}

		@CpgListener(group = "orders")
		void raw(Message<byte[]> message) {
			this.bytes.add(message.getPayload().length);
		}

		final List<String> tenants = new CopyOnWriteArrayList<>();

		@CpgListener(group = "audit")
		void order(Order order, @Header(name = "tenant", required = false) String tenant,
				@Header(name = "priority", required = false) Integer priority) {
			this.orders.add(order);
			if (tenant != null) {
				this.tenants.add(tenant + "/" + priority);
			}
		}

		@CpgMembershipListener(group = "orders")
		void changed(CpgConfigurationChange change) {
			this.changes.add(change);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Failing {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final List<String> errors = new CopyOnWriteArrayList<>();

		@CpgListener(group = "jobs")
		void job(String job) {
			this.seen.add(job);
			if (job.equals("boom")) {
				throw new IllegalStateException("job boom failed");
			}
		}

		@Bean
		CpgListenerErrorHandler cpgListenerErrorHandler() {
			return (group, message, error) -> this.errors.add(error.toString());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoGroup {

		@Bean
		Object noGroup() {
			return new Object() {

				@CpgListener(group = "")
				void receive(String text) {
				}

			};
		}

	}

}
