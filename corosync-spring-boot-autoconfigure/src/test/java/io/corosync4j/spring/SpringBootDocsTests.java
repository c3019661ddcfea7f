package io.corosync4j.spring;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.NodeConfig;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.cpg.CpgHeaders;
import io.corosync4j.spring.cpg.CpgListenerEndpointRegistry;
import io.corosync4j.spring.cpg.CpgTemplate;
import io.corosync4j.spring.health.CorosyncHealthContributorAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.core.env.PropertySource;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of README.md and {@code docs/spring-boot.md}, run: the listener and the template in a
 * one-node ring (the page's testing example is this class's first test), the cluster properties bound
 * and turned into a valid configuration, and the readiness group with the quorum in it.
 */
class SpringBootDocsTests {

	// tag::testing[]
	@Test
	void theLedgerGetsWhatIsSent(@TempDir Path state) throws Exception {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class))
			.withUserConfiguration(Ledger.class)
			.withPropertyValues("corosync.totem.port=0",     // a one-node ring on 127.0.0.1, on a free port
					"corosync.system.state-dir=" + state)
			.run(context -> {
				CpgTemplate cpgTemplate = context.getBean(CpgTemplate.class);
				// tag::send[]
				cpgTemplate.send("ledger", new Entry("coffee", 3));     // waits for room up to corosync.cpg.send-timeout
				// end::send[]
				Ledger ledger = context.getBean(Ledger.class);
				assertThat(ledger.lines.poll(10, TimeUnit.SECONDS)).isEqualTo("members: 1");
				assertThat(ledger.lines.poll(10, TimeUnit.SECONDS)).isEqualTo("node 1: coffee 3");
			});
	}

	// end::testing[]

	private static int freeUdpPort() throws IOException {
		try (DatagramSocket socket = new DatagramSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Test
	void ordersAreValidatedTheGroupIsAnExpressionAndQuorumIsAnEvent(@TempDir Path state) throws Exception {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
					ValidationAutoConfiguration.class))
			.withUserConfiguration(Orders.class)
			.withPropertyValues("corosync.totem.port=" + freeUdpPort(), "corosync.system.state-dir=" + state)
			.run((context) -> {
				CpgTemplate cpgTemplate = context.getBean(CpgTemplate.class);
				Orders orders = context.getBean(Orders.class);
				cpgTemplate.send("orders-eu", new Orders.Order("", 0));
				// tag::send-message[]
				cpgTemplate.send(MessageBuilder.withPayload(new Orders.Order("tea", 2))
						.setHeader(CpgHeaders.GROUP, "orders-eu")
						.setHeader("tenant", "acme")              // a @Header("tenant") parameter receives it
						.build())
					.get(10, TimeUnit.SECONDS);                   // delivered back in the group's order, handled here
				// end::send-message[]
				assertThat(orders.accepted).containsExactly(new Orders.Order("tea", 2));
				Await.until("quorum", Duration.ofSeconds(20), () -> orders.quorate);
				CpgListenerEndpointRegistry cpgListenerEndpointRegistry = context.getBean(CpgListenerEndpointRegistry.class);
				// tag::registry[]
				cpgListenerEndpointRegistry.stop("orders");    // its group's last listener: this member leaves the group
				cpgListenerEndpointRegistry.start("orders");   // joins again, as a new member
				// end::registry[]
				assertThat(cpgListenerEndpointRegistry.getListeners()).containsEntry("orders", true);
			});
	}

	@Test
	void theClusterPropertiesMakeAValidThreeNodeConfiguration() throws Exception {
		Binder binder = new Binder(ConfigurationPropertySources.from(yaml("docs/cluster.yaml")));
		CorosyncProperties properties = binder.bind("corosync", CorosyncProperties.class).get();
		CorosyncConfig config = new CorosyncConfigFactory(Map.of()).create(properties);
		assertThat(config.nodes()).extracting(NodeConfig::nodeid).containsExactly(1L, 2L, 3L);
		assertThat(config.nodes().get(2).addresses()).containsEntry(0, "10.0.0.3");
	}

	@Test
	void theListenerPropertiesBind() {
		Binder binder = new Binder(ConfigurationPropertySources.from(yaml("docs/listeners.yaml")));
		CorosyncProperties.Cpg cpg = binder.bind("corosync", CorosyncProperties.class).get().getCpg();
		assertThat(cpg.getDefaultGroup()).isEqualTo("orders");
		assertThat(cpg.getRetry().getMaxAttempts()).isEqualTo(3);
		assertThat(cpg.getRetry().getInterval()).isEqualTo(Duration.ofMillis(200));
		assertThat(cpg.getRetry().getMultiplier()).isEqualTo(2.0);
		assertThat(cpg.getRecovery()).isEqualTo(CorosyncProperties.Recovery.REJOIN);
		assertThat(cpg.isObservationEnabled()).isTrue();
	}

	@Test
	void theReadinessGroupHoldsTheQuorumAndNotTheRing(@TempDir Path state) throws Exception {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class,
					CorosyncHealthContributorAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
					HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
					AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
					HealthEndpointAutoConfiguration.class))
			.withInitializer((context) -> yaml("docs/health-groups.yaml")
				.forEach(context.getEnvironment().getPropertySources()::addFirst))
			.withPropertyValues("corosync.totem.port=" + freeUdpPort(), "corosync.system.state-dir=" + state)
			.run((context) -> {
				CompositeHealthDescriptor readiness = (CompositeHealthDescriptor) context.getBean(HealthEndpoint.class)
					.healthForPath("readiness");
				assertThat(readiness.getComponents()).containsOnlyKeys("readinessState", "corosync");
				assertThat(((CompositeHealthDescriptor) readiness.getComponents().get("corosync")).getComponents())
					.containsOnlyKeys("quorum");
			});
	}

	private static List<PropertySource<?>> yaml(String resource) {
		try {
			return new YamlPropertySourceLoader().load(resource, new ClassPathResource(resource));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
