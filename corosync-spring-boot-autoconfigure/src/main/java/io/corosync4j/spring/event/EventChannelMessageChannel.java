package io.corosync4j.spring.event;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.corosync4j.engine.event.ChannelFlag;
import io.corosync4j.engine.event.Event;
import io.corosync4j.engine.event.EventFilter;
import io.corosync4j.engine.event.EventService;
import io.corosync4j.engine.event.EventSubscriber;
import io.corosync4j.engine.event.EventSubscription;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.support.AbstractMessageChannel;
import org.springframework.messaging.support.MessageBuilder;

/**
 * An event channel as a Spring Messaging {@code SubscribableChannel}, for Spring Integration flows: a
 * message sent to it is published on the event channel (through the {@link EventChannelTemplate}, its
 * {@link EventHeaders} giving patterns, priority and retention), and each subscribed
 * {@code MessageHandler} has a subscription of its own, with this view's filters, receiving the events
 * as {@link EventChannelListener} methods do (payload as {@code byte[]}, the {@link EventHeaders}), in
 * the agreed order. A handler runs on the event service's callback thread, shared with the other
 * subscriptions of this node: keep it short, or hand over. A subscription is made once this member
 * holds the event state ({@link #subscribed()} completes then); one the service ends (outside the
 * primary component) is not made again: use {@code @EventChannelListener} for that.
 */
public class EventChannelMessageChannel extends AbstractMessageChannel implements SubscribableChannel {

	private static final Logger logger = LoggerFactory.getLogger(EventChannelMessageChannel.class);

	private final CorosyncNodeLifecycle node;

	private final EventChannelTemplate template;

	private final String channel;

	private final List<EventFilter> filters;

	private final Map<MessageHandler, CompletableFuture<EventSubscription>> subscriptions = new ConcurrentHashMap<>();

	/** @param filters of the subscriptions handlers get; none: every event of the channel */
	public EventChannelMessageChannel(CorosyncNodeLifecycle node, EventChannelTemplate template, String channel,
			List<EventFilter> filters) {
		this.node = node;
		this.template = template;
		this.channel = channel;
		this.filters = List.copyOf(filters);
		setBeanName("eventChannel:" + channel);
	}

	public String getChannel() {
		return this.channel;
	}

	/**
	 * Publishes {@code message} on the channel: {@code true} once it is applied here (every matching
	 * subscription gets it at that point of the order), {@code false} when that did not happen within the
	 * timeout (it may still be published); a refusal ({@code NO_QUORUM}, …) throws.
	 */
	@Override
	protected boolean sendInternal(Message<?> message, long timeout) {
		CompletableFuture<Long> published = this.template.publish(MessageBuilder.fromMessage(message)
			.setHeader(EventHeaders.CHANNEL, this.channel)
			.build());
		try {
			if (timeout < 0) {
				published.get();
			}
			else {
				published.get(timeout, TimeUnit.MILLISECONDS);
			}
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			throw new MessageDeliveryException(message, "event channel '" + this.channel + "' refused the event",
					ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Subscribes {@code handler} once this member holds the event state; {@code false} if it is subscribed already. */
	@Override
	public boolean subscribe(MessageHandler handler) {
		if (this.subscriptions.containsKey(handler)) {
			return false;
		}
		EventService service = this.node.getNode().events();
		Subscriber subscriber = new Subscriber(handler);
		CompletableFuture<EventSubscription> made = service.ready()
			.toCompletableFuture()
			.thenCompose((ready) -> service.open(this.channel, EnumSet.of(ChannelFlag.CREATE, ChannelFlag.SUBSCRIBE)))
			.thenCompose((handle) -> handle.subscribe(this.filters, subscriber).whenComplete((subscription, failure) -> {
				if (failure != null) {
					handle.close();
				}
			}));
		made.whenComplete((subscription, failure) -> {
			if (failure != null) {
				logger.error("A handler of event channel '{}' could not subscribe", this.channel, failure);
			}
		});
		return this.subscriptions.putIfAbsent(handler, made) == null;
	}

	/** Ends {@code handler}'s subscription and closes its channel handle. */
	@Override
	public boolean unsubscribe(MessageHandler handler) {
		CompletableFuture<EventSubscription> made = this.subscriptions.remove(handler);
		if (made == null) {
			return false;
		}
		made.thenAccept((subscription) -> subscription.unsubscribe()
			.whenComplete((done, failure) -> subscription.channel().close()));
		return true;
	}

	/** Completes once every handler subscribed so far has its subscription; fails if one could not be made. */
	public CompletableFuture<Void> subscribed() {
		return CompletableFuture.allOf(this.subscriptions.values().toArray(CompletableFuture[]::new));
	}

	/** Hands the events to one handler, on the service's callback thread. */
	private final class Subscriber implements EventSubscriber {

		private final MessageHandler handler;

		private long lost;

		Subscriber(MessageHandler handler) {
			this.handler = handler;
		}

		@Override
		public void event(Event event) {
			long lostBefore = this.lost;
			this.lost = 0;
			try {
				this.handler.handleMessage(EventMessages.message(event, lostBefore));
			}
			catch (RuntimeException ex) {
				logger.error("A handler of event channel '{}' failed on event {}; it is skipped",
						EventChannelMessageChannel.this.channel, event.id(), ex);
			}
		}

		@Override
		public void eventsLost(long count) {
			this.lost += count;
		}

	}

}
