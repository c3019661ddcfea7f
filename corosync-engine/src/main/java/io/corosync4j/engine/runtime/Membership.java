package io.corosync4j.engine.runtime;

import java.util.List;

import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;

/**
 * The ring a node is in, as of its last regular configuration.
 *
 * @param ringId the ring, or {@code null} before the first ring formed
 * @param members the members' node ids, ascending
 * @param synced whether the services finished synchronizing for this ring
 */
public record Membership(@Nullable RingId ringId, List<Long> members, boolean synced) {

	static final Membership NONE = new Membership(null, List.of(), false);

	public Membership {
		members = List.copyOf(members);
	}

	public boolean contains(long nodeid) {
		return this.members.contains(nodeid);
	}

	@Override
	public String toString() {
		return "ring " + this.ringId + " members " + this.members + (this.synced ? "" : " (synchronizing)");
	}

}
