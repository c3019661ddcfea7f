package io.corosync4j.spring.lock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import io.corosync4j.engine.lock.HeldLock;
import io.corosync4j.engine.lock.LockRequest;
import io.corosync4j.engine.lock.LockService;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.integration.support.locks.ExpirableLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.util.Assert;

/**
 * A Spring Integration {@link LockRegistry} on the corosync4j lock service: {@link #obtain(Object)}
 * gives the {@link CorosyncLock} of a key, an exclusive lock on the resource named by a prefix
 * ({@value #DEFAULT_KEY_PREFIX} by default) and the key's {@code toString()}, shared by every member of
 * the lock group that uses the same name. Locks are granted only in the primary (quorate) component.
 *
 * <p>The registry keeps one lock object per key; {@link #expireUnusedOlderThan(long)} forgets those
 * that no thread held or waited for in that long (a thread that kept one must obtain it again).
 *
 * <p>Settings: {@link #setKeyPrefix(String) the key prefix}, {@link #setGrace(Duration) the grace} a
 * lock is held for after its holder's node left the ring, {@link #setDeadlockDetection(boolean)
 * deadlock detection} between threads (of any member) waiting for each other's locks, and
 * {@link #setAnswerTimeout(Duration) how long a try-lock waits for the group's answer and an unlock
 * for its release}. Set them before the first {@code obtain}.
 */
public class CorosyncLockRegistry implements ExpirableLockRegistry<CorosyncLock> {

	/** The prefix of the resources of locks obtained from a registry by default. */
	public static final String DEFAULT_KEY_PREFIX = "spring:";

	private final Supplier<LockService> lockService;

	private final ConcurrentMap<String, CorosyncLock> locks = new ConcurrentHashMap<>();

	private String keyPrefix = DEFAULT_KEY_PREFIX;

	private Duration grace = Duration.ZERO;

	private boolean deadlockDetection;

	private Duration answerTimeout = Duration.ofSeconds(5);

	/**
	 * @param lockService the lock service to ask, called for each request: a node's
	 * {@link io.corosync4j.engine.runtime.CorosyncNode#locks() locks()}, or
	 * {@link CorosyncLocks#getLockService()} for the application's node
	 */
	public CorosyncLockRegistry(Supplier<LockService> lockService) {
		this.lockService = lockService;
	}

	/** What is put before a key's {@code toString()} to name its resource ({@value #DEFAULT_KEY_PREFIX}). */
	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	/**
	 * How long a lock stays held after its holder's node left the ring before the next waiter is granted
	 * it (0, the default: at once): time for a holder cut off in a minority to notice it lost the lock.
	 */
	public void setGrace(Duration grace) {
		Assert.isTrue(!grace.isNegative(), "The grace may not be negative");
		this.grace = grace;
	}

	public Duration getGrace() {
		return this.grace;
	}

	/**
	 * Whether a wait that would close a cycle of threads (of any member) waiting for each other's locks
	 * is refused: {@code lock()} then throws {@link CannotAcquireLockException} instead of waiting forever.
	 * Off by default.
	 */
	public void setDeadlockDetection(boolean deadlockDetection) {
		this.deadlockDetection = deadlockDetection;
	}

	public boolean isDeadlockDetection() {
		return this.deadlockDetection;
	}

	/**
	 * How long {@link CorosyncLock#tryLock()} waits for the group's answer before it gives up and returns
	 * {@code false}, and {@link CorosyncLock#unlock()} for the group to apply the release before it returns
	 * anyway (the release still goes out); 5 s by default. Either takes one round of the ring, longer
	 * while the ring re-forms.
	 */
	public void setAnswerTimeout(Duration answerTimeout) {
		Assert.isTrue(!answerTimeout.isNegative() && !answerTimeout.isZero(), "The answer timeout must be positive");
		this.answerTimeout = answerTimeout;
	}

	public Duration getAnswerTimeout() {
		return this.answerTimeout;
	}

	/**
	 * The lock of {@code lockKey}: the same object for equal keys until it is expired.
	 * @throws IllegalArgumentException when the prefix and the key's {@code toString()} make no valid
	 * resource name (1 to 1024 bytes in UTF-8)
	 */
	@Override
	public CorosyncLock obtain(Object lockKey) {
		Assert.notNull(lockKey, "The lock key may not be null");
		String key = lockKey.toString();
		String resource = this.keyPrefix + key;
		return this.locks.computeIfAbsent(resource, (name) -> {
			LockRequest.exclusive(name);
			return new CorosyncLock(this, key, name);
		});
	}

	/** Forgets the locks that no thread of this process held or waited for in the last {@code age} ms. */
	@Override
	public void expireUnusedOlderThan(long age) {
		long now = System.currentTimeMillis();
		this.locks.values().removeIf((lock) -> lock.evictIfUnusedFor(age, now));
	}

	/** Asks the lock service for an exclusive lock owned by {@code owner}. */
	CompletableFuture<HeldLock> request(String resource, boolean tryOnly, @Nullable Duration timeout, long owner) {
		LockRequest request = LockRequest.exclusive(resource)
			.withOwner(owner)
			.withGrace(this.grace)
			.withDeadlockDetection(this.deadlockDetection);
		request = tryOnly ? request.withTryOnly(true) : request.withTimeout(timeout);
		LockService service;
		try {
			service = this.lockService.get();
		}
		catch (IllegalStateException ex) {
			throw new CannotAcquireLockException("Could not lock '" + resource + "': " + ex.getMessage(), ex);
		}
		return service.lock(request);
	}

	@Override
	public String toString() {
		return "CorosyncLockRegistry [keyPrefix=" + this.keyPrefix + ", locks=" + this.locks.size() + "]";
	}

}
