/**
 * Message queues (the AIS MSG service) for Spring applications:
 * {@link io.corosync4j.spring.message.QueueListener @QueueListener} work-queue methods, each message
 * handled by one member of a queue group, {@link io.corosync4j.spring.message.MessageQueueTemplate} to
 * send, and {@link io.corosync4j.spring.message.QueueGroupMessageChannel} for Spring Messaging.
 */
@NullMarked
package io.corosync4j.spring.message;

import org.jspecify.annotations.NullMarked;
