package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.corosync4j.engine.service.votequorum.VotequorumService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of {@code docs/quorum.md}, run on a three-node ring with votequorum: the state, the
 * runtime changes and the listener do what the page says.
 */
class QuorumDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void votesAndExpectedVotesChangeAtRuntimeOnEveryNode() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.quorum = " provider: corosync_votequorum\n wait_for_all: 1";
			cluster.startAll();
			cluster.awaitRing(BOUND);
			CorosyncNode node = cluster.node(1);
			Await.until("quorum", BOUND, node::quorate);

			// tag::votequorum[]
			VotequorumService quorum = node.votequorum().orElseThrow();   // empty without a quorum provider
			AtomicBoolean serving = new AtomicBoolean(quorum.quorate());
			quorum.addListener(state -> serving.set(state.quorate()));    // on the event loop: must not block
			QuorumState state = quorum.state();                           // what corosync-quorumtool -s prints
			quorum.setExpectedVotes(3).join();                            // corosync-quorumtool -e 3 (checked first)
			quorum.setVotes(2, 2).join();                                 // corosync-quorumtool -v 2 -n 2
			quorum.cancelWaitForAll().join();                             // or CMAP quorum.cancel_wait_for_all = 1
			boolean quorate = node.quorate();                             // always true without a quorum provider
			// end::votequorum[]

			assertThat(state.members()).containsExactly(1L, 2L, 3L);
			assertThat(state.totalVotes()).isEqualTo(3);
			assertThat(quorate).isTrue();
			assertThat(serving).isTrue();
			// node 2's second vote reaches every member at the same point of the order
			for (int member = 1; member <= 3; member++) {
				VotequorumService view = cluster.node(member).votequorum().orElseThrow();
				Await.until("node 2 has two votes", BOUND, () -> view.state().nodeOrNull(2).votes() == 2
						&& view.state().totalVotes() == 4 && !view.state().waitForAllStatus());
			}
			// four votes now: losing node 2 (two of them) loses quorum, and the listener hears of it
			cluster.crash(2);
			cluster.awaitRing(BOUND);
			Await.until("the listener told of the lost quorum", BOUND, () -> !serving.get());
			assertThat(node.quorate()).isFalse();
		}
	}

}
