package io.corosync4j.engine.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;

/**
 * The views one node publishes, from the synchronized rings it sees and the announcements it hears. Not
 * thread-safe: {@link ClusterMembershipService} calls it under its lock.
 */
final class ViewState {

	private final long localNodeid;

	/** The last announcement of each node ever heard, this node's own included. */
	private final Map<Long, NodeAnnouncement> announcements = new HashMap<>();

	/** The members, each with the view from which on it has been one. */
	private final Map<Long, Long> memberSince = new HashMap<>();

	private @Nullable RingId ringId;

	private List<Long> members = List.of();

	private ClusterView current;

	ViewState(NodeAnnouncement self, List<ConfiguredNode> nodelist) {
		this.localNodeid = self.nodeid();
		this.announcements.put(self.nodeid(), self);
		this.current = new ClusterView(0, nodes(nodelist, List.of()), List.of(), List.of(), List.of());
	}

	/** The current view, without changes. */
	ClusterView current() {
		return this.current;
	}

	/** Whether a synchronized ring was seen yet. */
	boolean hasView() {
		return this.ringId != null;
	}

	/**
	 * A synchronized ring.
	 * @param members its members, ascending
	 * @return the change to publish (the full view with who joined and left), or {@code null} when the ring
	 * is not newer than the last one
	 */
	@Nullable ClusterView ring(RingId ringId, List<Long> members, List<ConfiguredNode> nodelist) {
		RingId last = this.ringId;
		if (last != null && Long.compareUnsigned(ringId.seq(), last.seq()) <= 0) {
			return null;
		}
		long viewNumber = ringId.seq();
		List<Long> joined = new ArrayList<>();
		for (long member : members) {
			if (!this.memberSince.containsKey(member)) {
				joined.add(member);
			}
		}
		List<Long> left = new ArrayList<>();
		for (long before : this.members) {
			if (!members.contains(before)) {
				left.add(before);
			}
		}
		left.forEach(this.memberSince::remove);
		joined.forEach((member) -> this.memberSince.put(member, viewNumber));
		this.ringId = ringId;
		this.members = List.copyOf(members);
		this.current = new ClusterView(viewNumber, nodes(nodelist, List.of()), List.of(), List.of(), List.of());
		return new ClusterView(viewNumber, nodes(nodelist, left), joined.stream().sorted().toList(),
				left.stream().sorted().toList(), List.of());
	}

	/**
	 * An announcement heard in the group.
	 * @return the reconfiguration to publish (the full view with the nodes whose details changed), or
	 * {@code null} when the view shows nothing new
	 */
	@Nullable ClusterView announced(NodeAnnouncement announcement, List<ConfiguredNode> nodelist) {
		if (announcement.nodeid() == this.localNodeid) {
			return null;
		}
		NodeAnnouncement before = this.announcements.put(announcement.nodeid(), announcement);
		if (announcement.equals(before)) {
			return null;
		}
		List<ClusterNode> nodes = nodes(nodelist, List.of());
		Map<Long, ClusterNode> previous = new HashMap<>();
		for (ClusterNode node : this.current.nodes()) {
			previous.put(node.nodeid(), node);
		}
		List<Long> reconfigured = new ArrayList<>();
		for (ClusterNode node : nodes) {
			ClusterNode old = previous.get(node.nodeid());
			if (old != null && !old.equals(node)) {
				reconfigured.add(node.nodeid());
			}
		}
		this.current = new ClusterView(this.current.viewNumber(), nodes, List.of(), List.of(), List.of());
		if (reconfigured.isEmpty()) {
			return null;
		}
		return new ClusterView(this.current.viewNumber(), nodes, List.of(), List.of(), reconfigured);
	}

	/** The nodelist, the members, this node, and {@code alsoListed} (nodes that just left). */
	private List<ClusterNode> nodes(List<ConfiguredNode> nodelist, List<Long> alsoListed) {
		Map<Long, ClusterNode> nodes = new TreeMap<>();
		for (ConfiguredNode configured : nodelist) {
			nodes.putIfAbsent(configured.nodeid(),
					node(configured.nodeid(), configured.name(), configured.addresses()));
		}
		for (long member : this.members) {
			nodes.computeIfAbsent(member, (nodeid) -> node(nodeid, null, Map.of()));
		}
		nodes.computeIfAbsent(this.localNodeid, (nodeid) -> node(nodeid, null, Map.of()));
		for (long nodeid : alsoListed) {
			nodes.computeIfAbsent(nodeid, (id) -> node(id, null, Map.of()));
		}
		return List.copyOf(nodes.values());
	}

	private ClusterNode node(long nodeid, @Nullable String configuredName, Map<Integer, String> addresses) {
		NodeAnnouncement announcement = this.announcements.get(nodeid);
		String name = configuredName;
		if (name == null && announcement != null && !announcement.name().isEmpty()) {
			name = announcement.name();
		}
		Instant bootTime = (announcement != null) ? announcement.bootTime() : null;
		Long since = this.memberSince.get(nodeid);
		return new ClusterNode(nodeid, name, addresses, since != null, bootTime, Objects.requireNonNullElse(since, 0L));
	}

}
