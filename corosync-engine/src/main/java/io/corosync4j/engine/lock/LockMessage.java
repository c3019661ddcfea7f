package io.corosync4j.engine.lock;

import java.util.List;

import io.corosync4j.engine.replica.Member;

/** What members of the lock group multicast to each other; {@link LockCodec} writes and reads them. */
sealed interface LockMessage {

	/** May not wait: refused at once unless grantable. */
	int TRY = 1;

	/** Kept, orphaned, when its holder leaves, until {@link Purge}d. */
	int ORPHAN = 2;

	/** Refused with {@link LockError#DEADLOCK} if waiting would close a cycle. */
	int DETECT_DEADLOCK = 4;

	/**
	 * A request for a lock, identified by its sender and {@code id}.
	 * @param owner who holds it within the sender (deadlock detection tells owners apart by it)
	 * @param graceMillis how long the lock stays held after its holder's node leaves the ring, before
	 * others are granted it (0: freed at the configuration change)
	 */
	record Request(long id, long owner, String resource, LockMode mode, int flags, int graceMillis)
			implements LockMessage {
	}

	/** Ends the grace of the locks whose holders' nodes left at configuration change {@code epoch} or before. */
	record GraceEnd(long epoch) implements LockMessage {
	}

	/** Gives up request {@code id} of the sender: unlocks it if granted, withdraws it if waiting. */
	record Release(long id) implements LockMessage {
	}

	/** Frees the orphaned locks of a resource. */
	record Purge(String resource) implements LockMessage {
	}

	/**
	 * One lock of a resource, held ({@code fence > 0}) or waited for ({@code fence == 0}).
	 * @param departed the configuration change at which its holder's node left, while in grace (0: none)
	 */
	record Entry(Member member, long id, long owner, LockMode mode, int flags, int graceMillis, long fence,
			boolean orphaned, long departed) {
	}

	/** A resource's holders, in grant order, and waiters, in arrival order. */
	record ResourceState(String name, List<Entry> holders, List<Entry> waiters) {
	}

}
