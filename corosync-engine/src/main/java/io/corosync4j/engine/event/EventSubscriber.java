package io.corosync4j.engine.event;

/**
 * What an application is told of a subscription, on the service's callback thread, one call at a time
 * and in order. The event loop never waits for it: deliveries queue up to the subscription's bound, and
 * a subscriber that falls further behind loses the oldest and is told how many before the next event
 * (AIS's lost-event event).
 */
public interface EventSubscriber {

	/** An event the subscription's filters match, in agreed order (retained ones first when it starts). */
	void event(Event event);

	/** {@code count} events were dropped since the last call because this subscriber fell behind. */
	default void eventsLost(long count) {
	}

	/**
	 * The subscription ended without an unsubscribe: its channel handle or the service closed, or this
	 * member dropped its state ({@link EventError#NO_QUORUM}); no events follow.
	 */
	default void ended(EventError why) {
	}

}
