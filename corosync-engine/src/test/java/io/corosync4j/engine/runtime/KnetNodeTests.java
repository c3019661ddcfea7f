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
