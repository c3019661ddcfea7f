package io.corosync4j.spring.event;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.corosync4j.engine.event.ChannelFlag;
import io.corosync4j.engine.event.Event;
import io.corosync4j.engine.event.EventChannel;
import io.corosync4j.engine.event.EventError;
import io.corosync4j.engine.event.EventFilter;
import io.corosync4j.engine.event.EventService;
import io.corosync4j.engine.event.EventSubscriber;
import io.corosync4j.engine.event.EventSubscription;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.cpg.CpgListenerEndpointRegistry;
import io.corosync4j.spring.messaging.AbstractListenerEndpointRegistry;
import io.corosync4j.spring.messaging.ListenerEndpoint;
import io.corosync4j.spring.messaging.ListenerErrorHandler;
import io.corosync4j.spring.messaging.Retries;
import io.corosync4j.spring.messaging.StateWatch;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Holds the {@link EventChannelListener} methods and subscribes each to its channel once this member
 * holds the event state (start-up does not wait for it: in a cluster the state comes once enough nodes
 * are up). Each listener has a thread and a bounded queue of its own, so a slow one neither holds up
 * the others nor the service's callback thread; the one that falls behind loses its oldest events and
 * is told how many. Subscriptions end before the node stops.
 * <p>
 * A listener started by id subscribes, and receives the events published from its point of the order on
 * (and those retained); one stopped by id ends its subscription and drops the events it had not been
 * handed yet.
 */
public class EventChannelListenerEndpointRegistry extends AbstractListenerEndpointRegistry<EventChannelListenerEndpointRegistry.Endpoint, EventChannelListenerEndpointRegistry.Listener, EventChannelListenerEndpointRegistry.ListenerStatistics> {

	/** With the CPG listeners: after the node and the web server, before the default phase. */
	public static final int PHASE = CpgListenerEndpointRegistry.PHASE;

	static final String RECEIVE = "evt.receive";

	static final String CHANNEL = "evt.channel";

	private static final Logger logger = LoggerFactory.getLogger(EventChannelListenerEndpointRegistry.class);

	/** How often a listener whose subscription ended looks whether it can subscribe again. */
	private static final Duration RESUBSCRIBE_INTERVAL = Duration.ofMillis(500);

	/**
	 * A listener method of a channel.
	 *
	 * @param errorHandler the name of its error handler bean, or {@code null} for the default
	 */
	public record Endpoint(Object bean, Method method, String channel, List<EventFilter> filters,
			@Nullable String errorHandler, String id, boolean autoStartup) implements ListenerEndpoint {
	}

	/**
	 * Counts of one listener.
	 *
	 * @param channel its channel
	 * @param delivered events its method was invoked with
	 * @param failures events it still failed on after its retries
	 * @param retries invocations repeated after a failure
	 * @param lost events dropped because it fell behind
	 * @param queued events waiting for it now
	 * @param running whether it is started (not stopped through the registry)
	 * @param subscribed whether its subscription is active
	 */
	public record ListenerStatistics(String channel, long delivered, long failures, long retries, long lost, int queued,
			boolean running, boolean subscribed) {
	}

	private final CorosyncNodeLifecycle node;

	private final ListenerErrorHandler defaultErrorHandler;

	private final Function<String, ListenerErrorHandler> namedErrorHandlers;

	private final int queueBound;

	/** One handle per channel this member's listeners subscribe on, while running. */
	private final Map<String, CompletableFuture<EventChannel>> channels = new ConcurrentHashMap<>();

	/**
	 * @param methodFactory turns listener methods into invocable handlers (argument resolution, conversion)
	 * @param defaultErrorHandler for listeners that name none
	 * @param namedErrorHandlers the error handler beans listeners name
	 * @param queueBound events that may wait for one listener before the oldest are dropped
	 * @param observations where deliveries are observed ({@value #RECEIVE}), or {@link ObservationRegistry#NOOP}
	 */
	public EventChannelListenerEndpointRegistry(CorosyncNodeLifecycle node, MessageHandlerMethodFactory methodFactory,
			ListenerErrorHandler defaultErrorHandler, Function<String, ListenerErrorHandler> namedErrorHandlers,
			int queueBound, ObservationRegistry observations) {
		super("event channel listener", "evt-listener-watch", RESUBSCRIBE_INTERVAL, methodFactory, observations);
		if (queueBound < 1) {
			throw new IllegalArgumentException("a listener queue of at least 1 event, not " + queueBound);
		}
		this.node = node;
		this.defaultErrorHandler = defaultErrorHandler;
		this.namedErrorHandlers = namedErrorHandlers;
		this.queueBound = queueBound;
	}

