package io.corosync4j.engine.checkpoint;

/**
 * This member's checkpoint counters since the service started.
 *
 * @param writes writes, overwrites, section creations and deletions of this member that completed
 * @param bytesWritten the data bytes of those writes
 * @param reads reads answered from this member's replica
 * @param refusals operations of this member that failed, whatever the error
 * @param transfers times this member received the whole state (a join, a return to the primary component)
 * @param malformed operations from other members that could not be read, dropped everywhere
 */
public record CheckpointStatistics(long writes, long bytesWritten, long reads, long refusals, long transfers,
		long malformed) {
}
