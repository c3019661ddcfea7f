package io.corosync4j.engine.sam;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A hand-driven clock: timers fire only when a test advances time. */
final class ManualClock implements SamClock {

	private final List<Timer> timers = new ArrayList<>();

	private long now = 1_000_000;

	private long sequence;

	private static final class Timer {

		final long due;

		final long order;

		final Runnable task;

		boolean cancelled;

		Timer(long due, long order, Runnable task) {
			this.due = due;
			this.order = order;
			this.task = task;
		}

	}

	@Override
	public synchronized long currentTimeMillis() {
		return this.now;
	}

	@Override
	public synchronized Runnable schedule(long delayMillis, Runnable task) {
		Timer timer = new Timer(this.now + delayMillis, this.sequence++, task);
		this.timers.add(timer);
		return () -> {
			synchronized (this) {
				timer.cancelled = true;
			}
		};
	}

	/** Moves time forward, running every timer that falls due on the way, in order. */
	void advance(long millis) {
		long target;
		synchronized (this) {
			target = this.now + millis;
		}
		while (true) {
			Timer next;
			synchronized (this) {
				this.timers.removeIf((timer) -> timer.cancelled);
				next = this.timers.stream()
					.filter((timer) -> timer.due <= target)
					.min(Comparator.comparingLong((Timer timer) -> timer.due).thenComparingLong((timer) -> timer.order))
					.orElse(null);
				if (next == null) {
					this.now = target;
					return;
				}
				this.timers.remove(next);
				this.now = next.due;
			}
			next.task.run();
		}
	}

}
