package io.corosync4j.engine.runtime;

import java.time.Instant;

import io.corosync4j.engine.totem.srp.TotemFatalException;

/**
 * Why a node stopped itself. An unexpected exception on the node's event loop (receiving a packet, a
 * timer, a service's task) may have left Totem or a service half-way through a change; Totem's safety
 * assumes such a node stops, so it does at once: no packet goes out after it, and the other members see
 * it fail.
 *
 * @param nodeid the node that stopped
 * @param during what it was doing
 * @param cause the exception
 * @param at when
 */
public record NodeFailure(long nodeid, String during, Throwable cause, Instant at) {

	/** Corosync's {@code COROSYNC_DONE_FATAL_ERR}. */
	public static final int EXIT_FATAL = 15;

	/** Corosync's {@code COROSYNC_DONE_STORE_RINGID}: the ring id could not be loaded or stored. */
	public static final int EXIT_RING_ID = 21;

	/** The status the launcher exits with, as the {@code corosync} daemon would. */
	public int exitStatus() {
		return (this.cause instanceof TotemFatalException) ? EXIT_RING_ID : EXIT_FATAL;
	}

	/** One line for logs and health details. */
	public String describe() {
		return "node " + this.nodeid + " stopped itself after an internal error while " + this.during + ": "
				+ this.cause;
	}

}
