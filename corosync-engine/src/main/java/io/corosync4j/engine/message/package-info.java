/**
 * Message queues (the AIS MSG service) on the replicated-state layer. The queues' contents live in
 * the replicated state of the CPG group {@value io.corosync4j.engine.message.MessageService#GROUP_NAME},
 * not on the consumer's node, so a message outlives the failure of any one node: a message is enqueued
 * where its send falls in the agreed order, handed to the queue's consumer through a bounded prefetch
 * window, and removed when the consumer acknowledges it; if the consumer's process leaves first, the
 * message is re-targeted, kept or returned to its sender at that same point of the order.
 */
@NullMarked
package io.corosync4j.engine.message;

import org.jspecify.annotations.NullMarked;
