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

}
