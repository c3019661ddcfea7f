package io.corosync4j.spring.lock;

import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

import io.corosync4j.engine.lock.HeldLock;
import io.corosync4j.engine.lock.LockError;
import io.corosync4j.engine.lock.LockException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.CannotAcquireLockException;

/**
 * An exclusive lock of the lock service on one resource, for the threads of this process: each thread
 * that locks it asks the lock group for it (its thread id is the request's owner), so threads of this
 * process and of every other member are granted it one at a time, first come first served in the
 * group's agreed order. Obtained from a {@link CorosyncLockRegistry}.
 *
 * <p>A thread may lock it again while it holds it: only its first lock asks the group, and its last
 * unlock releases it. {@link #lock()} waits without a bound and ignores interrupts (setting the
 * interrupt flag again when it returns); {@link #lockInterruptibly()} and {@link #tryLock(long, TimeUnit)}
 * withdraw the request when interrupted; {@link #tryLock()} is granted at once or refused, never queued
 * behind a holder or a waiter.
 *
 * <p>A held lock is lost when this member's component loses quorum (or its node stops): the primary
 * component may then grant it to someone else. The thread learns it at its next call on the lock:
 * {@link #unlock()} of its last hold throws {@link ConcurrentModificationException}; locking it again
 * fails ({@code tryLock} returns {@code false}, {@code lock} throws {@code ConcurrentModificationException})
 * and ends the hold, whatever its count, so that a later attempt asks the group afresh.
 * {@link #fencingToken()} lets a store refuse the writes of a holder that lost the lock without knowing it.
 */
public final class CorosyncLock implements Lock {

	/** Waits this long or longer are waits without end. */
	private static final long FOREVER_NANOS = TimeUnit.DAYS.toNanos(365L * 100);

	/** How much longer than the request's own timeout a timed wait waits for the lock service's answer. */
	private static final long ANSWER_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final CorosyncLockRegistry registry;

	private final String key;

	private final String resource;

	private final ConcurrentMap<Thread, Hold> holds = new ConcurrentHashMap<>();

	/** Threads asking the group for it now; guarded by {@code this}. */
	private int acquiring;

	/** Taken out of the registry's cache; guarded by {@code this}. */
	private boolean evicted;

	private volatile long lastUsed = System.currentTimeMillis();

	CorosyncLock(CorosyncLockRegistry registry, String key, String resource) {
		this.registry = registry;
		this.key = key;
		this.resource = resource;
	}

	/** The key it was obtained for. */
	public String getKey() {
		return this.key;
	}

	/** The name of its resource in the lock service: the registry's prefix and the key. */
	public String getResource() {
		return this.resource;
	}

	/** Whether the current thread holds it: it locked it, has not unlocked it, and it was not lost. */
	public boolean isHeldByCurrentThread() {
		Hold hold = this.holds.get(Thread.currentThread());
		return hold != null && hold.lock.isHeld();
	}

	/** Whether a thread of this process holds it (or held it and has not learned yet that it was lost). */
	public boolean isAcquiredInThisProcess() {
		return !this.holds.isEmpty();
	}

	/**
	 * The fencing token of the current thread's hold: greater than that of every earlier grant of any
	 * lock in the primary component. Pass it with each write to a store that remembers the largest token
	 * it accepted and refuses smaller ones, and a holder that lost the lock without knowing it cannot
	 * overwrite its successor's writes.
	 * @throws IllegalMonitorStateException when the current thread has not locked it
	 */
	public long fencingToken() {
		Hold hold = this.holds.get(Thread.currentThread());
		if (hold == null) {
			throw notHeld();
		}
		return hold.lock.fencingToken();
	}

