package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.corosync4j.engine.ipc.IpcNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher serves Corosync's tools as the daemon does, in a network namespace of the test's own so
 * it never meets the host's IPC names.
 */
class LauncherIpcTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@TempDir
	Path directory;

	@Test
	void servesCorosyncsToolsUntilItStops() throws Exception {
		LocalCluster cluster = new LocalCluster(this.directory, 1, 500);
		try (IpcNamespace namespace = loopbackNamespace();
				NodeProcess node = new NodeProcess(List.of("ip", "netns", "exec", namespace.name), cluster.configFile(1),
						List.of("-a", "127.0.0.1"))) {
			// as the daemon, on its default transport (qb_ipc_type native)
			node.awaitLine(0, (line) -> line.contains("Serving IPC") && line.contains("messages on shared memory"),
					BOUND);
			IpcNamespace.Result value = namespace.run("corosync-cmapctl", "-g", "totem.cluster_name");
			assertThat(value.output()).isEqualTo("totem.cluster_name (str) = local\n");
			assertThat(node.terminate()).isZero();
			assertThat(namespace.run("corosync-cmapctl", "-g", "totem.cluster_name").status()).isNotZero();
		}
	}

	@Test
	void aSecondNodeWhoseNamesAreTakenExitsAsTheDaemonUnlessToldNotToServe() throws Exception {
		LocalCluster cluster = new LocalCluster(this.directory, 2, 500);
		List<String> inNamespace;
		try (IpcNamespace namespace = loopbackNamespace()) {
			inNamespace = List.of("ip", "netns", "exec", namespace.name);
			try (NodeProcess first = new NodeProcess(inNamespace, cluster.configFile(1), List.of("-a", "127.0.0.1"))) {
				first.awaitLine(0, (line) -> line.contains("Serving IPC"), BOUND);
				try (NodeProcess second = new NodeProcess(inNamespace, cluster.configFile(2), List.of("-a", "127.0.0.2"))) {
					assertThat(second.awaitExit(BOUND)).isEqualTo(Launcher.EXIT_IPC);
					assertThat(second.log()).contains("Can't serve IPC").contains("--no-ipc");
				}
				try (NodeProcess second = new NodeProcess(inNamespace, cluster.configFile(2),
						List.of("-a", "127.0.0.2", "--no-ipc"))) {
					second.awaitLine(0, (line) -> line.contains("Members[2]: 1 2"), BOUND);
					assertThat(second.terminate()).isZero();
				}
				assertThat(first.terminate()).isZero();
			}
		}
	}

	private static IpcNamespace loopbackNamespace() throws Exception {
		IpcNamespace namespace = IpcNamespace.create();
		IpcNamespace.Result up = namespace.run("ip", "link", "set", "lo", "up");
		if (up.status() != 0) {
			namespace.close();
			throw new IllegalStateException("ip link set lo up: " + up.output());
		}
		return namespace;
	}

}
