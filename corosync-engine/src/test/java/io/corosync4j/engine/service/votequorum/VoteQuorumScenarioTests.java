package io.corosync4j.engine.service.votequorum;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.corosync4j.engine.config.ConfigParser;
import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * votequorum's man page, example by example: each configuration read by the real configuration reader,
 * each chain of events acted out on an idealised ring ({@link QuorumHarness}).
 */
class VoteQuorumScenarioTests {

	@Test
	void threeNodesNeedTwo() {
		QuorumHarness ring = new QuorumHarness().start(settings(3, ""), 1, 2, 3);
		assertThat(ring.node(1).state().quorate()).isFalse();
		assertThat(ring.node(1).state().quorum()).isEqualTo(2);
		ring.form(1, 2);
		assertQuorate(ring, true, 1, 2);
		assertThat(ring.node(1).state().totalVotes()).isEqualTo(2);
		ring.form(1, 2, 3);
		assertQuorate(ring, true, 1, 2, 3);
		// a partition: the majority keeps quorum, the single node has none
		ring.form(1, 2);
		ring.form(3);
		assertQuorate(ring, true, 1, 2);
		assertQuorate(ring, false, 3);
		assertThat(ring.node(3).state().expectedVotes()).isEqualTo(3);
	}

	@Test
	void expectedVotesWithoutANodelist() {
		// "an 8 node cluster (each node has 1 vote)": quorum 5
		QuorumHarness ring = new QuorumHarness().start(noNodelist("expected_votes: 8"), 1, 2, 3, 4, 5, 6, 7, 8);
		ring.form(1, 2, 3, 4);
		assertQuorate(ring, false, 1, 2, 3, 4);
		assertThat(ring.node(1).state().quorum()).isEqualTo(5);
		ring.form(1, 2, 3, 4, 5);
		assertQuorate(ring, true, 1, 2, 3, 4, 5);
	}

	@Test
	void twoNodeKeepsQuorumWhenThePeerDiesButWaitsForAllAtStart() {
		QuorumHarness ring = new QuorumHarness().start(settings(2, "two_node: 1"), 1, 2);
		assertThat(ring.node(1).state().features()).contains(QuorumFeature.TWO_NODE, QuorumFeature.WAIT_FOR_ALL);
		// two_node turns on wait_for_all: one node alone at start is not quorate despite quorum 1
		assertThat(ring.node(1).state().quorum()).isEqualTo(1);
		assertQuorate(ring, false, 1);
		assertThat(ring.node(1).state().waitForAllStatus()).isTrue();
		ring.form(1, 2);
		assertQuorate(ring, true, 1, 2);
		ring.kill(2);
		ring.form(1);
		assertQuorate(ring, true, 1);
		assertThat(ring.node(1).state().quorum()).isEqualTo(1);
	}

	@Test
	void twoNodeWithoutWaitForAllIsQuorateAlone() {
		QuorumHarness ring = new QuorumHarness().start(settings(2, "two_node: 1\n\twait_for_all: 0"), 1);
		assertQuorate(ring, true, 1);
	}

	@Test
	void waitForAllHoldsQuorumUntilEveryNodeWasSeenAndAgainAfterItIsLost() {
		QuorumHarness ring = new QuorumHarness().start(noNodelist("expected_votes: 8\n\twait_for_all: 1"), 1, 2, 3,
				4, 5, 6, 7, 8);
		ring.form(1, 2, 3, 4, 5);
		assertQuorate(ring, false, 1, 2, 3, 4, 5);
		ring.form(1, 2, 3, 4, 5, 6, 7, 8);
		assertQuorate(ring, true, 1, 2, 3, 4, 5, 6, 7, 8);
		// once quorate, ordinary majority rules
		ring.kill(6);
		ring.kill(7);
		ring.kill(8);
		ring.form(1, 2, 3, 4, 5);
		assertQuorate(ring, true, 1, 2, 3, 4, 5);
		// losing quorum re-arms wait_for_all: a majority is no longer enough
		ring.form(1, 2, 3, 4);
		ring.form(5);
		assertQuorate(ring, false, 1, 2, 3, 4, 5);
		assertThat(ring.node(1).state().waitForAllStatus()).isTrue();
		ring.form(1, 2, 3, 4, 5);
		assertQuorate(ring, false, 1, 2, 3, 4, 5);
	}

