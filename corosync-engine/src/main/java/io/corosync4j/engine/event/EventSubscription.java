package io.corosync4j.engine.event;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.event.EventOperation.Unsubscribe;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription of a channel handle, and its queue of deliveries. The event loop only ever adds to the
 * queue, which holds at most its bound: a subscriber that falls behind loses the oldest events, and is
 * told how many before the next one, so the loop never waits for application code. The subscriber is
 * called on the service's callback thread, one call at a time.
 */
public final class EventSubscription {

	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.evt");

	private final EventService service;

	private final EventChannel channel;

	private final long id;

	private final List<EventFilter> filters;

	private final int bound;

	private final EventSubscriber subscriber;

	// guarded by this

	private final ArrayDeque<Event> queue = new ArrayDeque<>();

	private long lost;

	private boolean draining;

	private @Nullable EventError ended;

	private boolean endTold;

	private volatile boolean active = true;

	private volatile long totalLost;

	EventSubscription(EventService service, EventChannel channel, long id, List<EventFilter> filters, int bound,
			EventSubscriber subscriber) {
		this.service = service;
		this.channel = channel;
		this.id = id;
		this.filters = filters;
		this.bound = bound;
		this.subscriber = subscriber;
	}

	/** The id its channel handle knows it by. */
	public long id() {
		return this.id;
	}

	public List<EventFilter> filters() {
		return this.filters;
	}

	public EventChannel channel() {
		return this.channel;
	}

	/** Whether events still come: false once unsubscribed, or once its handle or the service closed. */
	public boolean isActive() {
		return this.active;
	}

	/** Events this subscription lost, over its life, because its subscriber fell behind. */
	public long lostEvents() {
		return this.totalLost;
	}

	/** Ends the subscription: no events after its point of the order; those queued before it are still told. */
	public CompletableFuture<Void> unsubscribe() {
		if (!this.active) {
			return CompletableFuture.completedFuture(null);
		}
		return this.service.submit(this.channel, "unsubscribing " + this,
				(request) -> new Unsubscribe(request, this.channel.channel, this.channel.handle, this.id), false,
				(outcome) -> {
					this.service.unregister(this);
					this.active = false;
					return null;
				});
	}

	/** On the event loop: queues an event, dropping the oldest beyond the bound. */
	void offer(Event event) {
		synchronized (this) {
			if (this.ended != null) {
				return;
			}
			if (this.queue.size() >= this.bound) {
				this.queue.poll();
				this.lost++;
				this.totalLost++;
				this.service.countLost(1);
			}
			this.queue.add(event);
			if (this.draining) {
				return;
			}
			this.draining = true;
		}
		this.service.onCallbackThread(this::drain);
	}

	/** On the event loop: the subscription ended for a reason; the subscriber is told after what is queued. */
	void end(EventError why) {
		this.active = false;
		synchronized (this) {
			if (this.ended != null) {
				return;
			}
			this.ended = why;
			if (this.draining) {
				return;
			}
			this.draining = true;
		}
		this.service.onCallbackThread(this::drain);
	}

	/** The Subscribe was refused: nothing was told, nothing will be. */
	void refused() {
		this.active = false;
		synchronized (this) {
			this.ended = EventError.CLOSED;
			this.endTold = true;
			this.queue.clear();
		}
	}

	/** On the callback thread: tells the subscriber what is queued, in order. */
	private void drain() {
		while (true) {
			long missed;
			Event next;
			EventError end = null;
			synchronized (this) {
				missed = this.lost;
				this.lost = 0;
				next = this.queue.poll();
				if (next == null && missed == 0) {
					if (this.ended != null && !this.endTold) {
						this.endTold = true;
						end = this.ended;
					}
					else {
						this.draining = false;
						return;
					}
				}
			}
			try {
				if (missed > 0) {
					this.subscriber.eventsLost(missed);
				}
				if (next != null) {
					this.subscriber.event(next);
				}
				if (end != null) {
					this.subscriber.ended(end);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("The subscriber of {} failed", this, ex);
			}
		}
	}

	@Override
	public String toString() {
		return "subscription " + this.id + " of " + this.channel;
	}

}
