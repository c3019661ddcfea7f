package io.corosync4j.engine.runtime;

import java.time.Instant;

/**
 * Why a node left its ring and stopped on a service's request rather than its owner's: CFG's shutdown
 * ({@code corosync-cfgtool -H}) or kill ({@code -k}) of this node, or CMAP finding another configuration
 * version in the ring. The {@code corosync} daemon exits there; the launcher exits with the same status.
 *
 * @param nodeid the node that stopped
 * @param reason what asked it to
 * @param exitStatus the daemon's exit status: 0 after a shutdown request, 255 when killed
 * @param at when
 */
public record NodeShutdown(long nodeid, String reason, int exitStatus, Instant at) {

	/** One line for logs and health details. */
	public String describe() {
		return "node " + this.nodeid + " shut down: " + this.reason;
	}

}