	@Test
	void cancelWaitForAllLetsAMajorityProceed() {
		QuorumHarness ring = new QuorumHarness().start(noNodelist("expected_votes: 4\n\twait_for_all: 1"), 1, 2, 3);
		ring.form(1, 2, 3);
		assertQuorate(ring, false, 1, 2, 3);
		ring.node(2).engine.requestCancelWaitForAll();
		ring.deliverQueued(List.of(1L, 2L, 3L));
		assertQuorate(ring, true, 1, 2, 3);
		assertThat(ring.node(1).notifications).endsWith(true);
	}

	@Test
	void lastManStandingFollowsTheManPagesChainOfEvents() {
		QuorumHarness ring = new QuorumHarness().start(noNodelist("expected_votes: 8\n\tlast_man_standing: 1"), 1, 2,
				3, 4, 5, 6, 7, 8);
		// 1) fully operational with 8 nodes (expected_votes: 8 quorum: 5)
		ring.form(1, 2, 3, 4, 5, 6, 7, 8);
		assertVotes(ring, 1, 8, 5, true);
		// 2) 3 nodes die, quorate with 5; 3) after the window: expected 5, quorum 3
		killAndForm(ring, new long[] { 6, 7, 8 }, 1, 2, 3, 4, 5);
		assertVotes(ring, 1, 8, 5, true);
		ring.expireLastManStanding(1, 2, 3, 4, 5);
		assertVotes(ring, 1, 5, 3, true);
		// 4) 2 more die, still quorate with 3; 5) after the window: expected 3, quorum 2
		killAndForm(ring, new long[] { 4, 5 }, 1, 2, 3);
		assertVotes(ring, 1, 5, 3, true);
		ring.expireLastManStanding(1, 2, 3);
		assertVotes(ring, 1, 3, 2, true);
		// 6) 1 more dies, quorate with 2; 7) after the window: expected 2, quorum 2
		killAndForm(ring, new long[] { 3 }, 1, 2);
		assertVotes(ring, 1, 3, 2, true);
		ring.expireLastManStanding(1, 2);
		assertVotes(ring, 1, 2, 2, true);
		// without auto_tie_breaker the last node alone is not quorate
		killAndForm(ring, new long[] { 2 }, 1);
		assertQuorate(ring, false, 1);
	}

	@Test
	void lastManStandingWindowIsNotArmedWithoutQuorumOrLoss() {
		QuorumHarness ring = new QuorumHarness().start(noNodelist("expected_votes: 4\n\tlast_man_standing: 1\n\t"
				+ "last_man_standing_window: 20000"), 1, 2, 3, 4);
		ring.form(1, 2, 3, 4);
		assertThat(ring.node(1).lastManStandingTimer).isNull();
		ring.form(1, 2, 3);
		ring.form(4);
		assertThat(ring.node(1).lastManStandingTimer).isEqualTo(20000);
		assertThat(ring.node(4).lastManStandingTimer).isNull();
	}

	@Test
	void autoTieBreakerLowestLetsTheHalfWithTheLowestIdKeepQuorum() {
		QuorumHarness ring = new QuorumHarness().start(settings(4, "auto_tie_breaker: 1"), 1, 2, 3, 4);
		ring.form(1, 2, 3, 4);
		assertQuorate(ring, true, 1, 2, 3, 4);
		ring.form(1, 2);
		ring.form(3, 4);
		assertQuorate(ring, true, 1, 2);
		assertQuorate(ring, false, 3, 4);
	}

	@Test
	void autoTieBreakerHighest() {
		QuorumHarness ring = new QuorumHarness().start(settings(4, "auto_tie_breaker: 1\n\tauto_tie_breaker_node: highest"),
				1, 2, 3, 4);
		ring.form(1, 2, 3, 4);
		ring.form(1, 2);
		ring.form(3, 4);
		assertQuorate(ring, false, 1, 2);
		assertQuorate(ring, true, 3, 4);
	}

	@Test
	void autoTieBreakerListPrefersItsFirstNodeSeenBeforeTheSplit() {
		QuorumHarness ring = new QuorumHarness().start(settings(4, "auto_tie_breaker: 1\n\tauto_tie_breaker_node: 3 1"),
				1, 2, 3, 4);
		ring.form(1, 2, 3, 4);
		ring.form(1, 2);
		ring.form(3, 4);
		// node 1 is listed, but node 3 comes first and was in the cluster before the split
		assertQuorate(ring, false, 1, 2);
		assertQuorate(ring, true, 3, 4);
	}

	@Test
	void autoTieBreakerNeedsAnExactHalf() {
		QuorumHarness ring = new QuorumHarness().start(settings(6, "auto_tie_breaker: 1"), 1, 2, 3, 4, 5, 6);
		ring.form(1, 2, 3, 4, 5, 6);
		ring.form(1, 2);
		ring.form(3, 4, 5, 6);
		assertQuorate(ring, false, 1, 2);
		assertQuorate(ring, true, 3, 4, 5, 6);
	}

