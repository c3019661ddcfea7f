package io.corosync4j.engine.runtime;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.fixtures.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.runtime.InteropCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * knet with aes256/sha256 between a corosync4j node (in this JVM, on the bridge) and two Corosync 3
 * daemons sharing one authkey: one ring; a Java node with another key is refused.
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

	private static CorosyncNode start(InteropCluster cluster, Path config) throws Exception {
		return CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(config))
			.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(),
					List.of(InetAddress.getByName(cluster.address(3)))))
			.start();
	}

}
