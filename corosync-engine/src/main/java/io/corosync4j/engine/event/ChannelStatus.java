package io.corosync4j.engine.event;

/** A channel as this member's replica has it. */
public record ChannelStatus(String name, boolean unlinked, int openers, int subscriptions, int retainedEvents) {
}
