package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.runtime.InteropCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/** CFG between a corosync4j node and Corosync 3 daemons: each side obeys the other's kill request. */
class CfgInteropTests {

	@TempDir
	Path directory;

	@Test
	void killRequestsCrossBetweenJavaAndCorosync() throws Exception {
		InteropCluster.requireTools();
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			InteropCluster.TwoDaemons daemons = cluster.twoDaemonsAndAJavaMember();
			Path javaConfig = daemons.javaConfig();
			Process first = daemons.first();
			Process second = daemons.second();
			try (CorosyncNode node = cluster.startJavaNode(3, javaConfig)) {
				node.awaitMembership((m) -> m.synced() && m.members().size() == 3, BOUND);
				assertThat(InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-s")))
					.containsPattern("nodeid:\\s+3:\\s+connected");

				// the Java node asks daemon 2 to exit: Corosync's CFG obeys
				long mark = cluster.logLength(2);
				node.cfg().killNode(2, "asked by corosync4j").get(10, TimeUnit.SECONDS);
				assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("daemon 2 exits").isTrue();
				assertThat(cluster.awaitLog(2, mark, (log) -> log.contains("Killed by node 3")))
					.contains("asked by corosync4j");
				node.awaitMembership((m) -> m.synced() && m.members().equals(List.of(1L, 3L)), BOUND);

				// and corosync-cfgtool -k on daemon 1 stops the Java node
				InteropCluster.run(cluster.inDaemon(first, "corosync-cfgtool", "-k", "3"));
				Await.until("the Java node stopping", BOUND, node::isClosed);
				cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[1]: 1"));
			}
		}
	}

}
