package io.corosync4j.engine.runtime;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.transport.knet.KnetLinkStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.runtime.InteropCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * knet with aes256/sha256 between a corosync4j node (in this JVM, on the bridge) and two Corosync 3
 * daemons sharing one authkey: one ring; a Java node with another key is refused; with two links, one
 * daemon's link 0 interface going down moves traffic to link 1 without a membership change.
 */
class KnetInteropTests {

	@TempDir
	Path directory;

	@Test
	void aJavaNodeJoinsAnEncryptedKnetRingAndAnotherKeyIsRefused() throws Exception {
		InteropCluster.requireTools();
		byte[] key = new byte[256];
		new Random(42).nextBytes(key);
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			cluster.up(3);
			cluster.writeConfig(1, "knet", true, key);
			cluster.writeConfig(2, "knet", true, key);
			Process first = cluster.startDaemon(1);
			cluster.startDaemon(2);
			cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[2]: 1 2"));

			byte[] wrong = key.clone();
			wrong[0] ^= 1;
			Path strangerConfig = cluster.writeConfig(3, "knet", false, wrong);
			try (CorosyncNode stranger = start(cluster, strangerConfig)) {
				Await.until("the stranger's packets refused", BOUND, () -> stranger.transportRejected() > 10);
				assertThat(stranger.membership().members()).containsExactly(3L);
			}

			Path javaConfig = cluster.writeConfig(3, "knet", false, key);
			long mark = cluster.logLength(1);
			try (CorosyncNode node = start(cluster, javaConfig)) {
				node.awaitMembership((m) -> m.synced() && m.members().size() == 3, BOUND);
				cluster.awaitLog(1, mark, (log) -> InteropCluster.synchronizedAfter(log, "Members[3]: 1 2 3"));
				String links = InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-s"));
				assertThat(links).containsPattern("nodeid:\\s+3:\\s+connected");
				System.out.println("interop knet aes256/sha256: corosync-cfgtool -s on daemon 1:\n" + links);
				assertThat(node.transportRejected()).isZero();
			}
		}
	}

	@Test
	void withTwoLinksTakingOneInterfaceDownKeepsTheRing() throws Exception {
		InteropCluster.requireTools();
		byte[] key = new byte[256];
		new Random(43).nextBytes(key);
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			cluster.up(3, true);
			cluster.writeConfig(1, "knet", true, key);
			cluster.writeConfig(2, "knet", true, key);
			Process first = cluster.startDaemon(1);
			cluster.startDaemon(2);
			cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[2]: 1 2"));
			Path javaConfig = cluster.writeConfig(3, "knet", false, key);
			try (CorosyncNode node = start(cluster, javaConfig)) {
				node.awaitMembership((m) -> m.synced() && m.members().size() == 3, BOUND);
				// both links up at every node, and libknet's start-up back-off over (ten seconds): the timeout is
				// the base one again, plus twice the measured latency (more than a few ms on a busy machine)
				long pingTimeout = Long.parseLong(node.cmap()
					.get("runtime.config.totem.interface.0.knet_ping_timeout").orElseThrow().valueText());
				Await.until("all links up with their base pong timeout", BOUND, () -> node.knetLinks().size() == 4
						&& node.knetLinks().stream().allMatch((l) -> l.connected() && l.pongTimeoutMillis() < pingTimeout * 3 / 2),
						node::knetLinks);
				String links = InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-s"));
				System.out.println("interop knet with two links: corosync-cfgtool -s on daemon 1:\n" + links);
				assertThat(links).contains("LINK ID 0").contains("LINK ID 1");
				assertThat(links.split("LINK ID 1")[1]).containsPattern("nodeid:\\s+3:\\s+connected");
				Membership before = node.membership();
				long mark = cluster.logLength(1);

				// daemon 2's link 0 interface goes down: everybody moves to link 1 for node 2
				InteropCluster.run(List.of("ip", "netns", "exec", cluster.namespace(2), "ip", "link", "set",
						cluster.device(2, 0), "down"));
				Await.until("link 0 to node 2 down here", BOUND, () -> node.knetLinks().stream()
					.anyMatch((l) -> l.nodeid() == 2 && l.link() == 0 && !l.connected()));
				cluster.awaitLog(1, mark, (log) -> log.contains("host: 2 link: 0 is down"));
				// the ring carries on: tokens keep rotating, nobody re-forms it
				long rotations = node.totemStats().get("orf_token_rx");
				Await.until("tokens keep coming", BOUND, () -> node.totemStats().get("orf_token_rx") > rotations + 50);
				assertThat(node.membership()).isEqualTo(before);
				String after = InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-s"));
				System.out.println("after taking node 2's link 0 down:\n" + after);
				assertThat(Files.readString(cluster.home(1).resolve("log").resolve("corosync.log"))
					.substring((int) mark)).doesNotContain("A new membership");

				InteropCluster.run(List.of("ip", "netns", "exec", cluster.namespace(2), "ip", "link", "set",
						cluster.device(2, 0), "up"));
				Await.until("link 0 to node 2 up again", BOUND, () -> node.knetLinks().stream()
					.allMatch(KnetLinkStats::connected));
				assertThat(node.membership()).isEqualTo(before);

				// this node's own link 1 interface goes down (the second bridge holds its address); once the
				// back-off of node 2's link 0 is over (ten seconds), that link carries node 2's traffic again
				Await.until("link 0 to node 2 back to its base pong timeout", BOUND, () -> node.knetLinks().stream()
					.allMatch((l) -> l.pongTimeoutMillis() < pingTimeout * 3 / 2), node::knetLinks);
				mark = cluster.logLength(1);
				InteropCluster.run(List.of("ip", "link", "set", cluster.tag + "bs", "down"));
				Await.until("link 1 down to both daemons", BOUND, () -> node.knetLinks().stream()
					.filter((l) -> l.link() == 1).noneMatch(KnetLinkStats::connected));
				long moreRotations = node.totemStats().get("orf_token_rx");
				Await.until("tokens keep coming", BOUND, () -> node.totemStats().get("orf_token_rx") > moreRotations + 50);
				assertThat(node.membership()).isEqualTo(before);
				cluster.awaitLog(1, mark, (log) -> log.contains("host: 3 link: 1 is down"));
				assertThat(Files.readString(cluster.home(1).resolve("log").resolve("corosync.log"))
					.substring((int) mark)).doesNotContain("A new membership");
				InteropCluster.run(List.of("ip", "link", "set", cluster.tag + "bs", "up"));
				Await.until("every link up again", BOUND, () -> node.knetLinks().stream().allMatch(KnetLinkStats::connected));
			}
		}
	}

	private static CorosyncNode start(InteropCluster cluster, Path config) throws Exception {
		List<InetAddress> local = new java.util.ArrayList<>(List.of(InetAddress.getByName(cluster.address(3))));
		if (Files.readString(config).contains("ring1_addr")) {
			local.add(InetAddress.getByName(cluster.address2(3)));
		}
		return CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(config))
			.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(), local))
			.start();
	}

}
