package io.corosync4j.engine.event;

/**
 * What the event service did on this member.
 * @param published events this member's handles published
 * @param delivered events handed to this member's subscriptions' queues
 * @param lost events dropped from those queues because their subscriber fell behind
 * @param malformed messages of the group that could not be read
 */
public record EventStatistics(long published, long delivered, long lost, long malformed) {
}
