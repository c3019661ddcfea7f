package io.corosync4j.engine.message;

/**
 * A message handed to a queue's consumer. {@code id} is the message's replicated id, the same on every
 * node and across re-targeting: a handler that may see a message twice (its previous consumer left before
 * the acknowledgement was applied) deduplicates by it. {@code moved}: the message was re-targeted here
 * from a queue whose consumer left, so it may have been handed to that consumer already.
 */
public record Delivery(long id, String queue, int priority, byte[] payload, boolean moved, boolean replyExpected,
		long senderNode) {
}
