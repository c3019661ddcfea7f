package io.corosync4j.engine.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.corosync4j.engine.totem.wire.RingId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The views one node publishes, from hand-built rings and announcements. */
class ViewStateTests {

	private static final Instant BOOT_1 = Instant.parse("2025-01-01T10:00:00Z");

	private static final Instant BOOT_2 = Instant.parse("2025-01-01T11:00:00.123456789Z");

	private static final List<ConfiguredNode> NODELIST = List.of(
			new ConfiguredNode(1, "alpha", Map.of(0, "10.0.0.1", 1, "10.1.0.1")),
			new ConfiguredNode(2, "10.0.0.2", Map.of(0, "10.0.0.2")),
			new ConfiguredNode(3, "gamma", Map.of(0, "10.0.0.3")));

	private final ViewState state = new ViewState(new NodeAnnouncement(1, BOOT_1, "alpha"), NODELIST);

	@Test
	void beforeAnyRingEveryConfiguredNodeIsListedAsNotAMember() {
		ClusterView view = this.state.current();
		assertThat(view.viewNumber()).isZero();
		assertThat(view.nodes()).extracting(ClusterNode::nodeid).containsExactly(1L, 2L, 3L);
		assertThat(view.members()).isEmpty();
		assertThat(view.node(1)).hasValueSatisfying((self) -> {
			assertThat(self.name()).isEqualTo("alpha");
			assertThat(self.addresses()).containsExactly(Map.entry(0, "10.0.0.1"), Map.entry(1, "10.1.0.1"));
			assertThat(self.bootTime()).isEqualTo(BOOT_1);
			assertThat(self.joinedView()).isZero();
		});
		assertThat(view.node(3).orElseThrow().bootTime()).isNull();
		assertThat(this.state.hasView()).isFalse();
	}

	@Test
	void theViewNumberIsTheRingsSequenceAndChangesSayWhoJoinedAndLeft() {
		ClusterView first = this.state.ring(new RingId(1, 4), List.of(1L), NODELIST);
		assertThat(first).isNotNull();
		assertThat(first.viewNumber()).isEqualTo(4);
		assertThat(first.joined()).containsExactly(1L);
		assertThat(first.left()).isEmpty();

		ClusterView second = this.state.ring(new RingId(1, 8), List.of(1L, 2L, 3L), NODELIST);
		assertThat(second.viewNumber()).isEqualTo(8);
		assertThat(second.joined()).containsExactly(2L, 3L);
		assertThat(second.members()).extracting(ClusterNode::nodeid).containsExactly(1L, 2L, 3L);
		assertThat(second.node(1).orElseThrow().joinedView()).as("a member since the first view").isEqualTo(4);
		assertThat(second.node(2).orElseThrow().joinedView()).isEqualTo(8);

		ClusterView third = this.state.ring(new RingId(2, 12), List.of(1L, 2L), NODELIST);
		assertThat(third.left()).containsExactly(3L);
		assertThat(third.joined()).isEmpty();
		assertThat(third.node(3)).hasValueSatisfying((gone) -> {
			assertThat(gone.member()).isFalse();
			assertThat(gone.joinedView()).isZero();
		});
		assertThat(this.state.current().viewNumber()).isEqualTo(12);
		assertThat(this.state.current().hasChanges()).isFalse();
	}

	@Test
	void aRingNotNewerThanTheLastIsIgnored() {
		assertThat(this.state.ring(new RingId(1, 8), List.of(1L, 2L), NODELIST)).isNotNull();
		assertThat(this.state.ring(new RingId(1, 8), List.of(1L, 2L), NODELIST)).isNull();
		assertThat(this.state.ring(new RingId(2, 4), List.of(1L), NODELIST)).isNull();
		assertThat(this.state.current().viewNumber()).isEqualTo(8);
	}

	@Test
	void aNewRingWithTheSameMembersChangesOnlyTheViewNumber() {
		this.state.ring(new RingId(1, 4), List.of(1L, 2L), NODELIST);
		ClusterView same = this.state.ring(new RingId(2, 8), List.of(1L, 2L), NODELIST);
		assertThat(same.viewNumber()).isEqualTo(8);
		assertThat(same.hasChanges()).isFalse();
		assertThat(same.changesOnly().nodes()).isEmpty();
		assertThat(same.node(2).orElseThrow().joinedView()).isEqualTo(4);
	}

