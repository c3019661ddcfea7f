package io.corosync4j.engine.message;

/**
 * What a member multicasts to the group, applied by every member holding the state at the same point of
 * the agreed order. {@code request} numbers a caller's call on its member (0: a timer's operation, that
 * no caller waits for).
 */
sealed interface MessageOperation {

	long request();

	/** Flag of {@link Send}: the sender waits for the consumer's acknowledgement. */
	int WAIT_FOR_ACK = 1;

	/** Flag of {@link Send}: the sender waits for a reply. */
	int WANTS_REPLY = 2;

	record CreateGroup(long request, String group, GroupPolicy policy) implements MessageOperation {
	}

	record DeleteGroup(long request, String group) implements MessageOperation {
	}

	/** Opens (creating it if need be) a queue, its sender becoming the consumer; {@code group} empty: no group. */
	record Open(long request, String queue, QueueAttributes attributes, String group) implements MessageOperation {
	}

	record Close(long request, String queue) implements MessageOperation {
	}

	/** A message to a queue, or to a group's queues ({@code toGroup}), at a priority (0 highest). */
	record Send(long request, String target, boolean toGroup, int priority, int flags, byte[] payload)
			implements MessageOperation {
	}

	/** The consumer acknowledges a message: it is removed. */
	record Ack(long request, String queue, long id) implements MessageOperation {
	}

	/** The consumer answers a request: the message is acknowledged and the reply goes to its sender. */
	record Reply(long request, String queue, long id, byte[] payload) implements MessageOperation {
	}

	/** The coordinator's retention timer ran out for a persistent queue without consumer, of this generation. */
	record Retire(long request, String queue, long generation) implements MessageOperation {
	}

	/** Does nothing: a delivery in a new ring, so sends waiting for the settle are told. */
	record Synchronize(long request) implements MessageOperation {
	}

}
