package io.corosync4j.engine.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster as of one view ({@code SaClmClusterNotificationBufferT}): the view's number and its nodes,
 * and for a change which of them joined, left or were reconfigured.
 *
 * <p>The view number is the sequence number of the ring ({@code RingId.seq()}), the same on every member
 * of that ring and larger for every new ring a node sees. The nodes are, by node id, every node of the
 * configured nodelist (members or not), every member of the ring outside the nodelist (with its node id,
 * and a name only if it announced one) and this node; a change also lists the nodes that left, as
 * non-members, even those outside the nodelist. A {@link TrackFlag#CHANGES_ONLY} notification lists only
 * the nodes that changed.
 *
 * @param viewNumber the ring's sequence number; 0 before this node was in a synchronized ring
 * @param nodes the nodes, by node id
 * @param joined node ids that are members now and were not in the previous view, ascending
 * @param left node ids that were members of the previous view and are not now, ascending
 * @param reconfigured node ids whose details changed within the view (a corosync4j node's announced boot
 * time or name arrived), ascending
 */
public record ClusterView(long viewNumber, List<ClusterNode> nodes, List<Long> joined, List<Long> left,
		List<Long> reconfigured) {

	public ClusterView {
		nodes = List.copyOf(nodes);
		joined = List.copyOf(joined);
		left = List.copyOf(left);
		reconfigured = List.copyOf(reconfigured);
	}

	/** The nodes in the ring, by node id. */
	public List<ClusterNode> members() {
		return this.nodes.stream().filter(ClusterNode::member).toList();
	}

	/** The node with this id, if the view lists it. */
	public Optional<ClusterNode> node(long nodeid) {
		return this.nodes.stream().filter((node) -> node.nodeid() == nodeid).findFirst();
	}

	/** Whether this is a change: some node joined, left or was reconfigured. */
	public boolean hasChanges() {
		return !this.joined.isEmpty() || !this.left.isEmpty() || !this.reconfigured.isEmpty();
	}

	/** The same view without the nodes that did not change. */
	public ClusterView changesOnly() {
		Set<Long> changed = new HashSet<>(this.joined);
		changed.addAll(this.left);
		changed.addAll(this.reconfigured);
		List<ClusterNode> only = new ArrayList<>();
		for (ClusterNode node : this.nodes) {
			if (changed.contains(node.nodeid())) {
				only.add(node);
			}
		}
		return new ClusterView(this.viewNumber, only, this.joined, this.left, this.reconfigured);
	}

	@Override
	public String toString() {
		return "view " + this.viewNumber + " members " + members().stream().map(ClusterNode::nodeid).toList()
				+ (this.joined.isEmpty() ? "" : " joined " + this.joined)
				+ (this.left.isEmpty() ? "" : " left " + this.left)
				+ (this.reconfigured.isEmpty() ? "" : " reconfigured " + this.reconfigured);
	}

}
