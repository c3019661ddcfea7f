package io.corosync4j.engine.runtime;

import java.util.concurrent.Future;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import io.corosync4j.engine.totem.srp.Scheduler;
import io.corosync4j.engine.totem.srp.SrpTimer;

/**
 * Totem's timers on an event loop, kept as deadlines so that re-arming one is a store. Totem re-arms the
 * token timers on every token, thousands of times a second, and they expire rarely; scheduling a loop
 * task each time would allocate and reorder the loop's timer queue on every token. Instead each timer
 * keeps at most one wake-up task, which on running either fires the timer, finds it cancelled, or sleeps
 * again until the deadline that moved later meanwhile. A new task is scheduled only when a deadline moves
 * earlier than the pending wake-up, or a wake-up finds its deadline moved.
 * <p>
 * Confined to the loop's thread: every method and every wake-up runs there.
 */
final class DeadlineScheduler implements Scheduler {

	/** Runs a task after a delay: the node's event loop. */
	@FunctionalInterface
	interface Loop {

		Future<?> schedule(Runnable task, long delayNanos);

	}

	/** Receives a timer whose deadline passed. */
	@FunctionalInterface
	interface Expiry {

		void expired(SrpTimer timer, long nowNanos);

	}

	private static final SrpTimer[] TIMERS = SrpTimer.values();

	private final Loop loop;

	private final LongSupplier clock;

	private final Expiry expiry;

	private final boolean[] armed = new boolean[TIMERS.length];

	private final long[] deadlines = new long[TIMERS.length];

	private final @Nullable Future<?>[] wakeups = new Future<?>[TIMERS.length];

	private final long[] wakeupAt = new long[TIMERS.length];

	private final Runnable[] wakeupTasks = new Runnable[TIMERS.length];

	DeadlineScheduler(Loop loop, LongSupplier clock, Expiry expiry) {
		this.loop = loop;
		this.clock = clock;
		this.expiry = expiry;
		for (SrpTimer timer : TIMERS) {
			this.wakeupTasks[timer.ordinal()] = () -> wakeUp(timer);
		}
	}

	@Override
	public void schedule(SrpTimer timer, long delayNanos) {
		int i = timer.ordinal();
		long deadline = this.clock.getAsLong() + delayNanos;
		this.armed[i] = true;
		this.deadlines[i] = deadline;
		Future<?> wakeup = this.wakeups[i];
		if (wakeup != null) {
			if (this.wakeupAt[i] - deadline <= 0) {
				return;
			}
			wakeup.cancel(false);
		}
		sleepUntil(i, deadline, delayNanos);
	}

	@Override
	public void cancel(SrpTimer timer) {
		// a pending wake-up finds the timer disarmed
		this.armed[timer.ordinal()] = false;
	}

	private void wakeUp(SrpTimer timer) {
		int i = timer.ordinal();
		this.wakeups[i] = null;
		if (!this.armed[i]) {
			return;
		}
		long now = this.clock.getAsLong();
		long remaining = this.deadlines[i] - now;
		if (remaining > 0) {
			sleepUntil(i, this.deadlines[i], remaining);
			return;
		}
		this.armed[i] = false;
		this.expiry.expired(timer, now);
	}

	private void sleepUntil(int i, long deadline, long delayNanos) {
		this.wakeupAt[i] = deadline;
		this.wakeups[i] = this.loop.schedule(this.wakeupTasks[i], delayNanos);
	}

}
