package io.corosync4j.engine.replica;

import java.util.List;

/** What members of a replicated group multicast to each other; {@link ReplicaCodec} writes and reads them. */
sealed interface ReplicaMessage {

	/** An operation of the service, applied by every member holding the state. */
	record Operation(byte[] payload) implements ReplicaMessage {
	}

	/**
	 * A member's status after configuration change {@code view}: the ring in which its state last settled
	 * in the primary component ({@code confirmed}; -1 without a state) and a digest of the history that
	 * led to its state. A change settles once every member's status is delivered; a state that settled in
	 * an older ring than another member's missed changes (its process was paused, say), and one whose
	 * history differs from that of the most members' state of the newest ring saw other departures (each
	 * side of a split healed within one synchronization saw the other leave): both are dropped. Sent
	 * again, as a point of the order, when quorum may have changed; only a member's first status after a
	 * change counts.
	 */
	record Settle(long view, long confirmed, long digest) implements ReplicaMessage {
	}

	/**
	 * The sender has no state and asks for one; {@code nonce} tells its requests apart.
	 * @param view the configuration change it was sent after ({@link ReplicaProtocol#viewOf}): a request
	 * sent before a change and delivered after it is stale, and must not count as the sender asking now
	 * @param floor what a state started afresh must stay above ({@link ReplicatedState#floor})
	 * @param retained the ring in which the state this member dropped last settled, for a group whose
	 * state is {@link ReplicatedState#recoverable()} (-1: none kept)
	 * @param retainedDigest the history of that state
	 */
	record SyncRequest(long nonce, long view, long floor, long retained, long retainedDigest) implements ReplicaMessage {
	}

	/**
	 * Part {@code index} of the state as it stood at one point of the order, for the members asking then
	 * ({@code targets}); the sender sends a few at a time, the next as its own come back, so other traffic
	 * goes on between them.
	 */
	record Chunk(long transfer, int index, boolean last, List<Target> targets, byte[] data) implements ReplicaMessage {
	}

	/** A member's request for the state, by its nonce. */
	record Target(Member member, long nonce) {
	}

}
