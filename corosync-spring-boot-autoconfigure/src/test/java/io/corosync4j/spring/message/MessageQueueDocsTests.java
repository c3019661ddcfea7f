package io.corosync4j.spring.message;

import java.nio.file.Path;
import java.time.Duration;
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
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** The message queue examples of {@code docs/spring-boot.md}, on a one-node ring. */
class MessageQueueDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(20);

	@TempDir
	Path directory;

	@Test
	void invoicesAreSentHandledOnceAndQuotesAnswered() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
					MessageQueueAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"))
			.withUserConfiguration(Invoicing.class)
			.run((context) -> {
				context.getBean(QueueListenerEndpointRegistry.class).opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
				MessageQueueTemplate messageQueueTemplate = context.getBean(MessageQueueTemplate.class);
				// tag::send[]
				messageQueueTemplate.send("invoices", new Invoicing.Invoice("A-17", 1250))
					.get(10, TimeUnit.SECONDS);            // safe: held by every member, on two nodes or more
				messageQueueTemplate.sendAndWaitForDelivery("invoices", new Invoicing.Invoice("A-18", 990))
					.get(10, TimeUnit.SECONDS);            // a listener returned and its acknowledgement is safe
				Integer gross = messageQueueTemplate.sendAndReceive("quotes", new Invoicing.Invoice("A-19", 1000),
						Integer.class)                     // the method's return value, converted
					.get(40, TimeUnit.SECONDS);            // fails TIMEOUT after corosync.messages.reply-timeout
				// end::send[]
				assertThat(gross).isEqualTo(1200);
				// tag::channel[]
				MessageChannel invoices = new QueueGroupMessageChannel(messageQueueTemplate, "invoices");
				invoices.send(MessageBuilder.withPayload(new Invoicing.Invoice("A-20", 400))
					.setHeader("tenant", "acme")           // travels with it, for a @Header("tenant") parameter
					.build());                             // true once the message is safe in the group
				// end::channel[]
				Invoicing invoicing = context.getBean(Invoicing.class);
				Await.until("three invoices", BOUND, () -> invoicing.billed.size() == 3);
				assertThat(invoicing.billed).extracting(Invoicing.Invoice::order).containsExactly("A-17", "A-18", "A-20");
			});
	}

	@Test
	void theMessagePropertiesBind() throws Exception {
		Binder binder = new Binder(ConfigurationPropertySources.from(
				new YamlPropertySourceLoader().load("messages", new ClassPathResource("docs/messages.yaml"))));
		CorosyncProperties.Messages messages = binder.bind("corosync", CorosyncProperties.class).get().getMessages();
		assertThat(messages.getListener().getGroupPolicy()).isEqualTo(CorosyncProperties.QueueGroupPolicy.ROUND_ROBIN);
		assertThat(messages.getListener().getPrefetch()).isEqualTo(32);
		assertThat(messages.getListener().isPersistent()).isTrue();
		assertThat(messages.getListener().getRetention()).isEqualTo(Duration.ofMinutes(10));
		assertThat(messages.getRetry().getMaxAttempts()).isEqualTo(3);
		assertThat(messages.getRecovery()).isEqualTo(CorosyncProperties.QueueRecovery.DEAD_LETTER);
		assertThat(messages.getDeadLetterGroup()).isEqualTo("invoices.dlt");
	}

}
