package io.corosync4j.engine.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.corosync4j.engine.cluster.ClusterMembership;
import io.corosync4j.engine.cluster.ClusterMembershipService;
import io.corosync4j.engine.cluster.ClusterNode;
import io.corosync4j.engine.cluster.ClusterView;
import io.corosync4j.engine.cluster.TrackFlag;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Cluster membership on three nodes over real sockets in this JVM: the nodes agree on the view, learn
 * each other's boot times, tell trackers of a crash (full view and changes only, off the event loop),
 * and a node that joins late learns the boot times of those already there.
 */
class ClusterMembershipNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void nodesAgreeOnTheViewLearnBootTimesAndTrackersSeeACrashAndALateJoiner() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			CorosyncNode first = cluster.start(1);
			// asked for the current view before any ring formed: it comes with the first
			Recorder early = new Recorder();
			first.clusterMembership().track(EnumSet.of(TrackFlag.CURRENT), early);
			cluster.start(2);
			cluster.start(3);
			Membership ring = cluster.awaitRing(BOUND);
			List<ClusterMembership> services = List.of(first.clusterMembership(), cluster.node(2).clusterMembership(),
					cluster.node(3).clusterMembership());
			assertThat(cluster.node(2).clusterMembership()).as("one service per node").isSameAs(services.get(1));

			// every node publishes the ring's sequence as the view number, with the same members
			for (ClusterMembership service : services) {
				Await.until("node " + service.localNodeId() + " at view " + ring.ringId().seq(), BOUND,
						() -> service.view().viewNumber() == ring.ringId().seq(), service::view);
				assertThat(service.view().members()).extracting(ClusterNode::nodeid).containsExactly(1L, 2L, 3L);
			}
			// and learns every other node's boot time from its announcement
			for (ClusterMembership service : services) {
				Await.until("node " + service.localNodeId() + " knowing every boot time", BOUND,
						() -> service.view().nodes().stream().allMatch((node) -> node.bootTime() != null),
						service::view);
			}
			Instant bootOfTwo = services.get(1).node(2).orElseThrow().bootTime();
			assertThat(services.get(0).node(2).orElseThrow().bootTime()).isEqualTo(bootOfTwo);
			assertThat(services.get(2).node(2).orElseThrow().bootTime()).isEqualTo(bootOfTwo);
			ClusterNode three = services.get(0).node(3).orElseThrow();
			assertThat(three.name()).isEqualTo("127.0.0.3");
			assertThat(three.addresses()).containsExactly(Map.entry(0, "127.0.0.3"));
			assertThat(three.member()).isTrue();
			assertThat(services.get(0).view().nodes()).isEqualTo(services.get(1).view().nodes().stream()
				.map((node) -> services.get(0).node(node.nodeid()).orElseThrow()).toList());

			Await.until("the early CURRENT callback", BOUND, () -> !early.views.isEmpty());
			assertThat(early.views.get(0).viewNumber()).isPositive();
			assertThat(early.views.get(0).hasChanges()).isFalse();
			assertThat(early.threads).allMatch((name) -> name.startsWith("corosync-clm-1"));

			// trackers on nodes 1 and 2: the full view of each change, and only what changed
			Recorder full1 = new Recorder();
			Recorder only1 = new Recorder();
			Recorder only2 = new Recorder();
			services.get(0).track(EnumSet.of(TrackFlag.CURRENT, TrackFlag.CHANGES), full1);
			services.get(0).track(EnumSet.of(TrackFlag.CHANGES_ONLY), only1);
			ClusterMembership.Tracking stopped = services.get(1).track(EnumSet.of(TrackFlag.CHANGES_ONLY), only2);
			Await.until("the current view first", BOUND, () -> !full1.views.isEmpty());
			assertThat(full1.views.get(0).viewNumber()).isEqualTo(ring.ringId().seq());

			cluster.crash(3);
			Membership two = cluster.awaitRing(BOUND);
			ClusterView crash = full1.await((view) -> view.left().contains(3L));
			assertThat(crash.viewNumber()).isEqualTo(two.ringId().seq());
			assertThat(crash.members()).extracting(ClusterNode::nodeid).containsExactly(1L, 2L);
			assertThat(crash.node(3)).hasValueSatisfying((gone) -> {
				assertThat(gone.member()).isFalse();
				assertThat(gone.bootTime()).as("the last boot time heard").isNotNull();
			});
			ClusterView onlyOnOne = only1.await((view) -> view.left().contains(3L));
			ClusterView onlyOnTwo = only2.await((view) -> view.left().contains(3L));
			assertThat(onlyOnOne.nodes()).extracting(ClusterNode::nodeid).containsExactly(3L);
			assertThat(onlyOnOne).isEqualTo(onlyOnTwo);
			assertThat(full1.threads).allMatch((name) -> name.startsWith("corosync-clm-1"));
			assertThat(only2.threads).allMatch((name) -> name.startsWith("corosync-clm-2"));
			stopped.close();

			// node 3 comes back, late, with a boot time of its own: it learns 1 and 2, they learn it
			CorosyncNode late = cluster.start(3);
			Instant reboot = Instant.parse("2030-01-01T00:00:00.25Z");
			try (ClusterMembershipService lateService = new ClusterMembershipService(late, reboot)) {
				Membership back = cluster.awaitRing(BOUND);
				Await.until("the late joiner knowing 1 and 2", BOUND,
						() -> lateService.view().viewNumber() == back.ringId().seq()
								&& lateService.view().members().stream().allMatch((node) -> node.bootTime() != null),
						lateService::view);
				assertThat(lateService.node(1).orElseThrow().bootTime()).isEqualTo(services.get(0).node(1).orElseThrow()
					.bootTime());
				ClusterView joined = full1.await((view) -> view.joined().contains(3L));
				assertThat(joined.viewNumber()).isEqualTo(back.ringId().seq());
				ClusterView rebooted = full1.await((view) -> view.reconfigured().contains(3L)
						&& reboot.equals(view.node(3).orElseThrow().bootTime()));
				assertThat(rebooted.viewNumber()).isEqualTo(back.ringId().seq());
				ClusterView onlyReboot = only1.await((view) -> view.reconfigured().contains(3L));
				assertThat(onlyReboot.nodes()).extracting(ClusterNode::nodeid).containsExactly(3L);
				Await.until("node 2 learning the reboot", BOUND,
						() -> reboot.equals(services.get(1).node(3).orElseThrow().bootTime()));
				assertThat(only2.views).as("stopped tracking").noneMatch((view) -> view.joined().contains(3L));
			}
		}
	}

	@Test
	void aMalformedAnnouncementIsACountedDropAndTheViewGoesOn() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			cluster.startAll();
			cluster.awaitRing(BOUND);
			ClusterMembership one = cluster.node(1).clusterMembership();
			ClusterMembership two = cluster.node(2).clusterMembership();
			Await.until("node 1 knowing node 2's boot time", BOUND, () -> one.node(2).orElseThrow().bootTime() != null);
			CpgHandle forger = cluster.node(2).cpg().join(CpgName.of(ClusterMembership.GROUP_NAME), new CpgListener() {

				@Override
				public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
				}

				@Override
				public void configurationChange(CpgConfigurationChange change) {
				}

			});
			forger.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
			assertThat(forger.mcast("not an announcement".getBytes(StandardCharsets.UTF_8), BOUND)).isTrue();
			// a well-formed announcement from node 2 that names node 1
			byte[] forged = { 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0 };
			assertThat(forger.mcast(forged, BOUND)).isTrue();
			Await.until("both dropped on node 1", BOUND, () -> one.malformedMessages() == 2);
			Await.until("both dropped on node 2", BOUND, () -> two.malformedMessages() == 2);
			assertThat(one.node(1).orElseThrow().bootTime()).isNotEqualTo(Instant.ofEpochSecond(9));
			assertThat(cluster.node(1).failure()).isNull();
			forger.close();

			assertThatIllegalArgumentException().isThrownBy(() -> one.track(EnumSet.noneOf(TrackFlag.class), (view) -> {
			}));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> one.track(EnumSet.of(TrackFlag.CHANGES, TrackFlag.CHANGES_ONLY), (view) -> {
				}));
		}
	}

	/** The views a callback got, and on which threads. */
	private static final class Recorder implements Consumer<ClusterView> {

		final List<ClusterView> views = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void accept(ClusterView view) {
			this.threads.add(Thread.currentThread().getName());
			this.views.add(view);
		}

		ClusterView await(Predicate<ClusterView> condition) throws InterruptedException {
			Await.until("a view that matches", BOUND, () -> this.views.stream().anyMatch(condition), () -> this.views);
			return Objects.requireNonNull(this.views.stream().filter(condition).findFirst().orElse(null));
		}

	}

}