	@Test
	void expectedVotesTrackingRemembersTheHighestExpectedVotes() {
		VotequorumSettings tracking = noNodelist("expected_votes: 3\n\texpected_votes_tracking: 1");
		QuorumHarness ring = new QuorumHarness().start(tracking, 1, 2, 3, 4, 5);
		ring.form(1, 2, 3, 4, 5);
		assertThat(ring.node(1).state().expectedVotes()).isEqualTo(5);
		assertThat(ring.node(1).storedBarrier).isEqualTo(5);
		// a restart with the stored barrier: two nodes alone are no longer a majority of 3
		VoteQuorum restarted = new VoteQuorum(1, tracking, 5, ring.node(1));
		assertThat(restarted.state().expectedVotes()).isEqualTo(5);
		assertThat(restarted.state().quorum()).isEqualTo(3);
	}

	@Test
	void setExpectedVotesIsValidatedThenAppliedEverywhere() {
		QuorumHarness ring = new QuorumHarness().start(settings(5, ""), 1, 2, 3, 4, 5);
		ring.form(1, 2, 3, 4, 5);
		killAndForm(ring, new long[] { 4, 5 }, 1, 2, 3);
		assertVotes(ring, 1, 5, 3, true);
		assertThatIllegalArgumentException().isThrownBy(() -> ring.node(1).engine.requestExpectedVotes(2))
			.withMessageContaining("3 votes");
		ring.node(1).engine.requestExpectedVotes(3);
		ring.deliverQueued(List.of(1L, 2L, 3L));
		for (long nodeid : new long[] { 1, 2, 3 }) {
			assertVotes(ring, nodeid, 3, 2, true);
		}
		// now one more node may fail
		killAndForm(ring, new long[] { 3 }, 1, 2);
		assertQuorate(ring, true, 1, 2);
	}

	@Test
	void setVotesChangesOneNodesWeight() {
		QuorumHarness ring = new QuorumHarness().start(settings(3, ""), 1, 2, 3);
		ring.form(1, 2, 3);
		ring.node(2).engine.requestVotes(1, 2);
		ring.deliverQueued(List.of(1L, 2L, 3L));
		QuorumState state = ring.node(3).state();
		assertThat(state.nodeOrNull(1).votes()).isEqualTo(2);
		assertThat(state.totalVotes()).isEqualTo(4);
		assertThat(state.expectedVotes()).isEqualTo(4);
		assertThat(state.quorum()).isEqualTo(3);
		// node 1 and one other hold 3 of 4 votes
		killAndForm(ring, new long[] { 3 }, 1, 2);
		assertQuorate(ring, true, 1, 2);
		assertThatIllegalArgumentException().isThrownBy(() -> ring.node(1).engine.requestVotes(9, 1))
			.withMessageContaining("no node 9");
	}

	@Test
	void aQuorateClustersExpectedVotesAreAdoptedByAJoiningNode() {
		// node 4 starts alone with the configured 5 expected votes while the others lower theirs to 3
		QuorumHarness joined = new QuorumHarness().start(settings(5, ""), 1, 2, 3, 4);
		joined.form(1, 2, 3);
		joined.node(1).engine.requestExpectedVotes(3);
		joined.deliverQueued(List.of(1L, 2L, 3L));
		assertThat(joined.node(4).state().expectedVotes()).isEqualTo(5);
		joined.form(1, 2, 3, 4);
		// it takes the quorate nodes' value, which then rises to the 4 votes present
		assertThat(joined.node(4).state().expectedVotes()).isEqualTo(4);
		assertQuorate(joined, true, 1, 2, 3, 4);
	}

	@Test
	void allowDownscaleShrinksExpectedVotesOnACleanLeave() {
		QuorumHarness ring = new QuorumHarness().start(noNodelist("expected_votes: 3\n\tallow_downscale: 1"), 1, 2, 3,
				4, 5);
		ring.form(1, 2, 3, 4, 5);
		assertVotes(ring, 1, 5, 3, true);
		assertThat(ring.node(5).engine.leaving()).isTrue();
		ring.deliverQueued(List.of(1L, 2L, 3L, 4L, 5L));
		ring.kill(5);
		ring.form(1, 2, 3, 4);
		assertThat(ring.node(1).state().nodeOrNull(5).state()).isEqualTo(NodeState.DEAD);
		assertThat(ring.node(1).state().expectedVotes()).isEqualTo(4);
		assertQuorate(ring, true, 1, 2, 3, 4);
	}

