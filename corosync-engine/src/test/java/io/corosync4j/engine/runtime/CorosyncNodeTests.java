package io.corosync4j.engine.runtime;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.corosync4j.engine.config.ConfigException;
import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.totem.pg.Group;
import io.corosync4j.engine.totem.pg.Totempg;
import io.corosync4j.engine.transport.TransportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Nodes on real sockets on 127.0.0.x in this JVM. Time bounds are generous on purpose: they catch
 * hangs; the times themselves are printed.
 */
class CorosyncNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void threeNodesFormOneRingAndAgreeOnTheOrderOfMessages() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			long started = System.nanoTime();
			List<CorosyncNode> nodes = cluster.startAll();
			Membership ring = cluster.awaitRing(BOUND);
			System.out.printf("3 nodes: one synchronized ring %s after %d ms%n", ring,
					(System.nanoTime() - started) / 1_000_000);
			Map<Long, List<String>> delivered = new ConcurrentHashMap<>();
			List<CorosyncNode.GroupChannel> channels = new ArrayList<>();
			for (CorosyncNode node : nodes) {
				List<String> log = Collections.synchronizedList(new ArrayList<>());
				delivered.put(node.nodeId(), log);
				channels.add(node.openGroup(new Group("test"), (Totempg.GroupListener) (from, message, bigEndian) -> log
					.add(from + ":" + new String(message))));
			}
			int perNode = 300;
			for (int i = 0; i < perNode; i++) {
				for (int n = 0; n < nodes.size(); n++) {
					byte[] message = (nodes.get(n).nodeId() + "/" + i + "x".repeat(i % 50 * 40)).getBytes();
					while (!channels.get(n).send(message).get()) {
						// Totem's queue is full: back off like a client getting CS_ERR_TRY_AGAIN
						Thread.sleep(1);
					}
				}
			}
			int expected = perNode * nodes.size();
			Await.until("all messages at all nodes", BOUND,
					() -> delivered.values().stream().allMatch((log) -> log.size() >= expected));
			List<String> first = delivered.get(1L);
			assertThat(first).hasSize(expected).doesNotHaveDuplicates();
			assertThat(delivered.get(2L)).isEqualTo(first);
			assertThat(delivered.get(3L)).isEqualTo(first);
			// each sender's messages in the order it sent them
			for (long sender = 1; sender <= 3; sender++) {
				String prefix = sender + ":" + sender + "/";
				List<String> own = first.stream().filter((line) -> line.startsWith(prefix)).toList();
				for (int i = 0; i < own.size(); i++) {
					assertThat(own.get(i)).startsWith(prefix + i);
				}
			}
		}
	}

	@Test
	void aCrashedNodeIsRemovedAndRejoinsWithAHigherRingId() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.startAll();
			Membership before = cluster.awaitRing(BOUND);
			long crashed = System.nanoTime();
			cluster.crash(3);
			Membership survivors = cluster.awaitRing(BOUND);
			System.out.printf("crash of 1 of 3: ring %s after %d ms%n", survivors,
					(System.nanoTime() - crashed) / 1_000_000);
			assertThat(survivors.members()).containsExactly(1L, 2L);
			cluster.start(3);
			Membership after = cluster.awaitRing(BOUND);
			assertThat(after.members()).containsExactly(1L, 2L, 3L);
			assertThat(after.ringId().seq()).isGreaterThan(survivors.ringId().seq());
			assertThat(survivors.ringId().seq()).isGreaterThan(before.ringId().seq());
			assertThat(cluster.directory.resolve("n3").resolve("ringid_3")).exists();
		}
	}

	@Test
	void aNodeThatLeavesIsGoneBeforeTheTokenTimeout() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 3000)) {
			cluster.startAll();
			cluster.awaitRing(BOUND);
			long left = System.nanoTime();
			cluster.leave(2);
			Membership survivors = cluster.awaitRing(BOUND);
			long elapsed = (System.nanoTime() - left) / 1_000_000;
			System.out.printf("clean leave of 1 of 3: ring %s after %d ms (token 3000 ms)%n", survivors, elapsed);
			assertThat(survivors.members()).containsExactly(1L, 3L);
			assertThat(elapsed).isLessThan(3000);
		}
	}

	@Test
	void aNodeRunsOnIpv6() throws Exception {
		Path file = this.directory.resolve("v6.conf");
		Files.writeString(file, """
				totem {
				 version: 2
				 cluster_name: six
				 transport: udpu
				 ip_version: ipv6
				 token: 500
				}
				nodelist {
				 node {
				  ring0_addr: ::1
				  nodeid: 1
				 }
				}
				system {
				 state_dir: %s
				}
				""".formatted(this.directory.resolve("v6")));
		CorosyncConfig config = new CorosyncConfigReader(Map.of())
			.read(file);
		try (CorosyncNode node = CorosyncNode.builder(config)
			.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(),
					List.of(InetAddress.getByName("::1"))))
			.start()) {
			Membership ring = node.awaitMembership((m) -> m.synced() && m.contains(1), BOUND);
			assertThat(ring.members()).containsExactly(1L);
			assertThat(node.transportStats().describe()).contains("0:0:0:0:0:0:0:1");
		}
	}

	@Test
	void aPortInUseIsReportedWithAddressAndPort() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			cluster.start(1);
			assertThatExceptionOfType(TransportException.class)
				.isThrownBy(() -> CorosyncNode.builder(cluster.config(1)).hostNetwork(cluster.host(1)).start())
				.withMessageContaining("127.0.0.1 port " + cluster.port);
		}
	}

	@Test
	void aHostThatIsNotInTheNodelistCannotStart() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			HostNetwork elsewhere = HostNetwork.withLocalAddresses(HostNetwork.system(), List.of(LocalCluster.address(9)));
			assertThatExceptionOfType(ConfigException.class)
				.isThrownBy(() -> CorosyncNode.builder(cluster.config(1)).hostNetwork(elsewhere).start())
				.satisfies((ex) -> assertThat(ex.getMessage()).contains("No valid name found for local host"));
		}
	}

}
