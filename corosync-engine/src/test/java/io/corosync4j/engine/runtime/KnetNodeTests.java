package io.corosync4j.engine.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.transport.TransportStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Nodes on the knet transport with aes256/sha256 on loopback: a ring, CPG across it, a stranger refused. */
class KnetNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void encryptedKnetNodesFormARingAndCarryLargeMessages() throws Exception {
		Path key = key("authkey", 1);
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.extraTotem = knet(key);
			List<CorosyncNode> nodes = cluster.startAll();
			cluster.awaitRing(BOUND);
			List<List<String>> seen = new ArrayList<>();
			List<CpgHandle> handles = joinAll(nodes, seen);
			// small ones, and one that needs many knet fragments (a Totem frame of up to 64 KiB)
			for (int i = 0; i < 30; i++) {
				handles.get(i % 3).mcast(new byte[(i == 7) ? 200_000 : 100 + i], BOUND);
			}
			Await.until("30 messages everywhere", BOUND, () -> seen.stream().allMatch((s) -> s.size() == 30));
			assertThat(seen.get(1)).isEqualTo(seen.get(0));
			assertThat(seen.get(2)).isEqualTo(seen.get(0));
			assertThat(seen.get(0)).contains("2:200000");
			TransportStats stats = nodes.get(0).transportStats();
			assertThat(stats.describe()).contains("knet").contains("aes256/sha256");

			cluster.crash(3);
			cluster.awaitRing(BOUND);
		}
	}

	@Test
	void aNodeWithAnotherKeyNeverJoins() throws Exception {
		Path ours = key("ours", 1);
		Path theirs = key("theirs", 2);
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.extraTotem = knet(ours);
			cluster.start(1);
			cluster.start(2);
			cluster.awaitRing(BOUND);
			cluster.extraTotem = knet(theirs);
			CorosyncNode stranger = cluster.start(3);
			Await.until("the stranger's packets refused", BOUND,
					() -> cluster.node(1).transportRejected() > 0 && stranger.transportRejected() > 0);
			assertThat(cluster.node(1).membership().members()).containsExactly(1L, 2L);
			assertThat(stranger.membership().members()).containsExactly(3L);
		}
	}

	@Test
	void aCutLinkFailsOverWithoutAMembershipChangeAndCuttingBothChangesIt() throws Exception {
		Path key = key("authkey", 3);
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 1000)) {
			cluster.links = 2;
			cluster.extraTotem = knet(key);
			List<CorosyncNode> nodes = cluster.startAll();
			cluster.awaitRing(BOUND);
			List<List<String>> seen = new ArrayList<>();
			List<CpgHandle> handles = joinAll(nodes, seen);
			// libknet's pong timeout is ten times longer for ten seconds after start; a cut is noticed in
			// time to keep the ring only once it is back to knet_ping_timeout (token / pong count)
			long pingTimeout = Long.parseLong(nodes.get(0).cmap()
				.get("runtime.config.totem.interface.0.knet_ping_timeout").orElseThrow().valueText());
			Await.until("every link up with its base pong timeout", BOUND, () -> nodes.stream()
				.allMatch((n) -> n.knetLinks().size() == 4 && n.knetLinks().stream()
					.allMatch((l) -> l.connected() && l.pongTimeoutMillis() < pingTimeout + 10)));
			Membership before = nodes.get(0).membership();
			assertThat(nodes.get(0).cfg().linkStatus()).hasSize(2);
			assertThat(nodes.get(0).cmap().get("stats.knet.node3.link1.connected")).isPresent()
				.hasValueSatisfying((entry) -> assertThat(entry.valueText()).isEqualTo("1"));

			nodes.get(2).setKnetLinkEnabled(0, false);
			for (int i = 0; i < 60; i++) {
				handles.get(i % 3).mcast(new byte[100 + i], BOUND);
			}
			Await.until("link 0 to node 3 down at nodes 1 and 2", BOUND,
					() -> nodes.subList(0, 2).stream().allMatch((n) -> n.knetLinks().stream()
						.anyMatch((l) -> l.nodeid() == 3 && l.link() == 0 && !l.connected())));
			Await.until("60 messages everywhere", BOUND, () -> seen.stream().allMatch((s) -> s.size() == 60));
			assertThat(seen.get(1)).isEqualTo(seen.get(0));
			assertThat(seen.get(2)).isEqualTo(seen.get(0));
			for (CorosyncNode node : nodes) {
				assertThat(node.membership().ringId()).as("no membership change").isEqualTo(before.ringId());
			}
			assertThat(nodes.get(0).cfg().linkStatus().get(0).nodes())
				.anySatisfy((n) -> assertThat(n.nodeid() == 3 && !n.connected()).isTrue());

			nodes.get(2).setKnetLinkEnabled(1, false);
			Await.until("node 3 separated", BOUND, () -> nodes.get(0).membership().members().equals(List.of(1L, 2L))
					&& nodes.get(2).membership().members().equals(List.of(3L)));
			nodes.get(2).setKnetLinkEnabled(0, true);
			nodes.get(2).setKnetLinkEnabled(1, true);
			cluster.awaitRing(BOUND);
		}
	}

	private static List<CpgHandle> joinAll(List<CorosyncNode> nodes, List<List<String>> seen) throws Exception {
		List<CpgHandle> handles = new ArrayList<>();
		for (CorosyncNode node : nodes) {
			List<String> messages = new CopyOnWriteArrayList<>();
			seen.add(messages);
			CpgHandle handle = node.cpg().join(CpgName.of("knet"), new CpgListener() {

				@Override
				public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
					messages.add(nodeid + ":" + message.length);
				}

				@Override
				public void configurationChange(CpgConfigurationChange change) {
				}

			});
			handle.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
			handles.add(handle);
		}
		Await.until("three members", BOUND, () -> handles.stream().allMatch((h) -> h.membership().size() == 3));
		return handles;
	}

	private static String knet(Path key) {
		return " transport: knet\n crypto_cipher: aes256\n crypto_hash: sha256\n keyfile: " + key;
	}

	private Path key(String name, int seed) throws Exception {
		byte[] bytes = new byte[256];
		new Random(seed).nextBytes(bytes);
		Path file = this.directory.resolve(name);
		Files.write(file, bytes);
		Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
		return file;
	}

}
