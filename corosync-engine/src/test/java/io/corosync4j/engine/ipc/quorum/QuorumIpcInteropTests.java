package io.corosync4j.engine.ipc.quorum;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.ipc.CClients;
import io.corosync4j.engine.ipc.IpcAccess;
import io.corosync4j.engine.ipc.IpcNamespace;
import io.corosync4j.engine.ipc.IpcServer;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.ipc.cfg.CfgIpcService;
import io.corosync4j.engine.ipc.votequorum.VotequorumIpcService;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.InteropCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.runtime.InteropCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * libquorum, libvotequorum and libcfg against a Java node and against a Corosync 3 daemon of the same ring:
 * a C client ({@code ipc/quorumclient.c}) asks both the same questions and must get the same answers,
 * and {@code corosync-cfgtool}'s reload, kill and shutdown work on the Java node as on the daemon.
 */
class QuorumIpcInteropTests {

	private static final Pattern JAVA_ADDRESS = Pattern.compile("nodeid: 3\\s+name: n3\\s+ring0_addr: (\\S+)");

	@TempDir
	Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "udpu", "knet" })
	void librariesAndCfgtoolGetTheDaemonsAnswersFromAJavaNode(String transport) throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		Path client = CClients.build(this.directory, "/ipc/quorumclient.c", "quorumclient", "libquorum",
				"libvotequorum", "libcfg");
		try (InteropCluster cluster = new InteropCluster(Files.createDirectories(this.directory.resolve("ring")));
				IpcNamespace namespace = IpcNamespace.create()) {
			cluster.up(3);
			cluster.writeConfig(1, transport, true, null);
			cluster.writeConfig(2, transport, true, null);
			Path javaConfig = cluster.writeConfig(3, transport, false, null);
			Matcher address = JAVA_ADDRESS.matcher(Files.readString(javaConfig));
			assertThat(address.find()).isTrue();
			Process first = cluster.startDaemon(1);
			Process second = cluster.startDaemon(2);
			cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[2]: 1 2"));
			try (CorosyncNode node = CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(javaConfig))
				.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(),
						List.of(InetAddress.getByName(address.group(1)))))
				.start();
					IpcServer server = IpcServer.start(IpcSettings.defaults().withNetworkNamespace(namespace.path()),
							IpcAccess.ROOT_ONLY, List.of(new QuorumIpcService(node),
									new VotequorumIpcService(node.votequorum().orElseThrow()), new CfgIpcService(node)))) {
				node.awaitMembership((m) -> m.synced() && m.members().size() == 3, BOUND);
				cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[3]: 1 2 3"));
				Await.until("the Java node quorate", BOUND, node::quorate);

				String daemon = InteropCluster.run(cluster.inDaemon(first, client.toString(), "1", "2", "3", "9"));
				IpcNamespace.Result java = namespace.run(client.toString(), "1", "2", "3", "9");
				System.out.printf("quorumclient against daemon 1:%n%s%nagainst the Java node:%n%s%n", daemon,
						java.output());
				assertThat(java.status()).isZero();
				String daemonAddress = address.group(1).replaceAll("\\.3$", ".1");
				boolean knet = transport.equals("knet");
				assertThat(shared(java.output(), address.group(1), knet)).isEqualTo(shared(daemon, daemonAddress, knet));
				assertThat(java.output()).contains("local votequorum_getinfo 0 1 node=3",
						"local corosync_cfg_local_get 1 node=3",
						"local ring 0 " + address.group(1) + ": " + (knet ? "33n" : "OK"));
				if (knet) {
					// knet reports a link from this node to the other, and to itself the loopback link
					assertThat(daemon).contains("local ring 0 " + daemonAddress + ": n33").contains(
							"status_get 1 1 node=1 reachable=1 remote=0 external=0 onwire=0/0/0 link0=1/1/0/65535/"
									+ daemonAddress + "/" + daemonAddress);
					assertThat(java.output()).contains(
							"status_get 3 1 node=3 reachable=1 remote=0 external=0 onwire=0/0/0 link0=1/1/0/65535/"
									+ address.group(1) + "/" + address.group(1));
				}
				assertThat(daemon).contains("local votequorum_getinfo 0 1 node=1");
				// Corosync lists a node heard of after the last one before it: 1 heard of 2, then 3
				assertThat(daemon).contains("local votequorum notification context=42 quorate=1 nodes=2:1,3:1,1:1");
				assertThat(java.output()).contains("local votequorum notification context=42 quorate=1 nodes=1:1,2:1,3:1");

				// corosync-cfgtool: reload, reopen logs (the Java node has no log files of its own), kill
				String reloadDaemon = InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-R"));
				IpcNamespace.Result reload = namespace.run("corosync-cfgtool", "-R");
				assertThat(reload.output()).isEqualTo(reloadDaemon).isEqualTo("Reloading corosync.conf...\nDone\n");
				assertThat(InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-L"))).isEmpty();
				IpcNamespace.Result reopen = namespace.run("corosync-cfgtool", "-L");
				assertThat(reopen.output()).contains("Could not reopen corosync logging files", "CS_ERR_NOT_SUPPORTED");
				assertThat(reopen.status()).isEqualTo(19);
				IpcNamespace.Result stranger = namespace.run("corosync-cfgtool", "-k", "9");
				assertThat(stranger.output()).isEqualTo(
						InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-k", "9")));
				IpcNamespace.Result kill = namespace.run("corosync-cfgtool", "-k", "2");
				assertThat(kill.output()).isEqualTo("Killing node 2\n");
				assertThat(second.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
				cluster.awaitLog(2, 0, (log) -> log.contains("Killed by node 3 : Killed by corosync-cfgtool"));
				node.awaitMembership((m) -> m.synced() && m.members().equals(List.of(1L, 3L)), BOUND);

				// corosync-cfgtool -H: the Java node stops as the daemon exits, with status 0
				IpcNamespace.Result shutdown = namespace.run("corosync-cfgtool", "-H");
				assertThat(shutdown.output()).isEqualTo("Shutting down corosync\n");
				assertThat(shutdown.status()).isZero();
				Await.until("the Java node shut down", BOUND, node::isClosed);
				assertThat(node.shutdown().exitStatus()).isZero();
				cluster.awaitLog(1, 0, (log) -> log.contains("Node 3 was shut down by sysadmin")
						&& InteropCluster.synchronizedAfter(log, "Members[1]: 1"));
			}
		}
	}

	/**
	 * The client's lines that every member of a ring answers alike. With knet a node's status is the link
	 * from the answering node: its address is written {@code SELF}, and the status of the two answering
	 * nodes (1 and 3) differs by nature and is left out.
	 */
	private static List<String> shared(String output, String self, boolean knet) {
		return Arrays.stream(output.split("\n"))
			.filter((line) -> !line.startsWith("local "))
			.filter((line) -> !knet || !line.matches("corosync_cfg_node_status_get [13] .*"))
			.map((line) -> knet ? line.replace(self + "/", "SELF/") : line)
			.toList();
	}

}