	@Test
	void quorumDeviceVotesFromAPeerAreRecorded() {
		QuorumHarness ring = new QuorumHarness().start(settings(3, ""), 1, 2);
		ring.form(1, 2);
		// node 2 (a Corosync node with a registered device) reports the device's votes
		QuorumHarness.deliver(ring.node(1).engine, 2, new VotequorumMessages.NodeInfo(0, 2, 0, 0).encode());
		QuorumHarness.deliver(ring.node(1).engine, 2,
				new VotequorumMessages.QdeviceRegistration(VotequorumMessages.QDEVICE_REGISTER, "Qdevice").encode());
		QuorumState state = ring.node(1).state();
		assertThat(state.qdeviceVotes()).isEqualTo(2);
		assertThat(state.qdeviceName()).isEqualTo("Qdevice");
		// the device's votes raise expected votes, but count toward quorum only where the device votes
		assertThat(state.expectedVotes()).isEqualTo(4);
		assertThat(state.totalVotes()).isEqualTo(2);
		// a device report from a node votequorum never heard of is ignored
		QuorumHarness.deliver(ring.node(1).engine, 7, new VotequorumMessages.NodeInfo(0, 9, 0, 0).encode());
		assertThat(ring.node(1).state().qdeviceVotes()).isEqualTo(2);
	}

	@Test
	void notificationsComeAtEveryActivationAndOnChangesOutsideSync() {
		QuorumHarness ring = new QuorumHarness().start(noNodelist("expected_votes: 4\n\twait_for_all: 1"), 1, 2, 3);
		ring.node(1).notifications.clear();
		ring.form(1, 2, 3);
		assertThat(ring.node(1).notifications).containsExactly(false);
		ring.node(1).engine.requestCancelWaitForAll();
		ring.deliverQueued(List.of(1L, 2L, 3L));
		assertThat(ring.node(1).notifications).containsExactly(false, true);
	}

	// ---------------------------------------------------------------------------------------------

	private static void killAndForm(QuorumHarness ring, long[] dead, long... survivors) {
		for (long nodeid : dead) {
			ring.kill(nodeid);
		}
		ring.form(survivors);
	}

	private static void assertQuorate(QuorumHarness ring, boolean quorate, long... nodeids) {
		for (long nodeid : nodeids) {
			assertThat(ring.node(nodeid).state().quorate()).as("node %d quorate", nodeid).isEqualTo(quorate);
			assertThat((ring.node(nodeid).state().self().flags() & NodeFlags.QUORATE) != 0).isEqualTo(quorate);
		}
	}

	private static void assertVotes(QuorumHarness ring, long nodeid, long expected, long quorum, boolean quorate) {
		QuorumState state = ring.node(nodeid).state();
		assertThat(state.expectedVotes()).as("node %d expected votes", nodeid).isEqualTo(expected);
		assertThat(state.quorum()).as("node %d quorum", nodeid).isEqualTo(quorum);
		assertThat(state.quorate()).as("node %d quorate", nodeid).isEqualTo(quorate);
	}

	/** A nodelist of {@code nodes} one-vote nodes (this node is the first) plus quorum options. */
	static VotequorumSettings settings(int nodes, String quorumOptions) {
		String nodelist = LongStream.rangeClosed(1, nodes)
			.mapToObj((id) -> "\tnode {\n\t\tnodeid: " + id + "\n\t\tring0_addr: 10.0.0." + id + "\n\t}\n")
			.collect(Collectors.joining());
		return read("nodelist {\n" + nodelist + "}\n", quorumOptions, 0);
	}

	/** No nodelist (multicast udp): expected votes come from the quorum section. */
	static VotequorumSettings noNodelist(String quorumOptions) {
		return read("", quorumOptions, null);
	}

	private static VotequorumSettings read(String nodelist, String quorumOptions, Integer position) {
		String transport = nodelist.isEmpty() ? "udp\n\tinterface {\n\t\tlinknumber: 0\n\t\tbindnetaddr: 10.0.0.0\n"
				+ "\t\tmcastaddr: 239.1.1.1\n\t}" : "udpu";
		String text = "totem {\n\tversion: 2\n\tcluster_name: q\n\ttransport: " + transport + "\n}\n" + nodelist
				+ "quorum {\n\tprovider: corosync_votequorum\n\t" + quorumOptions + "\n}\n";
		CorosyncConfig config = new CorosyncConfigReader(Map.of()).read(ConfigParser.parse("corosync.conf", text));
		return VotequorumSettings.of(config, position);
	}

}
