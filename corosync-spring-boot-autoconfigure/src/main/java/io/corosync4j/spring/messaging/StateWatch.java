package io.corosync4j.spring.messaging;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that runs a task once a condition holds, testing it now and then: a listener whose
 * subscription or queue the service ended (its member left the primary component, or its node stopped)
 * makes it again once the node's service holds the state. The engine has no callback for that moment.
 */
public final class StateWatch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(StateWatch.class);

	private final Duration interval;

	private final ScheduledExecutorService scheduler;

	public StateWatch(String name, Duration interval) {
		this.interval = interval;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Runs {@code task} once {@code ready} holds, unless {@code wanted} stops holding first; a condition
	 * or task that throws is tried again on the next round.
	 */
	public void whenReady(BooleanSupplier wanted, BooleanSupplier ready, Runnable task) {
		schedule(wanted, ready, task, Duration.ZERO);
	}

	/** Runs {@code task} every interval while the watch is open; one that throws is logged. */
	public void repeat(Runnable task) {
		this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.warn("A check of the listeners failed", ex);
			}
		}, this.interval.toMillis(), this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void schedule(BooleanSupplier wanted, BooleanSupplier ready, Runnable task, Duration delay) {
		if (this.scheduler.isShutdown()) {
			return;
		}
		try {
			this.scheduler.schedule(() -> {
				if (!wanted.getAsBoolean()) {
					return;
				}
				@Nullable RuntimeException failure = null;
				try {
					if (ready.getAsBoolean()) {
						task.run();
						return;
					}
				}
				catch (RuntimeException ex) {
					failure = ex;
				}
				if (failure != null) {
					logger.debug("Not ready yet: {}", failure.toString());
				}
				schedule(wanted, ready, task, this.interval);
			}, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.RejectedExecutionException closed) {
			// the registry stopped: nothing to make again
		}
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
