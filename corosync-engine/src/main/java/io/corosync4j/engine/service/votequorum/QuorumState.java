package io.corosync4j.engine.service.votequorum;

import java.util.List;
import java.util.Set;

import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;

/**
 * votequorum's view at one point of the agreed order: what {@code corosync-quorumtool -s} prints.
 *
 * @param nodeid this node
 * @param ringId the ring the quorum members belong to, or {@code null} before the first ring
 * @param members the quorum members (the ring's members), ascending
 * @param quorate whether this partition has quorum
 * @param quorum the votes needed for quorum
 * @param totalVotes the votes of the members (plus the quorum device's, while it votes here)
 * @param expectedVotes this node's expected votes
 * @param highestExpected the highest expected votes of any member
 * @param waitForAllStatus whether {@code wait_for_all} still holds quorum back
 * @param features the features in effect
 * @param qdeviceName the registered quorum device's name, or empty
 * @param qdeviceVotes the quorum device's votes
 * @param nodes every node votequorum has heard of, ascending by id
 * @param listOrder the same nodes' ids in the order Corosync's votequorum lists them in its notifications
 * (the order they were heard of decides it, see {@code node_add_ordered})
 */
public record QuorumState(long nodeid, @Nullable RingId ringId, List<Long> members, boolean quorate, long quorum,
		long totalVotes, long expectedVotes, long highestExpected, boolean waitForAllStatus,
		Set<QuorumFeature> features, String qdeviceName, long qdeviceVotes, List<QuorumNode> nodes,
		List<Long> listOrder) {

	public QuorumState {
		members = List.copyOf(members);
		features = Set.copyOf(features);
		nodes = List.copyOf(nodes);
		listOrder = List.copyOf(listOrder);
	}

	/** This node's entry. */
	public QuorumNode self() {
		return node(this.nodeid);
	}

	/** A node's entry, or {@code null} when votequorum has not heard of it. */
	public @Nullable QuorumNode nodeOrNull(long id) {
		for (QuorumNode node : this.nodes) {
			if (node.nodeid() == id) {
				return node;
			}
		}
		return null;
	}

	private QuorumNode node(long id) {
		QuorumNode node = nodeOrNull(id);
		if (node == null) {
			throw new IllegalStateException("no votequorum entry for node " + id);
		}
		return node;
	}

}
