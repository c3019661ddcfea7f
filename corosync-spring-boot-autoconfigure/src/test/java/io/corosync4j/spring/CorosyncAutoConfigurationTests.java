package io.corosync4j.spring;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import io.corosync4j.engine.config.ConfigException;
import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.transport.TransportException;
import io.corosync4j.spring.health.CorosyncHealthContributorAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class CorosyncAutoConfigurationTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class,
					CorosyncHealthContributorAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void withNothingConfiguredASingleNodeRunsOnLoopback() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(CorosyncNodeLifecycle.class);
			CorosyncNode node = context.getBean(CorosyncNodeLifecycle.class).getNode();
			assertThat(node.nodeId()).isEqualTo(1);
			assertThat(node.membership().members()).containsExactly(1L);
			assertThat(node.membership().synced()).isTrue();
			assertThat(node.quorate()).isTrue();
			assertThat(node.config().totem().clusterName()).isEqualTo("corosync4j");
		});
	}

	@Test
	void theNodeLeavesWhenTheContextCloses() {
		CorosyncNode[] node = new CorosyncNode[1];
		runner().run((context) -> node[0] = context.getBean(CorosyncNodeLifecycle.class).getNode());
		assertThat(node[0].isClosed()).isTrue();
	}

	@Test
	void propertiesSpellCorosyncConfKeys() {
		runner().withPropertyValues("corosync.totem.cluster-name=orders", "corosync.totem.token=2s",
				"corosync.nodelist[0].nodeid=1", "corosync.nodelist[0].ring0-addr=127.0.0.1",
				"corosync.nodelist[1].nodeid=2", "corosync.nodelist[1].ring0-addr=127.0.0.2",
				"corosync.nodelist[1].quorum-votes=2", "corosync.quorum.two-node=false",
				"corosync.quorum.wait-for-all=true", "corosync.local-address=127.0.0.1",
				"corosync.startup-timeout=20s")
			.run((context) -> {
				CorosyncConfig config = context.getBean(CorosyncConfig.class);
				assertThat(config.totem().clusterName()).isEqualTo("orders");
				// the effective token of Corosync: 2000 ms, no coefficient below three nodes
				assertThat(config.totem().timers().token()).isEqualTo(2000);
				assertThat(config.nodes()).hasSize(2);
				assertThat(config.nodes().get(1).quorumVotes()).isEqualTo(2);
				assertThat(config.quorum().waitForAll()).isTrue();
				assertThat(config.keys().originOf("totem.token", null)).hasToString("corosync.totem.token");
				// waiting for all three votes: node 1 alone is not quorate
				assertThat(context.getBean(CorosyncNodeLifecycle.class).getNode().quorate()).isFalse();
			});
	}

	@Test
	void anEncryptedKnetNodeRunsFromProperties() throws IOException {
		Path key = this.directory.resolve("authkey");
		Files.write(key, new byte[256]);
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
		runner().withPropertyValues("corosync.totem.transport=knet", "corosync.totem.crypto-cipher=aes256",
				"corosync.totem.crypto-hash=sha256", "corosync.totem.keyfile=" + key)
			.run((context) -> {
				CorosyncNode node = context.getBean(CorosyncNodeLifecycle.class).getNode();
				assertThat(node.membership().synced()).isTrue();
				assertThat(node.transportStats().describe()).contains("knet").contains("aes256/sha256");
			});
	}

	@Test
	void aKnetNodeWithTwoLinksRunsFromProperties() {
		runner().withPropertyValues("corosync.totem.transport=knet", "corosync.totem.link-mode=active",
				"corosync.nodelist[0].nodeid=1", "corosync.nodelist[0].name=one",
				"corosync.nodelist[0].ring0-addr=127.0.0.1", "corosync.nodelist[0].ring1-addr=127.0.1.1")
			.run((context) -> {
				CorosyncNode node = context.getBean(CorosyncNodeLifecycle.class).getNode();
				assertThat(node.membership().synced()).isTrue();
				assertThat(node.transportStats().describe()).contains("knet (active")
					.contains("link 0 127.0.0.1:").contains("1 127.0.1.1:");
				assertThat(node.cfg().linkStatus()).hasSize(2);
			});
	}

	@Test
	void aConfigFileIsReadInsteadOfTheProperties() throws IOException {
		int port = FreePort.udp();
		Path file = this.directory.resolve("corosync.conf");
		Files.writeString(file, "totem {\n version: 2\n cluster_name: fromfile\n transport: udpu\n token: 500\n"
				+ " interface {\n  linknumber: 0\n  mcastport: " + port + "\n }\n}\nnodelist {\n node {\n  nodeid: 7\n"
				+ "  ring0_addr: 127.0.0.1\n }\n}\nsystem {\n state_dir: " + this.directory.resolve("filestate") + "\n}\n");
		runner().withPropertyValues("corosync.config-file=" + file, "corosync.totem.cluster-name=ignored")
			.run((context) -> {
				CorosyncNode node = context.getBean(CorosyncNodeLifecycle.class).getNode();
				assertThat(node.config().totem().clusterName()).isEqualTo("fromfile");
				assertThat(node.nodeId()).isEqualTo(7);
				// no quorum section in the file: no quorum provider, always quorate
				assertThat(node.votequorum()).isEmpty();
			});
	}

	@Test
	void portZeroIsAFreePortForAOneNodeRing() {
		runner().withPropertyValues("corosync.totem.port=0").run((context) -> {
			CorosyncNode node = context.getBean(CorosyncNodeLifecycle.class).getNode();
			assertThat(node.config().totem().interfaces().get(0).mcastport()).isPositive();
			assertThat(node.membership().members()).containsExactly(1L);
		});
	}

	@Test
	void aNodeOnAFreePortKeepsItsStateInANewTemporaryDirectory() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=0")
			.run((context) -> {
				String first = context.getBean(CorosyncConfig.class).system().stateDir().toString();
				new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class))
					.withPropertyValues("corosync.totem.port=0")
					.run((second) -> assertThat(second.getBean(CorosyncConfig.class).system().stateDir().toString())
						.isNotEqualTo(first)
						.startsWith(System.getProperty("java.io.tmpdir")));
			});
	}

	@Test
	void portZeroIsRefusedForTransportsThatBindMorePorts() {
		runner().withPropertyValues("corosync.totem.port=0", "corosync.totem.transport=udp").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("udpu transport only");
		});
	}

	@Test
	void portZeroIsRefusedForSeveralNodes() {
		runner().withPropertyValues("corosync.totem.port=0", "corosync.nodelist[0].nodeid=1",
				"corosync.nodelist[0].ring0-addr=127.0.0.1", "corosync.nodelist[1].nodeid=2",
				"corosync.nodelist[1].ring0-addr=127.0.0.2")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("corosync.totem.port");
			});
	}

	@Test
	void anInvalidConfigurationFailsWithEveryProblemAndItsProperty() {
		runner().withPropertyValues("corosync.totem.transport=carrier-pigeon").run((context) -> {
			assertThat(context).hasFailed();
			ConfigException cause = findCause(context.getStartupFailure(), ConfigException.class);
			FailureAnalysis analysis = new CorosyncConfigFailureAnalyzer(new org.springframework.mock.env.MockEnvironment()).analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("corosync.totem.transport").contains("totem.transport");
			assertThat(analysis.getAction()).isNotBlank();
			assertThat(analysis.getCause()).isSameAs(cause);
		});
	}

	@Test
	void aLocalNodeMissingFromTheNodelistIsExplained() {
		runner().withPropertyValues("corosync.nodelist[0].nodeid=1", "corosync.nodelist[0].ring0-addr=192.0.2.10")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new CorosyncConfigFailureAnalyzer(new org.springframework.mock.env.MockEnvironment()).analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("nodelist").contains("No valid name found for local host");
				assertThat(analysis.getAction()).isNotBlank();
			});
	}

	@Test
	void aPortInUseIsExplained() throws IOException {
		try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
			runner().withPropertyValues("corosync.totem.port=" + taken.getLocalPort()).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(findCause(context.getStartupFailure(), TransportException.class)).isNotNull();
				FailureAnalysis analysis = new CorosyncTransportFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains(Integer.toString(taken.getLocalPort()));
				assertThat(analysis.getAction()).contains("corosync.totem.port");
			});
		}
	}

	@Test
	void aUserDefinedNodeReplacesTheAutoConfiguredOne() {
		runner().withUserConfiguration(OwnNode.class).run((context) -> {
			assertThat(context).hasSingleBean(CorosyncNodeLifecycle.class);
			assertThat(context).getBean("ownNode").isSameAs(context.getBean(CorosyncNodeLifecycle.class));
		});
	}

	@Test
	void corosyncEnabledFalseTurnsEverythingOff() {
		runner().withPropertyValues("corosync.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(CorosyncNodeLifecycle.class);
			assertThat(context).doesNotHaveBean("corosyncHealthContributor");
		});
	}

	@Test
	void healthHasRingAndQuorumChildren() {
		runner().run((context) -> {
			CompositeHealthContributor corosync = context.getBean("corosyncHealthContributor",
					CompositeHealthContributor.class);
			HealthContributor ring = corosync.getContributor("ring");
			HealthContributor quorum = corosync.getContributor("quorum");
			assertThat(((HealthIndicator) ring).health().getStatus()).isEqualTo(Status.UP);
			assertThat(((HealthIndicator) ring).health().getDetails()).containsEntry("members", List.of(1L));
			assertThat(((HealthIndicator) quorum).health().getStatus()).isEqualTo(Status.UP);
			assertThat(((HealthIndicator) quorum).health().getDetails()).containsEntry("quorate", true);
		});
	}

	@Test
	void quorumHealthIsDownWithoutQuorum() {
		runner().withPropertyValues("corosync.nodelist[0].nodeid=1", "corosync.nodelist[0].ring0-addr=127.0.0.1",
				"corosync.nodelist[1].nodeid=2", "corosync.nodelist[1].ring0-addr=127.0.0.2",
				"corosync.nodelist[2].nodeid=3", "corosync.nodelist[2].ring0-addr=127.0.0.3",
				"corosync.local-address=127.0.0.1")
			.run((context) -> {
				CompositeHealthContributor corosync = context.getBean("corosyncHealthContributor",
						CompositeHealthContributor.class);
				assertThat(((HealthIndicator) corosync.getContributor("quorum")).health().getStatus())
					.isEqualTo(Status.DOWN);
				assertThat(((HealthIndicator) corosync.getContributor("ring")).health().getStatus()).isEqualTo(Status.UP);
			});
	}

	@Test
	void healthBacksOffWithoutHealthSupportOrWhenDisabled() {
		runner().withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).hasSingleBean(CorosyncNodeLifecycle.class)
				.doesNotHaveBean("corosyncHealthContributor"));
		runner().withPropertyValues("management.health.corosync.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("corosyncHealthContributor"));
	}

	private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		Throwable current = failure;
		while (current != null) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = current.getCause();
		}
		throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnNode {

		@Bean
		CorosyncNodeLifecycle ownNode(CorosyncConfig config) {
			return new CorosyncNodeLifecycle(config, HostNetwork.system(), 1 << 20, Duration.ofSeconds(20),
					Duration.ZERO);
		}

	}

}
