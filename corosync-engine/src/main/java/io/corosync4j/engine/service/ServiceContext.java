package io.corosync4j.engine.service;

import java.util.concurrent.Executor;

import io.corosync4j.engine.service.cmap.Cmap;

/**
 * What a node offers its service engines. Every method but {@link #tokenReturns()} is for the event loop
 * only.
 */
public interface ServiceContext {

	/** This node's id. */
	long nodeId();

	/**
	 * Multicasts a service message in agreed order ({@code api->totem_mcast}).
	 * @param pieces the message, as the buffers it is built from
	 * @return false when Totem's queue has no room now
	 */
	boolean mcast(byte[]... pieces);

	/** Whether synchronization after a membership change is running; services hold client traffic then. */
	boolean synchronizing();

	/** Runs {@code task} whenever the node may send again: after each token and after synchronization. */
	void whenSendable(Runnable task);

	/**
	 * Whether, at the last token, the token was sure to come back here with no synchronization running,
	 * so that the {@link #whenSendable} tasks of its next visit will run without waking the loop. Any
	 * thread may ask, after queuing its work: a {@code true} read either predates the visit that set
	 * {@code false} (and that visit's tasks see the work) or promises one more visit. If the token is lost
	 * instead, the tasks run when synchronization of the next ring completes.
	 */
	boolean tokenReturns();

	/**
	 * Runs {@code task} on the event loop after {@code delayMillis}.
	 * @return cancels the task if it has not run yet
	 */
	Runnable schedule(long delayMillis, Runnable task);

	/** The node's CMAP. */
	Cmap cmap();

	/**
	 * Whether this node plays a Corosync daemon (tests that put such nodes beside corosync4j ones): its
	 * services then decide locally exactly as Corosync's do, also where that is less precise.
	 */
	boolean asCorosync();

	/** The exit status of a shutdown a service asked for ({@code COROSYNC_DONE_EXIT}). */
	int EXIT_NORMAL = 0;

	/** The exit status of a node killed by another ({@code exit(COROSYNC_FATAL_ERROR_EXIT)}, -1). */
	int EXIT_KILLED = 255;

	/**
	 * Asks the node to leave the ring and stop, for {@code reason}: {@code api->shutdown_request} with
	 * {@link #EXIT_NORMAL}, or Corosync's exit on a CFG kill with {@link #EXIT_KILLED} (where corosync4j
	 * still leaves cleanly, so the others re-form at once). A launcher exits with {@code exitStatus}.
	 */
	void requestShutdown(String reason, int exitStatus);

	/** The event loop, to run work from other threads. */
	Executor loop();

}
