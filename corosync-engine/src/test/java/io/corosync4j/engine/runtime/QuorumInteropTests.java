package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.corosync4j.engine.service.votequorum.VotequorumService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.runtime.InteropCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * votequorum between a corosync4j node (in this JVM, on the bridge) and Corosync 3 daemons: the Java
 * node's vote is what gives the daemon quorum, {@code corosync-quorumtool -s} counts it, and both sides
 * flip quorum at the same ring.
 */
class QuorumInteropTests {

	private static final Pattern RING_ID = Pattern.compile("Ring ID:\\s+(\\S+)");

	@TempDir
	Path directory;

	@Test
	void javaVotesCountOnCorosyncAndBothSidesFlipTogether() throws Exception {
		InteropCluster.requireTools();
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			cluster.up(3);
			cluster.writeConfig(1, "udpu", true);
			cluster.writeConfig(2, "udpu", true);
			Path javaConfig = cluster.writeConfig(3, "udpu", false);
			Process first = cluster.startDaemon(1);
			cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[1]: 1"));
			assertThat(quorumtool(cluster, first)).containsPattern("Quorate:\\s+No");

			try (CorosyncNode node = cluster.startJavaNode(3, javaConfig)) {
				VotequorumService votequorum = node.votequorum().orElseThrow();
				List<QuorumState> heard = new CopyOnWriteArrayList<>();
				votequorum.addListener(heard::add);

				// the Java node's vote gives the daemon quorum: 2 of 3
				Await.until("Java node quorate with node 1", BOUND,
						() -> node.quorate() && votequorum.state().members().equals(List.of(1L, 3L)),
						votequorum::state);
				String status = awaitQuorumtool(cluster, first, "Quorate:\\s+Yes");
				assertThat(status).containsPattern("Total votes:\\s+2").containsPattern("Expected votes:\\s+3")
					.containsPattern("(?m)^\\s+3\\s+1\\s+n3");
				assertThat(ringId(status)).isEqualTo(votequorum.state().ringId().toString());
				System.out.printf("interop quorum: daemon and Java node quorate together in ring %s%n",
						votequorum.state().ringId());

				Process second = cluster.startDaemon(2);
				Await.until("three members", BOUND, () -> votequorum.state().members().size() == 3,
						votequorum::state);
				assertThat(awaitQuorumtool(cluster, first, "Total votes:\\s+3")).containsPattern("Quorate:\\s+Yes");
				assertThat(votequorum.state().totalVotes()).isEqualTo(3);

				// SIGKILL of a daemon: the remaining pair keeps quorum on both sides
				second.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
				Await.until("back to two members", BOUND, () -> votequorum.state().members().equals(List.of(1L, 3L)),
						votequorum::state);
				assertThat(node.quorate()).isTrue();
				assertThat(awaitQuorumtool(cluster, first, "Total votes:\\s+2")).containsPattern("Quorate:\\s+Yes");

				// cut the daemon off: each side alone, both lose quorum
				int heardBefore = heard.size();
				InteropCluster.run(List.of("ip", "link", "set", cluster.tag + "p1", "down"));
				Await.until("Java node inquorate", BOUND, () -> !node.quorate(), votequorum::state);
				// a snapshot: a view of the live list fails if the listener adds while it is read
				List<QuorumState> heardSince = List.copyOf(heard);
				assertThat(heardSince.subList(heardBefore, heardSince.size())).anyMatch((state) -> !state.quorate()
						&& state.members().equals(List.of(3L)));
				assertThat(awaitQuorumtool(cluster, first, "Quorate:\\s+No")).containsPattern("Total votes:\\s+1");

				// and heal: one ring again, quorate again on both sides, in the same ring
				InteropCluster.run(List.of("ip", "link", "set", cluster.tag + "p1", "up"));
				Await.until("Java node quorate again", BOUND,
						() -> node.quorate() && votequorum.state().members().equals(List.of(1L, 3L)),
						votequorum::state);
				status = awaitQuorumtool(cluster, first, "Quorate:\\s+Yes");
				assertThat(ringId(status)).isEqualTo(votequorum.state().ringId().toString());
			}
		}
	}

	private static String quorumtool(InteropCluster cluster, Process daemon) throws Exception {
		return InteropCluster.run(cluster.inDaemon(daemon, "corosync-quorumtool", "-s"));
	}

	private static String awaitQuorumtool(InteropCluster cluster, Process daemon, String pattern) throws Exception {
		Pattern expected = Pattern.compile(pattern);
		String[] last = { "" };
		Await.until("corosync-quorumtool -s showing " + pattern, BOUND, () -> {
			try {
				last[0] = quorumtool(cluster, daemon);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return expected.matcher(last[0]).find();
		}, () -> last[0]);
		return last[0];
	}

	private static String ringId(String status) {
		Matcher matcher = RING_ID.matcher(status);
		assertThat(matcher.find()).as("a ring id in %s", status).isTrue();
		return matcher.group(1);
	}

}
