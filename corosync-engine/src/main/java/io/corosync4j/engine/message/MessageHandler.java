package io.corosync4j.engine.message;

/**
 * Receives a queue's messages, on the service's callback thread, in priority then send order, at most the
 * queue's prefetch window unacknowledged at a time: acknowledge each ({@link MessageQueue#acknowledge}) to
 * receive more.
 */
@FunctionalInterface
public interface MessageHandler {

	void onMessage(MessageQueue queue, Delivery delivery);

}
