package io.corosync4j.engine.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.corosync4j.engine.service.votequorum.VotequorumService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** votequorum on real sockets: quorum follows the ring, listeners hear of it, runtime changes apply everywhere. */
class VotequorumNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void quorumFollowsTheRing() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.quorum = " provider: corosync_votequorum";
			CorosyncNode first = cluster.start(1);
			List<QuorumState> heard = new CopyOnWriteArrayList<>();
			votequorum(first).addListener(heard::add);
			cluster.awaitRing(BOUND);
			assertThat(first.quorate()).isFalse();
			cluster.start(2);
			cluster.awaitRing(BOUND);
			awaitQuorate(cluster, true, 1, 2);
			QuorumState state = votequorum(first).state();
			assertThat(state.members()).containsExactly(1L, 2L);
			assertThat(state.totalVotes()).isEqualTo(2);
			assertThat(state.expectedVotes()).isEqualTo(3);
			assertThat(state.quorum()).isEqualTo(2);
			Await.until("node 1 told of quorum", BOUND, () -> heard.stream().anyMatch(QuorumState::quorate));
			cluster.crash(2);
			cluster.awaitRing(BOUND);
			awaitQuorate(cluster, false, 1);
			assertThat(heard.get(heard.size() - 1).quorate()).isFalse();
			assertThat(heard.get(heard.size() - 1).members()).containsExactly(1L);
		}
	}

	@Test
	void expectedVotesChangedAtRuntimeApplyOnEveryNode() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 5, 500)) {
			cluster.quorum = " provider: corosync_votequorum";
			cluster.start(1);
			cluster.start(2);
			cluster.start(3);
			cluster.awaitRing(BOUND);
			awaitQuorate(cluster, true, 1, 2, 3);
			ExecutionException rejected = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
					() -> votequorum(cluster.node(2)).setExpectedVotes(2).get(10, TimeUnit.SECONDS));
			assertThat(rejected.getCause()).isInstanceOf(IllegalArgumentException.class);
			votequorum(cluster.node(2)).setExpectedVotes(3).get(10, TimeUnit.SECONDS);
			Await.until("expected votes 3 everywhere", BOUND, () -> List.of(1, 2, 3)
				.stream()
				.allMatch((node) -> votequorum(cluster.node(node)).state().expectedVotes() == 3
						&& votequorum(cluster.node(node)).state().quorum() == 2));
			cluster.crash(3);
			cluster.awaitRing(BOUND);
			awaitQuorate(cluster, true, 1, 2);
		}
	}

	@Test
	void expectedVotesTrackingKeepsTheHighestValueInCorosyncsFile() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 5, 500)) {
			cluster.quorum = " provider: corosync_votequorum\n expected_votes_tracking: 1";
			cluster.start(1);
			cluster.start(2);
			cluster.start(3);
			cluster.awaitRing(BOUND);
			awaitQuorate(cluster, true, 1, 2, 3);
			byte[] stored = Files.readAllBytes(this.directory.resolve("n1").resolve("ev_tracking"));
			assertThat(stored).containsExactly(5, 0, 0, 0);
			// the tracked barrier is a floor: a lower runtime value is accepted but does not stick
			votequorum(cluster.node(2)).setExpectedVotes(3).get(10, TimeUnit.SECONDS);
			Await.until("the change delivered", BOUND,
					() -> votequorum(cluster.node(1)).state().nodeOrNull(2).expectedVotes() == 3);
			assertThat(votequorum(cluster.node(1)).state().expectedVotes()).isEqualTo(5);
		}
	}

	@Test
	void withoutAQuorumProviderANodeIsAlwaysQuorate() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			CorosyncNode node = cluster.start(1);
			cluster.awaitRing(BOUND);
			assertThat(node.votequorum()).isEmpty();
			assertThat(node.quorate()).isTrue();
		}
	}

	@Test
	void allowDownscaleLowersExpectedVotesWhenANodeLeavesCleanly() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.quorum = " provider: corosync_votequorum\n expected_votes: 2\n allow_downscale: 1";
			cluster.startAll();
			cluster.awaitRing(BOUND);
			awaitQuorate(cluster, true, 1, 2, 3);
			assertThat(votequorum(cluster.node(1)).state().expectedVotes()).isEqualTo(3);
			cluster.leave(3);
			cluster.awaitRing(BOUND);
			Await.until("node 3 leaving seen by node 1", BOUND,
					() -> votequorum(cluster.node(1)).state().nodeOrNull(3).state()
							!= io.corosync4j.engine.service.votequorum.NodeState.MEMBER);
			assertThat(votequorum(cluster.node(1)).state().expectedVotes()).isEqualTo(2);
			awaitQuorate(cluster, true, 1, 2);
		}
	}

	@Test
	void invalidRuntimeRequestsFail() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.quorum = " provider: corosync_votequorum";
			CorosyncNode node = cluster.start(1);
			cluster.awaitRing(BOUND);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> votequorum(node).setVotes(42, 1).get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(IllegalArgumentException.class)
				.withMessageContaining("no node 42");
		}
	}

	private static VotequorumService votequorum(CorosyncNode node) {
		return node.votequorum().orElseThrow();
	}

	private static void awaitQuorate(LocalCluster cluster, boolean quorate, int... nodes) throws InterruptedException {
		for (int node : nodes) {
			Await.until("node " + node + (quorate ? " quorate" : " inquorate"), BOUND,
					() -> cluster.node(node).quorate() == quorate, () -> votequorum(cluster.node(node)).state());
		}
	}

}