	@Test
	void membersOutsideTheNodelistAreListedByIdAndWhenTheyLeaveOnlyInTheChange() {
		this.state.ring(new RingId(1, 4), List.of(1L, 7L), NODELIST);
		ClusterView view = this.state.current();
		assertThat(view.nodes()).extracting(ClusterNode::nodeid).containsExactly(1L, 2L, 3L, 7L);
		assertThat(view.node(7)).hasValueSatisfying((stranger) -> {
			assertThat(stranger.name()).isNull();
			assertThat(stranger.addresses()).isEmpty();
			assertThat(stranger.member()).isTrue();
		});
		ClusterView left = this.state.ring(new RingId(1, 8), List.of(1L), NODELIST);
		assertThat(left.left()).containsExactly(7L);
		assertThat(left.node(7).orElseThrow().member()).isFalse();
		assertThat(left.changesOnly().nodes()).extracting(ClusterNode::nodeid).containsExactly(7L);
		assertThat(this.state.current().node(7)).isEmpty();
	}

	@Test
	void anAnnouncementReconfiguresTheViewWithTheBootTimeAndForStrangersTheName() {
		this.state.ring(new RingId(1, 4), List.of(1L, 2L, 7L), NODELIST);
		ClusterView booted = this.state.announced(new NodeAnnouncement(2, BOOT_2, "beta"), NODELIST);
		assertThat(booted).isNotNull();
		assertThat(booted.viewNumber()).isEqualTo(4);
		assertThat(booted.reconfigured()).containsExactly(2L);
		assertThat(booted.joined()).isEmpty();
		assertThat(booted.node(2)).hasValueSatisfying((node) -> {
			assertThat(node.bootTime()).isEqualTo(BOOT_2);
			assertThat(node.name()).as("the nodelist's name wins").isEqualTo("10.0.0.2");
		});
		assertThat(this.state.current().node(2).orElseThrow().bootTime()).isEqualTo(BOOT_2);
		assertThat(booted.changesOnly().nodes()).extracting(ClusterNode::nodeid).containsExactly(2L);

		ClusterView stranger = this.state.announced(new NodeAnnouncement(7, BOOT_2, "seventh"), NODELIST);
		assertThat(stranger.node(7).orElseThrow().name()).isEqualTo("seventh");

		assertThat(this.state.announced(new NodeAnnouncement(2, BOOT_2, "beta"), NODELIST)).as("said again").isNull();
		assertThat(this.state.announced(new NodeAnnouncement(1, BOOT_2, "alpha"), NODELIST)).as("our own id").isNull();
		assertThat(this.state.current().node(1).orElseThrow().bootTime()).isEqualTo(BOOT_1);
	}

	@Test
	void aBootTimeHeardIsKeptWhileTheNodeIsAwayAndReplacedWhenItRestarts() {
		this.state.ring(new RingId(1, 4), List.of(1L, 3L), NODELIST);
		this.state.announced(new NodeAnnouncement(3, BOOT_2, "gamma"), NODELIST);
		this.state.ring(new RingId(1, 8), List.of(1L), NODELIST);
		assertThat(this.state.current().node(3).orElseThrow().bootTime()).isEqualTo(BOOT_2);
		this.state.ring(new RingId(1, 12), List.of(1L, 3L), NODELIST);
		Instant restarted = BOOT_2.plusSeconds(60);
		ClusterView again = this.state.announced(new NodeAnnouncement(3, restarted, "gamma"), NODELIST);
		assertThat(again.reconfigured()).containsExactly(3L);
		assertThat(again.node(3).orElseThrow().bootTime()).isEqualTo(restarted);
		assertThat(again.node(3).orElseThrow().joinedView()).isEqualTo(12);
	}

	@Test
	void withoutANodelistTheViewIsTheMembersAndThisNode() {
		ViewState bare = new ViewState(new NodeAnnouncement(5, BOOT_1, "host-5"), List.of());
		assertThat(bare.current().nodes()).singleElement().satisfies((self) -> {
			assertThat(self.nodeid()).isEqualTo(5);
			assertThat(self.name()).isEqualTo("host-5");
		});
		ClusterView ring = bare.ring(new RingId(5, 4), List.of(5L, 6L), List.of());
		assertThat(ring.nodes()).extracting(ClusterNode::nodeid).containsExactly(5L, 6L);
	}

}
