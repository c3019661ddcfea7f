package io.corosync4j.spring;

import java.util.List;

import io.corosync4j.engine.runtime.Membership;
import io.corosync4j.engine.totem.wire.RingId;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the node has formed a new ring (Totem's regular configuration): who is in it, who
 * joined and who left since the previous one. The services synchronize next, which a
 * {@link CorosyncSynchronizedEvent} announces; until then CPG holds joins and sends back. Published on a
 * thread of its own, in the order the node saw the changes, after the fact: a listener that takes its
 * time delays the next event, never the node. The node's names, addresses and boot times are in the
 * {@link io.corosync4j.engine.cluster.ClusterMembership} bean's view of the same number, which a
 * {@link io.corosync4j.spring.cluster.ClusterViewChangedEvent} carries once the ring synchronized.
 */
public class CorosyncMembershipChangedEvent extends ApplicationEvent {

	private final Membership membership;

	private final List<Long> joined;

	private final List<Long> left;

	public CorosyncMembershipChangedEvent(Object source, Membership membership, List<Long> joined, List<Long> left) {
		super(source);
		this.membership = membership;
		this.joined = List.copyOf(joined);
		this.left = List.copyOf(left);
	}

	/** The new ring: its id and members. */
	public Membership getMembership() {
		return this.membership;
	}

	/**
	 * The ring's sequence number: the number of the cluster membership's view of this ring, the same on
	 * every member (0 before a ring formed).
	 */
	public long getViewNumber() {
		RingId ring = this.membership.ringId();
		return (ring != null) ? ring.seq() : 0;
	}

	/** Node ids in this ring that were not in the previous one, ascending. */
	public List<Long> getJoined() {
		return this.joined;
	}

	/** Node ids of the previous ring that are not in this one, ascending. */
	public List<Long> getLeft() {
		return this.left;
	}

}
