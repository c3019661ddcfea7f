package io.corosync4j.engine.lock;

import java.util.List;

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
	 * A member's status after configuration change {@code view}: the ring in which its table last settled
	 * in the primary component ({@code confirmed}; -1 without a table) and a digest of the table as the change
	 * left it. A change settles once every member's status is delivered; a table that settled in an older
	 * ring than another member's missed changes (its process was paused, say), and one that differs from the
	 * most members' table of the newest ring saw other departures (each side of a split healed within one
	 * synchronization saw the other leave): both are dropped. Sent again, as a point of the order, when
	 * quorum may have changed; only a member's first status after a change counts.
	 */
	record Settle(long view, long confirmed, long digest) implements LockMessage {
	}

	/**
	 * The sender has no table and asks for one; {@code nonce} tells its requests apart.
	 * @param view the configuration change it was sent after ({@link LockTable#viewOf}): a request sent
	 * before a change and delivered after it is stale, and must not count as the sender asking now
	 * @param fence the last fencing token the sender knew of, so a table started afresh goes on above it
	 */
	record SyncRequest(long nonce, long view, long fence) implements LockMessage {
	}

	/** The table as it stood where {@code target}'s request {@code nonce} was delivered. */
	record Snapshot(Member target, long nonce, LockTableState state) implements LockMessage {
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

	/** A member's request for the table, not yet answered. */
	record PendingSync(Member member, long nonce, long fence) {
	}

	/** A member's status delivered for the current change (see {@link Settle}). */
	record Status(Member member, long confirmed, long digest) {
	}

	/** Everything members agree on: what a joining member receives. */
	record LockTableState(List<Member> members, List<Member> synced, List<PendingSync> requesters,
			List<Status> statuses, boolean settled, long confirmed, long fence, long epoch,
			List<ResourceState> resources) {
	}

}
