package io.corosync4j.spring;

import io.corosync4j.engine.service.votequorum.QuorumState;
import org.springframework.context.ApplicationEvent;

/**
 * Published when this node's partition gains or loses quorum, and once with the state the node started
 * in. Only while votequorum runs ({@code corosync.quorum.enabled}, the default, or a {@code quorum}
 * section with {@code provider: corosync_votequorum} in a {@code corosync.conf}); without it a
 * partition is always quorate and nothing is published. Published on the same thread as
 * {@link CorosyncMembershipChangedEvent}, in the order the node saw the changes.
 */
public class CorosyncQuorumChangedEvent extends ApplicationEvent {

	private final QuorumState state;

	public CorosyncQuorumChangedEvent(Object source, QuorumState state) {
		super(source);
		this.state = state;
	}

	/** Whether this partition is quorate now. */
	public boolean isQuorate() {
		return this.state.quorate();
	}

	/** votequorum's view: members, votes, expected votes, the quorum. */
	public QuorumState getState() {
		return this.state;
	}

}
