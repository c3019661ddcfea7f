package io.corosync4j.engine.replica;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * A service's state machine, replicated by a {@link ReplicaGroup}: every member holding the state is
 * called with the same events in the same order, so each must change its state only as a function of
 * them (no clocks, no randomness; time enters as operations a member sends). Called on the event loop,
 * only while this member holds the state, except {@link #floor()} and {@link #lost()}.
 */
public interface ReplicatedState {

	/**
	 * The group's membership changed: {@code left} left it, {@code nodesDown} of them because their node
	 * left the ring. The change settles later ({@link #settled}), once every member's status is in.
	 */
	void membersChanged(List<Member> members, List<Member> left, Set<Member> nodesDown);

	/**
	 * Applies an operation a member holding the state sent, in agreed order. Operations delivered while
	 * a configuration change settles are applied when it settles (before {@link #settled}), those of a
	 * member whose state was found stale not at all: every member holding the state applies exactly the
	 * same.
	 */
	void apply(Member from, byte[] operation);

	/**
	 * A member's state was found stale as a change settled (it missed changes the others saw): what it
	 * holds or asked for in this state goes, as if it had left.
	 */
	void memberDropped(Member member);

	/**
	 * The last configuration change settled: every member holding the state holds the same one, and the
	 * component is primary. {@code coordinator}: this member is the lowest holding the state, the one
	 * that runs the group's timers (and sends what they decide as operations).
	 */
	void settled(boolean coordinator);

	/**
	 * This member became, or stopped being, the coordinator between settles: a member lower than it
	 * received the state by transfer (it stops), or this member did and is the lowest (it starts). Arm or
	 * cancel the group's timers as at {@link #settled}.
	 */
	default void coordinatorChanged(boolean coordinator) {
	}

	/** This member dropped its state (the component is no longer primary, or its state was stale). */
	void lost();

	/**
	 * Nobody holds a state and the component is primary: every member starts an empty one together.
	 * @param floor the highest {@link #floor()} of the members starting, or more
	 */
	void startFresh(long floor);

	/** What a state started afresh must stay above (fencing tokens, say); asked when this member asks for the state. */
	default long floor() {
		return 0;
	}

	/**
	 * Whether a member keeps the state it drops when its component stops being primary, so that when
	 * every member lost it (quorum went everywhere at once) the group takes up the newest state kept
	 * instead of starting an empty one. The state taken up has every member's contributions dropped
	 * ({@link #memberDropped} for each member it had), since every member told its callers it lost them.
	 * Checkpoints want their data back; locks must stay lost.
	 */
	default boolean recoverable() {
		return false;
	}

	/** Writes the whole state for a member that joins; the group cuts it into chunks. */
	void writeSnapshot(DataOutput out) throws IOException;

	/**
	 * Replaces the state with one {@link #writeSnapshot} wrote on another member.
	 * @throws IOException if it cannot be read: the node stops rather than hold a state that differs
	 */
	void readSnapshot(DataInput in) throws IOException;

}
