package io.corosync4j.engine.lock;

/**
 * This member's lock counters since the service started.
 *
 * @param requests lock requests this member made
 * @param grants locks granted to this member
 * @param waits grants that had to wait for another holder first
 * @param waitNanos the total time from request to grant, over all grants
 * @param refusals requests refused (not available, deadlock, timeout, no quorum, closed)
 * @param timeouts requests that waited out their timeout
 * @param lost held locks this member lost because its component lost quorum or the service closed
 * @param held locks this member holds now
 * @param waiting requests of this member waiting now
 */
public record LockStatistics(long requests, long grants, long waits, long waitNanos, long refusals, long timeouts,
		long lost, long held, long waiting) {
}
