package io.corosync4j.spring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.spring.actuate.CorosyncEndpoint;
import io.corosync4j.spring.actuate.CorosyncEndpointAutoConfiguration;
import io.corosync4j.spring.health.CorosyncHealthContributorAutoConfiguration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code corosync.ipc.*}: the node serving Corosync's tools, off unless asked. */
class CorosyncIpcTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class,
					CorosyncHealthContributorAutoConfiguration.class, EndpointAutoConfiguration.class,
					CorosyncEndpointAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"),
					"management.endpoints.web.exposure.include=corosync");
	}

	@Test
	void anEmbeddedNodeDoesNotTakeTheHostsIpcNamesUnasked() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(CorosyncIpcLifecycle.class);
			assertThat(context.getBean(CorosyncEndpoint.class).corosync().ipc()).isNull();
			assertThat(context.getBean("corosyncHealthContributor", CompositeHealthContributor.class)
				.getContributor("ipc")).isNull();
		});
	}

	@Test
	void aConnectionQueueThatCannotHoldOneMessageIsRefused() {
		runner().withPropertyValues("corosync.ipc.enabled=true", "corosync.ipc.connection-queue-size=512KB")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("corosync.ipc.connection-queue-size")
					.hasMessageContaining("1MB or more");
			});
	}

	@Test
	void aNetworkNamespaceThatIsNoFileIsRefused() {
		runner().withPropertyValues("corosync.ipc.enabled=true",
				"corosync.ipc.network-namespace=" + this.directory.resolve("no-such-namespace"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("corosync.ipc.network-namespace")
					.hasMessageContaining("ip netns add");
			});
	}

	@Test
	void aQbIpcTypeCorosyncDoesNotKnowIsRefused() {
		runner().withPropertyValues("corosync.ipc.enabled=true", "corosync.system.qb-ipc-type=pipe").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("corosync.system.qb-ipc-type");
		});
	}

	@Test
	void qbIpcTypeSocketServesTheToolsOnSockets() throws Exception {
		String namespace = createNamespace();
		try {
			runner().withPropertyValues("corosync.ipc.enabled=true", "corosync.system.qb-ipc-type=socket",
					"corosync.ipc.network-namespace=/run/netns/" + namespace)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					CorosyncIpcLifecycle ipc = context.getBean(CorosyncIpcLifecycle.class);
					assertThat(ipc.getSettings().transport()).isEqualTo(IpcSettings.Transport.SOCKET);
					assertThat(run(namespace, "corosync-cmapctl", "-g", "system.qb_ipc_type"))
						.isEqualTo("system.qb_ipc_type (str) = socket\n");
					assertThat(context.getBean(CorosyncEndpoint.class).corosync().ipc().transport()).isEqualTo("socket");
				});
		}
		finally {
			command(List.of("ip", "netns", "delete", namespace));
		}
	}

	@Test
	void servesCorosyncsToolsInItsNamespaceAndShowsItsConnections() throws Exception {
		String namespace = createNamespace();
		try {
			runner().withPropertyValues("corosync.ipc.enabled=true",
					"corosync.ipc.network-namespace=/run/netns/" + namespace, "corosync.ipc.connection-queue-size=8MB")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					CorosyncIpcLifecycle ipc = context.getBean(CorosyncIpcLifecycle.class);
					assertThat(ipc.getSettings().connectionQueueBytes()).isEqualTo(8L * 1024 * 1024);
					// the daemon's default, native: shared memory
					assertThat(ipc.getSettings().transport()).isEqualTo(IpcSettings.Transport.SHARED_MEMORY);
					assertThat(run(namespace, "corosync-cmapctl", "-g", "totem.cluster_name"))
						.isEqualTo("totem.cluster_name (str) = corosync4j\n");
					// the tool has exited; the server notices its connection close on its own loop
					Await.until("the tool's connection closed", Duration.ofSeconds(10), () -> ipc.getConnections() == 0);
					Health health = ((HealthIndicator) context
						.getBean("corosyncHealthContributor", CompositeHealthContributor.class)
						.getContributor("ipc")).health();
					assertThat(health.getStatus()).isEqualTo(Status.UP);
					assertThat(health.getDetails()).containsEntry("connections", 0)
						.containsEntry("transport", "shm")
						.containsEntry("networkNamespace", "/run/netns/" + namespace);
					CorosyncEndpoint.IpcDescriptor described = context.getBean(CorosyncEndpoint.class).corosync().ipc();
					assertThat(described).isEqualTo(
							new CorosyncEndpoint.IpcDescriptor(true, 0, "/run/netns/" + namespace, null, "shm"));
				});
			assertThat(run(namespace, "corosync-cmapctl", "-g", "totem.cluster_name"))
				.contains("Failed to initialize the cmap API");
		}
		finally {
			command(List.of("ip", "netns", "delete", namespace));
		}
	}

	/** A namespace of the test's own, so the node never meets a daemon's or another test's IPC names. */
	private static String createNamespace() throws Exception {
		boolean required = "1".equals(System.getenv("COROSYNC4J_REQUIRE_INTEROP"));
		boolean possible = "0".equals(command(List.of("id", "-u")).trim())
				&& Files.isExecutable(Path.of("/usr/sbin/corosync-cmapctl"));
		if (!possible && !required) {
			Assumptions.abort("needs root, iproute2 and Debian's corosync tools (apt-get install corosync)");
		}
		String name = "c4jspring" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(0x10000));
		command(List.of("ip", "netns", "add", name));
		return name;
	}

	private static String run(String namespace, String... tool) throws Exception {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
		full.addAll(List.of(tool));
		return command(full);
	}

	/** Runs a command, at most 60 s, and returns its output and errors together. */
	private static String command(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			throw new IllegalStateException(command + " did not finish in 60 s");
		}
		return new String(output, StandardCharsets.UTF_8);
	}

}
