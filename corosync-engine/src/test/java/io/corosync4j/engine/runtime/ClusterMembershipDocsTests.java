package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.corosync4j.engine.cluster.ClusterMembership;
import io.corosync4j.engine.cluster.ClusterNode;
import io.corosync4j.engine.cluster.ClusterView;
import io.corosync4j.engine.cluster.TrackFlag;
import io.corosync4j.engine.fixtures.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code docs/membership.md}, run on a two-node ring: node 1 queries the view, tracks it
 * and sees node 2 crash.
 */
class ClusterMembershipDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void theViewIsQueriedAndTrackedAsThePageSays() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			cluster.startAll();
			Membership ring = cluster.awaitRing(BOUND);
			CorosyncNode node = cluster.node(1);
			cluster.node(2).clusterMembership();
			Await.until("node 2's boot time heard", BOUND,
					() -> node.clusterMembership().node(2).map(ClusterNode::bootTime).isPresent());

			List<String> lines = new ArrayList<>();
			// tag::query[]
			ClusterMembership membership = node.clusterMembership();
			ClusterView view = membership.view();   // the ring's sequence number, the same on every member
			for (ClusterNode member : view.members()) {
				lines.add(member.nodeid() + " " + member.name() + " " + member.addresses() + " member since view "
						+ member.joinedView() + ", booted " + member.bootTime());   // null: unknown (a Corosync daemon)
			}
			// end::query[]
			assertThat(view.viewNumber()).isEqualTo(ring.ringId().seq());
			assertThat(lines).hasSize(2);
			assertThat(lines.get(1)).startsWith("2 127.0.0.2 {0=127.0.0.2} member since view " + ring.ringId().seq())
				.doesNotEndWith("null");

			BlockingQueue<String> events = new LinkedBlockingQueue<>();
			// tag::track[]
			Set<TrackFlag> flags = EnumSet.of(TrackFlag.CURRENT, TrackFlag.CHANGES_ONLY);
			ClusterMembership.Tracking tracking = membership.track(flags, (change) -> {
				// on the service's thread, one view at a time in order: first the current view,
				// then at each change only the nodes that joined, left or were reconfigured
				for (ClusterNode changed : change.nodes()) {
					events.add("view " + change.viewNumber() + ": " + changed.nodeid()
							+ (changed.member() ? " is a member" : " is not a member"));
				}
			});
			// end::track[]
			Await.until("the current view", BOUND, () -> events.size() == 2);
			assertThat(events).containsExactly("view " + ring.ringId().seq() + ": 1 is a member",
					"view " + ring.ringId().seq() + ": 2 is a member");
			events.clear();
			cluster.crash(2);
			Membership alone = cluster.awaitRing(BOUND);
			Await.until("node 2 gone", BOUND, () -> !events.isEmpty());
			assertThat(events).containsExactly("view " + alone.ringId().seq() + ": 2 is not a member");
			// tag::track[]
			tracking.close();
			// end::track[]
		}
	}

}
