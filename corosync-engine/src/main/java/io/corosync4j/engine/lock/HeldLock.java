package io.corosync4j.engine.lock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * A lock this member was granted. It stays held until {@link #unlock()}, or until it is lost: this
 * member's component lost quorum (the primary component may grant it to someone else) or the service
 * closed. Thread-safe.
 */
public final class HeldLock {

	private final LockService service;

	final long id;

	private final String resource;

	private final LockMode mode;

	private final long fencingToken;

	private volatile boolean held = true;

	private volatile @Nullable LockError lossReason;

	private final CompletableFuture<LockError> lost = new CompletableFuture<>();

	HeldLock(LockService service, long id, String resource, LockMode mode, long fencingToken) {
		this.service = service;
		this.id = id;
		this.resource = resource;
		this.mode = mode;
		this.fencingToken = fencingToken;
	}

	public String resource() {
		return this.resource;
	}

	public LockMode mode() {
		return this.mode;
	}

	/**
	 * A number greater than that of every earlier grant in the primary component: a store that remembers
	 * the largest token it saw can refuse a write from a holder that lost the lock without knowing it.
	 */
	public long fencingToken() {
		return this.fencingToken;
	}

	/** Whether this member still holds the lock: false once unlocked or lost. */
	public boolean isHeld() {
		return this.held;
	}

	/** Why the lock was lost, from the moment {@link #isHeld()} turned false for it; {@code null} otherwise. */
	public @Nullable LockError lossReason() {
		return this.lossReason;
	}

	/** Completes with the reason when the lock is lost (never when it is unlocked). */
	public CompletionStage<LockError> whenLost() {
		return this.lost.minimalCompletionStage();
	}

	/** Releases the lock; completes when the group has applied the release. */
	public CompletableFuture<Void> unlock() {
		this.held = false;
		return this.service.unlock(this);
	}

	/** On the event loop, the moment the lock is lost. */
	void lose(LockError error) {
		this.lossReason = error;
		this.held = false;
	}

	/** On the service's callback thread, after {@link #lose}. */
	void tellLost(LockError error) {
		this.lost.complete(error);
	}

	void markReleased() {
		this.held = false;
	}

	@Override
	public String toString() {
		return "lock '" + this.resource + "' " + this.mode + " token " + this.fencingToken
				+ (this.held ? "" : " (not held)");
	}

}
