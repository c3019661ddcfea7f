package io.corosync4j.engine.replica;

import java.util.List;

/** What a {@link ReplicatedState} may read of the group replicating it; the same on every member holding the state. */
public interface ReplicaView {

	Member self();

	/** The group's members, lowest first. */
	List<Member> members();

	/** Whether this member holds the state. */
	boolean holdsState();

	/** Whether this member holds the state and the last configuration change settled (see {@link ReplicatedState#settled}). */
	boolean settled();

	/** Whether this member is the lowest holding the state: the one that runs the group's timers. */
	boolean coordinator();

	/**
	 * Whether what this member applied so far survives the failure of any one node: members on two nodes
	 * or more hold the state, or every member of the group does. False while this member is the only
	 * holder and the others still ask for the state or receive it.
	 */
	boolean durable();

}