	/**
	 * Completes once every running listener's subscription is active: events published after that reach
	 * them. Fails if a subscription could not be made.
	 */
	public CompletableFuture<Void> subscribed() {
		return allRunning((listener) -> listener.subscription);
	}

	@Override
	protected Listener createListener(Endpoint endpoint, InvocableHandlerMethod method) {
		return new Listener(endpoint, method, errorHandler(endpoint, this.defaultErrorHandler, this.namedErrorHandlers));
	}

	@Override
	protected void startListeners(StateWatch watch) {
		runningListeners().forEach(Listener::subscribe);
	}

	@Override
	protected void stopListeners() {
		listeners().forEach(Listener::unsubscribe);
		listeners().forEach(Listener::stopThread);
		this.channels.values().forEach((channel) -> channel.thenAccept(EventChannel::close));
		this.channels.clear();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private boolean holdsState() {
		CorosyncNode current = this.node.getNodeIfRunning();
		return current != null && !current.isClosed() && current.events().holdsState();
	}

	/** This member's handle on {@code name}, opened (and the channel created) once it holds the state. */
	private CompletableFuture<EventChannel> channel(String name) {
		CompletableFuture<EventChannel> current = this.channels.get(name);
		if (current != null && !(current.isDone() && (current.isCompletedExceptionally() || !current.join().isOpen()))) {
			return current;
		}
		EventService service = this.node.getNode().events();
		CompletableFuture<EventChannel> opened = service.ready()
			.toCompletableFuture()
			.thenCompose((ready) -> service.open(name, EnumSet.of(ChannelFlag.CREATE, ChannelFlag.SUBSCRIBE)));
		this.channels.put(name, opened);
		return opened;
	}

	/** One listener method: its subscription, and the thread and queue between the service and the method. */
	final class Listener extends RegisteredListener<ListenerStatistics> implements EventSubscriber {

		private static final Object STOP = new Object();

		final String channel;

		final List<EventFilter> filters;

		final InvocableHandlerMethod method;

		final ListenerErrorHandler errorHandler;

		volatile @Nullable CompletableFuture<EventSubscription> subscription;

		/** Events and the count lost before each; guarded by itself. */
		private final ArrayDeque<Object> queue = new ArrayDeque<>();

		/** Lost (by the service or here) since the last event taken from the queue; guarded by {@link #queue}. */
		private long lostSinceLast;

		private final AtomicLong delivered = new AtomicLong();

		private final AtomicLong failures = new AtomicLong();

		private final AtomicLong retries = new AtomicLong();

		private final AtomicLong lost = new AtomicLong();

		private @Nullable Thread thread;

		Listener(Endpoint endpoint, InvocableHandlerMethod method, ListenerErrorHandler errorHandler) {
			super(endpoint);
			this.channel = endpoint.channel();
			this.filters = endpoint.filters();
			this.method = method;
			this.errorHandler = errorHandler;
		}

		@Override
		protected void activate() {
			subscribe();
		}

		@Override
		protected void deactivate() {
			unsubscribe();
			stopThread();
		}

		@Override
		protected ListenerStatistics statistics() {
			int queued;
			synchronized (this.queue) {
				queued = this.queue.size();
			}
			CompletableFuture<EventSubscription> current = this.subscription;
			boolean active = current != null && current.isDone() && !current.isCompletedExceptionally()
					&& current.join().isActive();
			return new ListenerStatistics(this.channel, this.delivered.get(), this.failures.get(), this.retries.get(), this.lost.get(),
					queued, this.running, active);
		}

		void subscribe() {
			synchronized (this.queue) {
				if (this.thread == null || !this.thread.isAlive()) {
					this.queue.clear();
					this.thread = new Thread(this::dispatch, "evt-listener-" + this.id);
					this.thread.setDaemon(true);
					this.thread.start();
				}
			}
			CompletableFuture<EventSubscription> made = channel(this.channel)
				.thenCompose((handle) -> handle.subscribe(this.filters, this));
			this.subscription = made;
			made.whenComplete((subscription, failure) -> {
				if (failure != null) {
					logger.error("Event channel listener '{}' could not subscribe to channel '{}'", this.id, this.channel,
							failure);
				}
				else {
					logger.info("Event channel listener '{}' subscribed to channel '{}' with filters {}", this.id,
							this.channel, this.filters);
				}
			});
		}

		void unsubscribe() {
			CompletableFuture<EventSubscription> current = this.subscription;
			this.subscription = null;
			if (current != null) {
				current.thenAccept((subscription) -> {
					if (subscription.isActive()) {
						subscription.unsubscribe();
					}
				});
			}
		}

		void stopThread() {
			Thread current;
			synchronized (this.queue) {
				this.queue.clear();
				this.queue.addLast(STOP);
				this.queue.notifyAll();
				current = this.thread;
				this.thread = null;
			}
			if (current != null && current != Thread.currentThread()) {
				try {
					current.join(TimeUnit.SECONDS.toMillis(5));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		// ---- on the service's callback thread: never waits for the method

		@Override
		public void event(Event event) {
			synchronized (this.queue) {
				if (this.queue.size() >= EventChannelListenerEndpointRegistry.this.queueBound
						&& this.queue.pollFirst() instanceof Pending dropped) {
					this.lost.incrementAndGet();
					// the gap is before the oldest event left, which says how many it spans
					long gap = 1 + dropped.lostBefore;
					if (this.queue.peekFirst() instanceof Pending oldest) {
						oldest.lostBefore += gap;
					}
					else {
						this.lostSinceLast += gap;
					}
				}
				this.queue.addLast(new Pending(event, this.lostSinceLast));
				this.lostSinceLast = 0;
				this.queue.notifyAll();
			}
		}

		@Override
		public void eventsLost(long count) {
			synchronized (this.queue) {
				this.lostSinceLast += count;
			}
			this.lost.addAndGet(count);
		}

		@Override
		public void ended(EventError why) {
			StateWatch current = watch();
			if (!running(this) || current == null) {
				return;
			}
			// events published meanwhile are not delivered here: the subscription's interval ended
			logger.warn("The subscription of event channel listener '{}' to channel '{}' ended ({}); it subscribes "
					+ "again once this member holds the event state", this.id, this.channel, why.description());
			current.whenReady(() -> running(this), EventChannelListenerEndpointRegistry.this::holdsState, () -> {
				synchronized (EventChannelListenerEndpointRegistry.this) {
					if (running(this)) {
						subscribe();
					}
				}
			});
		}

		// ---- on the listener's thread

		private void dispatch() {
			while (true) {
				Object next;
				synchronized (this.queue) {
					while (this.queue.isEmpty()) {
						try {
							this.queue.wait();
						}
						catch (InterruptedException ex) {
							return;
						}
					}
					next = this.queue.pollFirst();
				}
				if (next == STOP) {
					return;
				}
				Pending pending = (Pending) next;
				// taken from the queue under its lock: no count changes any more
				Message<byte[]> message = EventMessages.message(pending.event, pending.lostBefore);
				observeReceive(RECEIVE, "evt", CHANNEL, this.channel, message, () -> invoke(message));
			}
		}

		private void invoke(Message<byte[]> message) {
			this.delivered.incrementAndGet();
			Throwable failure = Retries.invoke(this.method, message, this.errorHandler.backOff(),
					() -> running(this), this.retries::incrementAndGet)
				.failure();
			if (failure != null) {
				this.failures.incrementAndGet();
				try {
					this.errorHandler.handleError(this.channel, message, failure);
				}
				catch (RuntimeException ex) {
					logger.error("The error handler of event channel listener '{}' failed", this.id, ex);
				}
			}
		}

	}

	/** An event waiting for its listener, and how many events were lost just before it. */
	private static final class Pending {

		final Event event;

		long lostBefore;

		Pending(Event event, long lostBefore) {
			this.event = event;
			this.lostBefore = lostBefore;
		}

	}

}
