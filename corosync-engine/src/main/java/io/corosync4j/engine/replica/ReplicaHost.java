package io.corosync4j.engine.replica;

import java.util.concurrent.Executor;

import io.corosync4j.engine.service.cpg.CpgService;

/** What a replicated service needs of its node; {@code CorosyncNode} gives one, a simulation another. */
public interface ReplicaHost {

	/** The node's event loop. */
	Executor loop();

	/** Runs {@code task} on the event loop after {@code delayMillis}; the result cancels it. */
	Runnable schedule(long delayMillis, Runnable task);

	CpgService cpg();

	/** Whether this node is in the primary component now; read on the event loop. */
	boolean primary();

	/** Calls {@code onChange} on the event loop whenever {@link #primary()} may have changed. */
	AutoCloseable watchPrimary(Runnable onChange);

	/**
	 * Runs {@code callback} on the event loop once every member of the ring holds every message this
	 * node delivered so far; never if the ring breaks first.
	 * @return false, and the callback never runs, when the ring is not operational
	 */
	boolean whenStable(Runnable callback);

	/** Stops the node: an internal error in replicated state. */
	void failStop(String during, Throwable cause);

	/** The wall clock (a simulation gives its own). */
	default long currentTimeMillis() {
		return System.currentTimeMillis();
	}

}
