package io.corosync4j.engine.event;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.event.EventOperation.ClearRetention;
import io.corosync4j.engine.event.EventOperation.Publish;
import io.corosync4j.engine.event.EventOperation.Subscribe;
import org.jspecify.annotations.Nullable;

/**
 * An open handle on an event channel: publishes and subscribes as its flags allow. It closes with
 * {@link #close()}, with the service, or when this member drops its state (it left the primary
 * component: the others closed its handles when it left); then its subscriptions end.
 */
public final class EventChannel {

	private final EventService service;

	final long channel;

	final long handle;

	private final String name;

	private final Set<ChannelFlag> flags;

	private volatile boolean open = true;

	private volatile @Nullable EventError closedFor;

	EventChannel(EventService service, long channel, long handle, String name, Set<ChannelFlag> flags) {
		this.service = service;
		this.channel = channel;
		this.handle = handle;
		this.name = name;
		this.flags = Set.copyOf(flags);
	}

	public String name() {
		return this.name;
	}

	public Set<ChannelFlag> flags() {
		return this.flags;
	}

	/** Whether the handle is open: false once closed, and once this member dropped its state. */
	public boolean isOpen() {
		return this.open;
	}

	/**
	 * Why the handle closed without {@link #close()}: {@link EventError#NO_QUORUM} when this member dropped
	 * its state, {@link EventError#CLOSED} when the service closed; {@code null} otherwise.
	 */
	public @Nullable EventError closedFor() {
		return this.closedFor;
	}

	/**
	 * Publishes an event; the future completes with the id the event got once it is applied here (every
	 * matching subscription in the primary component is told it at that point of the order).
	 */
	public CompletableFuture<Long> publish(EventPublication publication) {
		return publish(publication, false);
	}

	/**
	 * Publishes an event; with {@code stable}, the future completes only once every member of the ring
	 * holds it and a second node holds the state, so no later component can miss it (as a synchronous
	 * checkpoint write).
	 */
	public CompletableFuture<Long> publish(EventPublication publication, boolean stable) {
		String problem = publication.problem();
		if (problem != null) {
			return CompletableFuture.failedFuture(new EventException(EventError.INVALID, problem));
		}
		if (publication.data().length > EventService.MAX_DATA_BYTES) {
			return CompletableFuture.failedFuture(new EventException(EventError.TOO_BIG, "an event of "
					+ publication.data().length + " bytes, more than " + EventService.MAX_DATA_BYTES));
		}
		long publishedAt = this.service.now();
		return this.service.submit(this, "publishing on " + this,
				(request) -> new Publish(request, this.channel, this.handle, publication.patterns(),
						publication.priority(), publication.retentionMillis(), publication.publisher(), publishedAt,
						publication.data()),
				stable, (outcome) -> {
					this.service.countPublished();
					return outcome.event();
				});
	}

	/**
	 * Subscribes with filters (filter {@code i} tests pattern {@code i}, see {@link EventFilter}): the
	 * subscriber is told the retained events they match, in their order, then every matching event
	 * published after this subscription's point of the order. Up to {@link EventService#DEFAULT_QUEUE_BOUND}
	 * deliveries wait for a slow subscriber.
	 */
	public CompletableFuture<EventSubscription> subscribe(List<EventFilter> filters, EventSubscriber subscriber) {
		return subscribe(filters, EventService.DEFAULT_QUEUE_BOUND, subscriber);
	}

	/** As {@link #subscribe(List, EventSubscriber)}, with {@code queueBound} deliveries waiting at most. */
	public CompletableFuture<EventSubscription> subscribe(List<EventFilter> filters, int queueBound,
			EventSubscriber subscriber) {
		if (filters.size() > EventService.MAX_PATTERNS || queueBound < 1) {
			return CompletableFuture.failedFuture(new EventException(EventError.INVALID, filters.size()
					+ " filters (at most " + EventService.MAX_PATTERNS + "), a queue of " + queueBound));
		}
		List<EventFilter> copied = List.copyOf(filters);
		long id = this.service.nextSubscriptionId();
		EventSubscription subscription = new EventSubscription(this.service, this, id, copied, queueBound, subscriber);
		return this.service.submit(this, "subscribing to " + this,
				(request) -> new Subscribe(request, this.channel, this.handle, id, copied), false,
				(outcome) -> subscription, () -> this.service.register(subscription), () -> {
					this.service.unregister(subscription);
					subscription.refused();
				});
	}

	/** Drops a retained event of this channel before its retention runs out. */
	public CompletableFuture<Void> clearRetention(long eventId) {
		return this.service.submit(this, "clearing event " + eventId + " of " + this,
				(request) -> new ClearRetention(request, this.channel, this.handle, eventId), false, (outcome) -> null);
	}

	/** Closes the handle; its subscriptions end. Closing it twice does nothing. */
	public CompletableFuture<Void> close() {
		return this.service.close(this);
	}

	/** On the event loop: the handle is closed, by the caller ({@code null}) or for a reason. */
	void closed(@Nullable EventError reason) {
		if (this.open) {
			this.closedFor = reason;
			this.open = false;
		}
	}

	@Override
	public String toString() {
		return "channel '" + this.name + "' (handle " + this.handle + (this.open ? "" : ", closed") + ")";
	}

}
