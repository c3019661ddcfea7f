package io.corosync4j.engine.ipc.quorum;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.ipc.IpcNamespace;
import io.corosync4j.engine.ipc.IpcServer;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.ipc.NodeIpc;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.InteropCluster;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.runtime.InteropCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code corosync-quorumtool} and {@code corosync-cfgtool}'s status against a Java node serving CMAP, quorum,
 * votequorum and CFG (all the tools use), compared with the same commands against a Corosync 3 daemon of
 * the same ring.
 */
class QuorumToolsInteropTests {

	private static final Pattern JAVA_ADDRESS = Pattern.compile("nodeid: 3\\s+name: n3\\s+ring0_addr: (\\S+)");

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "udpu", "knet" })
	void quorumtoolAndCfgtoolShowWhatTheyShowOnTheDaemon(String transport) throws Exception {
		InteropCluster.requireTools();
		try (InteropCluster cluster = new InteropCluster(Files.createDirectories(this.directory.resolve("ring")));
				IpcNamespace namespace = IpcNamespace.create()) {
			cluster.up(3);
			cluster.writeConfig(1, transport, true, null);
			cluster.writeConfig(2, transport, true, null);
			Path javaConfig = cluster.writeConfig(3, transport, false, null);
			Matcher address = JAVA_ADDRESS.matcher(Files.readString(javaConfig));
			assertThat(address.find()).isTrue();
			String javaAddress = address.group(1);
			String daemonAddress = javaAddress.replaceAll("\\.3$", ".1");
			Process first = cluster.startDaemon(1);
			Process second = cluster.startDaemon(2);
			cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[2]: 1 2"));
			try (CorosyncNode node = CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(javaConfig))
				.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(), List.of(InetAddress.getByName(javaAddress))))
				.start();
					IpcServer server = NodeIpc.serve(node, IpcSettings.defaults().withNetworkNamespace(namespace.path()))) {
				node.awaitMembership((m) -> m.synced() && m.members().size() == 3, BOUND);
				cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[3]: 1 2 3"));
				Await.until("the Java node quorate", BOUND, node::quorate);

				// -s and -l: the same but for the date, the local node's id and which line is "(local)"
				for (List<String> command : List.of(List.of("corosync-quorumtool", "-s"),
						List.of("corosync-quorumtool", "-l"), List.of("corosync-quorumtool", "-l", "-i"))) {
					String daemon = InteropCluster.run(inDaemon(cluster, first, command));
					IpcNamespace.Result java = namespace.run(command.toArray(String[]::new));
					System.out.printf("%s against daemon 1:%n%s%nagainst the Java node:%n%s%n", command, daemon,
							java.output());
					assertThat(quorumtool(java.output())).as("%s", command).isEqualTo(quorumtool(daemon));
					assertThat(java.output()).contains(" (local)");
				}
				assertThat(namespace.run("corosync-quorumtool", "-s").output()).contains("Node ID:          3",
						"Quorate:          Yes", "Total votes:      3");

				// corosync-cfgtool -s: the same links and peers; -n: the same peer 2
				String daemonLinks = InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-s"));
				IpcNamespace.Result javaLinks = namespace.run("corosync-cfgtool", "-s");
				System.out.printf("cfgtool -s against daemon 1:%n%s%nagainst the Java node:%n%s%n", daemonLinks,
						javaLinks.output());
				assertThat(javaLinks.output()).startsWith("Local node ID 3, transport " + transport + "\n");
				assertThat(cfgtool(javaLinks.output())).isEqualTo(cfgtool(daemonLinks));
				String daemonNodes = InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-n"));
				IpcNamespace.Result javaNodes = namespace.run("corosync-cfgtool", "-n");
				System.out.printf("cfgtool -n against daemon 1:%n%s%nagainst the Java node:%n%s%n", daemonNodes,
						javaNodes.output());
				assertThat(block(javaNodes.output(), 2).replace(javaAddress + "->", "SELF->"))
					.isEqualTo(block(daemonNodes, 2).replace(daemonAddress + "->", "SELF->"));
				assertThat(block(javaNodes.output(), 1)).isNotEmpty();

				// corosync-cpgtool: the cluster's groups as the daemon lists them, whichever node is asked
				try (CpgHandle handle = node.cpg().join(CpgName.of("c4jtools"), new CpgListener() {

					@Override
					public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
					}

					@Override
					public void configurationChange(io.corosync4j.engine.service.cpg.CpgConfigurationChange change) {
					}

				})) {
					Await.until("the daemon listing the Java node's group", BOUND,
							() -> daemonRun(cluster, first, List.of("corosync-cpgtool")).contains("c4jtools"));
					for (List<String> command : List.of(List.of("corosync-cpgtool"), List.of("corosync-cpgtool", "-e"),
							List.of("corosync-cpgtool", "-n"), List.of("corosync-cpgtool", "-d", ";"))) {
						String daemon = InteropCluster.run(inDaemon(cluster, first, command));
						IpcNamespace.Result java = namespace.run(command.toArray(String[]::new));
						System.out.printf("%s against daemon 1:%n%s%nagainst the Java node:%n%s%n", command, daemon,
								java.output());
						assertThat(java.output()).as("%s", command).isEqualTo(daemon).contains("c4jtools");
						assertThat(java.status()).isZero();
					}
				}

				// -e and -v from the Java node change the whole cluster, refusals as on the daemon
				IpcNamespace.Result refused = namespace.run("corosync-quorumtool", "-e", "1");
				assertThat(refused.output()).isEqualTo(
						InteropCluster.run(inDaemon(cluster, first, List.of("corosync-quorumtool", "-e", "1"))));
				assertThat(namespace.run("corosync-quorumtool", "-e", "4").status()).isZero();
				Await.until("expected votes 4 on the daemon", BOUND, () -> daemonStatus(cluster, first)
					.contains("Expected votes:   4"));
				assertThat(namespace.run("corosync-quorumtool", "-v", "2", "-n", "2").status()).isZero();
				Await.until("node 2 with 2 votes on the daemon", BOUND, () -> daemonStatus(cluster, first)
					.contains("Total votes:      4"));
				assertThat(namespace.run("corosync-quorumtool", "-s").output()).contains("Total votes:      4",
						"Expected votes:   4");

				// -m: the monitor hears daemon 2 leave (line-buffered: it never exits to flush its output)
				Process monitor = namespace.start("stdbuf", "-oL", "corosync-quorumtool", "-m");
				List<String> seen = new CopyOnWriteArrayList<>();
				CompletableFuture.runAsync(() -> {
					try (BufferedReader reader = new BufferedReader(
							new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
						String line;
						while ((line = reader.readLine()) != null) {
							seen.add(line);
						}
					}
					catch (java.io.IOException ex) {
						// the monitor was stopped
					}
				});
				try {
					Await.until("the monitor's first status", BOUND, () -> seen.contains("Nodes:            3"), () -> seen);
					second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
					Await.until("the monitor showing two nodes", BOUND, () -> seen.contains("Nodes:            2"),
							() -> seen);
				}
				finally {
					monitor.destroy();
					monitor.waitFor(10, TimeUnit.SECONDS);
				}
			}
		}
	}

	private static String daemonStatus(InteropCluster cluster, Process daemon) {
		return daemonRun(cluster, daemon, List.of("corosync-quorumtool", "-s"));
	}

	private static String daemonRun(InteropCluster cluster, Process daemon, List<String> command) {
		try {
			return InteropCluster.run(inDaemon(cluster, daemon, command));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> inDaemon(InteropCluster cluster, Process daemon, List<String> command) {
		return cluster.inDaemon(daemon, command.toArray(String[]::new));
	}

	/** quorumtool's output less what differs by nature: the date, the local node id, the "(local)" mark. */
	private static String quorumtool(String output) {
		return output.replaceAll("(?m)^(Date|Node ID):.*\\n", "").replace(" (local)", "");
	}

	/** cfgtool -s less its first line and the address line (another node's view), local shown as a peer. */
	private static String cfgtool(String output) {
		return output.replaceAll("^Local node ID.*\\n", "").replaceAll("(?m)^\\taddr\\t= .*\\n", "")
			.replace("localhost", "connected");
	}

	/** cfgtool -n's block about {@code nodeid}, or empty. */
	private static String block(String output, int nodeid) {
		Matcher matcher = Pattern.compile("(?ms)^nodeid: " + nodeid + " .*?\\n\\n").matcher(output);
		return matcher.find() ? matcher.group() : "";
	}

}