	/**
	 * Waits until the lock is granted, without a bound and through interrupts.
	 * @throws ConcurrentModificationException when the current thread held it and it was lost
	 * @throws CannotAcquireLockException when the lock service stopped or the node is not running, or,
	 * with deadlock detection, when waiting would deadlock
	 */
	@Override
	public void lock() {
		try {
			acquire(Wait.FOREVER, 0, false);
		}
		catch (InterruptedException ex) {
			// not thrown by an uninterruptible wait
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits until the lock is granted or the thread is interrupted; an interrupt withdraws the request.
	 * @throws ConcurrentModificationException when the current thread held it and it was lost
	 * @throws CannotAcquireLockException as {@link #lock()}
	 */
	@Override
	public void lockInterruptibly() throws InterruptedException {
		acquire(Wait.FOREVER, 0, true);
	}

	/**
	 * Takes the lock if the group grants it at once: nobody holds it and nobody waits for it. The answer
	 * takes one round of the ring (or none, when the current thread holds it already).
	 * @return whether the current thread holds it now
	 * @throws CannotAcquireLockException when the lock service stopped or the node is not running
	 */
	@Override
	public boolean tryLock() {
		try {
			return acquire(Wait.NOT_AT_ALL, 0, false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits up to {@code time} for the lock, or until the thread is interrupted; either withdraws the
	 * request. A time of 0 or less is {@link #tryLock()}.
	 * @return whether the current thread holds it now
	 * @throws CannotAcquireLockException as {@link #lock()}
	 */
	@Override
	public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
		long nanos = unit.toNanos(time);
		if (nanos >= FOREVER_NANOS) {
			// a century or more is no deadline, and would overflow the deadline's arithmetic
			return acquire(Wait.FOREVER, 0, true);
		}
		return acquire((nanos > 0) ? Wait.BOUNDED : Wait.NOT_AT_ALL, nanos, true);
	}

	/**
	 * Ends one hold of the current thread; its last releases the lock and returns once the group applied
	 * the release (from then on anyone may be granted it), or after the registry's answer timeout, with the
	 * release still on its way. Interrupts do not cut that wait short; the flag is set again.
	 * @throws IllegalMonitorStateException when the current thread does not hold it
	 * @throws ConcurrentModificationException when this was the last hold and the lock had been lost: what
	 * it protected may have been changed by another holder meanwhile
	 */
	@Override
	public void unlock() {
		Thread thread = Thread.currentThread();
		Hold hold = this.holds.get(thread);
		if (hold == null) {
			throw notHeld();
		}
		if (--hold.count > 0) {
			return;
		}
		this.holds.remove(thread);
		this.lastUsed = System.currentTimeMillis();
		if (!hold.lock.isHeld()) {
			throw lost(hold.lock);
		}
		awaitRelease(hold.lock.unlock());
	}

	/** @throws UnsupportedOperationException always: a distributed lock has no conditions */
	@Override
	public Condition newCondition() {
		throw new UnsupportedOperationException("A corosync4j lock has no conditions");
	}

	/** Whether it went unused, by every thread, for longer than {@code age} ms; if so it is evicted. */
	synchronized boolean evictIfUnusedFor(long age, long now) {
		if (this.acquiring == 0 && this.holds.isEmpty() && now - this.lastUsed > age) {
			this.evicted = true;
		}
		return this.evicted;
	}

	private boolean acquire(Wait wait, long nanos, boolean interruptible) throws InterruptedException {
		if (interruptible && Thread.interrupted()) {
			throw new InterruptedException();
		}
		long start = System.nanoTime();
		Thread thread = Thread.currentThread();
		Hold hold = this.holds.get(thread);
		if (hold != null) {
			if (hold.lock.isHeld()) {
				hold.count++;
				return true;
			}
			this.holds.remove(thread);
			if (wait == Wait.FOREVER) {
				throw lost(hold.lock);
			}
			return false;
		}
		begin();
		try {
			HeldLock granted = request(wait, start, nanos, interruptible, thread.getId());
			if (granted == null) {
				return false;
			}
			this.holds.put(thread, new Hold(granted));
			return true;
		}
		finally {
			end();
		}
	}

	/** The granted lock, or {@code null} when it was not granted in time (or at once, for a try). */
	private @Nullable HeldLock request(Wait wait, long start, long nanos, boolean interruptible, long owner)
			throws InterruptedException {
		while (true) {
			Duration timeout = null;
			if (wait == Wait.BOUNDED) {
				long left = nanos - (System.nanoTime() - start);
				if (left <= 0) {
					return null;
				}
				timeout = Duration.ofNanos(left);
			}
			CompletableFuture<HeldLock> request = this.registry.request(this.resource, wait == Wait.NOT_AT_ALL,
					timeout, owner);
			long answerBy = switch (wait) {
				case FOREVER -> 0;
				case NOT_AT_ALL -> System.nanoTime() + this.registry.getAnswerTimeout().toNanos();
				case BOUNDED -> start + nanos + ANSWER_MARGIN_NANOS;
			};
			try {
				return await(request, wait != Wait.FOREVER, answerBy, interruptible);
			}
			catch (ExecutionException ex) {
				LockError error = (ex.getCause() instanceof LockException refused) ? refused.error() : null;
				if (error == null || error == LockError.CLOSED || error == LockError.DEADLOCK
						|| error == LockError.NO_SPACE) {
					throw new CannotAcquireLockException("Could not lock '" + this.key + "': "
							+ ((error != null) ? error.description() : ex.getCause()), ex.getCause());
				}
				if (error == LockError.NOT_AVAILABLE || error == LockError.TIMEOUT || wait == Wait.NOT_AT_ALL) {
					return null;
				}
				// NO_QUORUM (the component lost quorum while the request waited) or TRY_AGAIN: ask again
				pause(interruptible);
			}
		}
	}

	/**
	 * Waits for the service's answer, if {@code bounded} until {@code answerBy} ({@code System.nanoTime()}).
	 * @return the granted lock, or {@code null} when the answer did not come in time (the request withdrawn)
	 */
	private @Nullable HeldLock await(CompletableFuture<HeldLock> request, boolean bounded, long answerBy,
			boolean interruptible) throws InterruptedException, ExecutionException {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					if (!bounded) {
						return request.get();
					}
					return request.get(Math.max(0, answerBy - System.nanoTime()), TimeUnit.NANOSECONDS);
				}
				catch (InterruptedException ex) {
					if (interruptible) {
						withdraw(request);
						throw ex;
					}
					interrupted = true;
				}
				catch (TimeoutException ex) {
					if (request.cancel(false)) {
						return null;
					}
					// answered meanwhile: the next get returns it
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Withdraws a request, releasing the lock if it was granted as the caller gave up. */
	private static void withdraw(CompletableFuture<HeldLock> request) {
		if (request.cancel(false)) {
			return;
		}
		try {
			HeldLock granted = request.getNow(null);
			if (granted != null) {
				granted.unlock();
			}
		}
		catch (CompletionException | CancellationException ex) {
			// refused: nothing to release
		}
	}

	private void awaitRelease(CompletableFuture<Void> released) {
		long answerBy = System.nanoTime() + this.registry.getAnswerTimeout().toNanos();
		boolean interrupted = false;
		try {
			while (true) {
				try {
					released.get(Math.max(0, answerBy - System.nanoTime()), TimeUnit.NANOSECONDS);
					return;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				catch (ExecutionException | TimeoutException ex) {
					// the service stopped (its locks are freed with it) or the ring is slow: the release goes on
					return;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** A short pause before asking again; an uninterruptible one keeps the interrupt flag for later. */
	private static void pause(boolean interruptible) throws InterruptedException {
		if (interruptible) {
			TimeUnit.NANOSECONDS.sleep(RETRY_PAUSE_NANOS);
			return;
		}
		boolean interrupted = Thread.interrupted();
		LockSupport.parkNanos(RETRY_PAUSE_NANOS);
		if (interrupted || Thread.interrupted()) {
			Thread.currentThread().interrupt();
		}
	}

	private synchronized void begin() {
		if (this.evicted) {
			throw new IllegalStateException("The lock '" + this.key + "' was evicted from its registry's cache "
					+ "after going unused; obtain it from the registry again");
		}
		this.acquiring++;
	}

	private synchronized void end() {
		this.acquiring--;
		this.lastUsed = System.currentTimeMillis();
	}

	private IllegalMonitorStateException notHeld() {
		return new IllegalMonitorStateException("The current thread does not own the lock '" + this.key + "'");
	}

	private ConcurrentModificationException lost(HeldLock lock) {
		LockError reason = lock.lossReason();
		return new ConcurrentModificationException("The lock '" + this.key + "' was lost while this thread held it ("
				+ ((reason != null) ? reason.description() : "no longer held") + "); another holder may have "
				+ "changed what it protects since");
	}

	@Override
	public String toString() {
		return "CorosyncLock [" + this.resource + (isAcquiredInThisProcess() ? ", held in this process" : "") + "]";
	}

	private enum Wait {

		/** {@link #tryLock()}: granted at once or refused. */
		NOT_AT_ALL,

		/** {@link #tryLock(long, TimeUnit)}. */
		BOUNDED,

		/** {@link #lock()}, {@link #lockInterruptibly()}. */
		FOREVER

	}

	/** One thread's hold: the granted lock and how many times the thread locked it. */
	private static final class Hold {

		final HeldLock lock;

		int count = 1;

		Hold(HeldLock lock) {
			this.lock = lock;
		}

	}

}
