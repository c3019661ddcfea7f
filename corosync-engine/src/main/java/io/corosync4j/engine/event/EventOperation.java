package io.corosync4j.engine.event;

import java.util.List;

/**
 * What members of the event group send each other, applied by every member holding the state at its
 * point of the agreed order. Each carries the sender's request number so the sender can find its caller
 * when it sees the operation applied; operations a timer sends carry 0.
 */
sealed interface EventOperation {

	long request();

	/** Opens a channel for {@code flags} ({@link ChannelFlag#bits}), creating it with {@link ChannelFlag#CREATE}. */
	record Open(long request, long handle, String name, int flags) implements EventOperation {
	}

	/** Closes one handle of the sender's, and its subscriptions. */
	record Close(long request, long channel, long handle) implements EventOperation {
	}

	/** Frees a channel's name; the channel goes when its last opener closes. */
	record Unlink(long request, String name) implements EventOperation {
	}

	/**
	 * Publishes an event: it gets the next event id and goes to every matching subscription; retained
	 * until {@code publishedAt + retentionMillis} when that is positive.
	 */
	record Publish(long request, long channel, long handle, List<byte[]> patterns, int priority,
			long retentionMillis, String publisher, long publishedAt, byte[] data) implements EventOperation {
	}

	record Subscribe(long request, long channel, long handle, long subscription, List<EventFilter> filters)
			implements EventOperation {
	}

	record Unsubscribe(long request, long channel, long handle, long subscription) implements EventOperation {
	}

	/** Drops a retained event before its retention runs out. */
	record ClearRetention(long request, long channel, long handle, long event) implements EventOperation {
	}

	/** The coordinator's clock reached {@code now}: every retained event whose retention ended by then goes. */
	record Expire(long request, long now) implements EventOperation {
	}

	/** Changes nothing: a point of the order in a new ring, so stable publications waiting on the old one are told. */
	record Barrier(long request) implements EventOperation {
	}

}
