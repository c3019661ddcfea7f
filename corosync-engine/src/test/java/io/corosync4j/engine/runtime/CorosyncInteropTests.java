package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One ring of two real Corosync 3 daemons and one corosync4j node (a launcher process), each in a
 * network namespace of its own on a private bridge ({@link InteropCluster}).
 */
class CorosyncInteropTests {

	@TempDir
	Path directory;

	@ParameterizedTest(name = "transport {0}")
	@ValueSource(strings = { "udpu", "udp" })
	void aJavaNodeSharesARingWithTwoCorosyncDaemons(String transport) throws Exception {
		InteropCluster.requireTools();
		NodeProcess java = null;
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			cluster.up(0);
			cluster.writeConfig(1, transport, true);
			cluster.writeConfig(2, transport, true);
			Path javaConfig = cluster.writeConfig(3, transport, false);
			Process first = cluster.startDaemon(1);
			Process second = cluster.startDaemon(2);
			cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[2]: 1 2"));

			long mark = cluster.logLength(1);
			long started = System.nanoTime();
			java = startJava(cluster, javaConfig);
			java.awaitLine(0, (line) -> line.contains("Members[3]: 1 2 3"), InteropCluster.BOUND);
			for (int daemon = 1; daemon <= 2; daemon++) {
				cluster.awaitLog(daemon, (daemon == 1) ? mark : 0,
						(log) -> InteropCluster.synchronizedAfter(log, "Members[3]: 1 2 3"));
			}
			System.out.printf("interop %s: Java node in a ring with 2 Corosync daemons, synchronized after %d ms%n",
					transport, (System.nanoTime() - started) / 1_000_000);
			String links = InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-s"));
			assertThat(links).containsPattern("nodeid:\\s+3:\\s+connected");
			String quorum = InteropCluster.run(cluster.inDaemon(first, "corosync-quorumtool", "-l"));
			assertThat(quorum).containsPattern("(?m)^\\s+3\\s+\\d+\\s+n3");

			mark = cluster.logLength(1);
			long terminated = System.nanoTime();
			assertThat(java.terminate()).isZero();
			String afterLeave = cluster.awaitLog(1, mark, (log) -> log.contains("Members[2]: 1 2"));
			System.out.printf("interop %s: the daemons saw the Java node leave after %d ms%n", transport,
					(System.nanoTime() - terminated) / 1_000_000);
			assertThat(afterLeave).contains("Members left: 3").doesNotContain("Failed to receive the leave message");

			java = startJava(cluster, javaConfig);
			java.awaitLine(0, (line) -> line.contains("Members[3]: 1 2 3"), InteropCluster.BOUND);
			int javaMark = java.lineCount();
			long killed = System.nanoTime();
			second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			java.awaitLine(javaMark, (line) -> line.contains("Members[2]: 1 3"), InteropCluster.BOUND);
			System.out.printf("interop %s: SIGKILL of a daemon, the Java node and the other daemon re-formed after %d ms%n",
					transport, (System.nanoTime() - killed) / 1_000_000);
		}
		finally {
			if (java != null) {
				java.close();
			}
		}
	}

	private static NodeProcess startJava(InteropCluster cluster, Path config) throws Exception {
		return new NodeProcess(List.of("ip", "netns", "exec", cluster.namespace(3)), config, List.of());
	}

}
