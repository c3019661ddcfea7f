package io.corosync4j.engine.sam;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Time for SAM: the system's in production, a hand-driven one in tests. */
public interface SamClock {

	/** Milliseconds since the epoch (CMAP's {@code last_updated}). */
	long currentTimeMillis();

	/**
	 * Runs {@code task} after {@code delayMillis}.
	 * @return cancels it if it has not run
	 */
	Runnable schedule(long delayMillis, Runnable task);

	/** The system clock, with one daemon thread for the timers. */
	static SamClock system() {
		ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "sam-timers");
			thread.setDaemon(true);
			return thread;
		});
		return new SamClock() {

			@Override
			public long currentTimeMillis() {
				return System.currentTimeMillis();
			}

			@Override
			public Runnable schedule(long delayMillis, Runnable task) {
				ScheduledFuture<?> scheduled = timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
				return () -> scheduled.cancel(false);
			}

		};
	}

}
