package io.corosync4j.spring;

import io.corosync4j.engine.runtime.Membership;
import io.corosync4j.engine.totem.wire.RingId;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the services finished synchronizing for a ring: CPG's group lists, quorum and the
 * configuration map agree on every member, and joins and sends go out again. Published on the same
 * thread as {@link CorosyncMembershipChangedEvent}, after the one for its ring.
 */
public class CorosyncSynchronizedEvent extends ApplicationEvent {

	private final Membership membership;

	public CorosyncSynchronizedEvent(Object source, Membership membership) {
		super(source);
		this.membership = membership;
	}

	/** The ring that is now synchronized. */
	public Membership getMembership() {
		return this.membership;
	}

	/** The ring's sequence number: the number of the cluster membership's view of this ring. */
	public long getViewNumber() {
		RingId ring = this.membership.ringId();
		return (ring != null) ? ring.seq() : 0;
	}

}
