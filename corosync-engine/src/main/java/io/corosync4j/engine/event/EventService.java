package io.corosync4j.engine.event;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;

import io.corosync4j.engine.event.EventOperation.Barrier;
import io.corosync4j.engine.event.EventOperation.Expire;
import io.corosync4j.engine.event.EventOperation.Open;
import io.corosync4j.engine.event.EventOperation.Unlink;
import io.corosync4j.engine.event.EventState.Outcome;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaGroup;
import io.corosync4j.engine.replica.ReplicaHost;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.ReplicatedService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events (the AIS EVT service) for this node's processes: a member of the CPG group {@value #GROUP_NAME}
 * holding every channel, subscription and retained event of the cluster, replicated by a
 * {@link ReplicaGroup} that runs the {@link EventState} on the node's event loop. Callers' futures
 * complete, and subscribers are called, on a thread of the service's own, never on the event loop.
 * Thread-safe.
 *
 * <p>Requests made while this member holds no state (just started, or outside the primary component)
 * fail at once with {@link EventError#NO_QUORUM}: an event published into a minority would reach only
 * part of the subscribers, and an order the primary component does not share. {@link #ready()} tells
 * when to start.
 */
public final class EventService extends ReplicatedService<EventState, Outcome> {

	/** The CPG group the event service's members share. */
	public static final String GROUP_NAME = "corosync4j:evt";

	/** The longest channel or publisher name, in UTF-8 bytes ({@code SA_MAX_NAME_LENGTH}). */
	public static final int MAX_NAME_BYTES = 256;

	/** The most channels the service holds, unlinked ones still open included. */
	public static final int MAX_CHANNELS = 4096;

	/** The most channel handles open at once over all members. */
	public static final int MAX_OPENERS = 65_536;

	/** The most subscriptions over all members. */
	public static final int MAX_SUBSCRIPTIONS = 65_536;

	/** The most patterns of an event, and filters of a subscription. */
	public static final int MAX_PATTERNS = 64;

	/** The longest pattern or filter pattern, in bytes. */
	public static final int MAX_PATTERN_BYTES = 4096;

	/** The most data an event carries ({@code SA_EVT_DATA_MAX_LEN} is 64 KiB; ours is larger): 1 MiB. */
	public static final int MAX_DATA_BYTES = 1024 * 1024;

	/** The most events retained at once, on every member. */
	public static final int MAX_RETAINED_EVENTS = 65_536;

	/** The most bytes of retained events' data and patterns, on every member: 256 MiB. */
	public static final long MAX_RETAINED_BYTES = 256L * 1024 * 1024;

	/** Deliveries a subscription queues for a subscriber that is behind, unless it asks for another bound. */
	public static final int DEFAULT_QUEUE_BOUND = 1024;

	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.evt");

	private static final String TIMER = "running the event retention timer";

	private final AtomicLong handleIds = new AtomicLong();

	private final AtomicLong subscriptionIds = new AtomicLong();

	// on the event loop

	/** This member's open handles, by handle number. */
	private final Map<Long, EventChannel> handles = new HashMap<>();

	/** This member's subscriptions, by handle and subscription number. */
	private final Map<SubscriptionKey, EventSubscription> subscriptions = new HashMap<>();

	private long timerChangesSeen = -1;

	private final ExpiryTimer expiry = new ExpiryTimer(TIMER, (now) -> EventCodec.encode(new Expire(0, now)));

	// read from any thread, written on the loop

	private volatile long published;

	private volatile long delivered;

	private final AtomicLong lost = new AtomicLong();

	/** Joins the event group; requests can be made once {@link #ready()} completes. */
	public EventService(ReplicaHost host) {
		this(host, callbackThread("corosync-events"));
	}

	/**
	 * Joins the event group, completing callers' futures and calling subscribers with {@code callbacks}
	 * (shut down when the service closes); a simulation passes one that runs them at once, in its order.
	 */
	public EventService(ReplicaHost host, ExecutorService callbacks) {
		super(host, GROUP_NAME, "event", callbacks);
		start();
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/**
	 * Opens a channel for what {@code flags} say: with {@link ChannelFlag#CREATE} it is created if no
	 * channel has the name, without it a missing channel fails with {@link EventError#NOT_FOUND}.
	 * @param name 1 to {@value #MAX_NAME_BYTES} bytes of UTF-8
	 */
	public CompletableFuture<EventChannel> open(String name, Set<ChannelFlag> flags) {
		if (!EventCodec.validName(name)) {
			return failed(Refusal.INVALID, "a channel name is 1 to " + MAX_NAME_BYTES + " bytes of UTF-8, not '"
					+ name + "'");
		}
		long handle = this.handleIds.incrementAndGet();
		int bits = ChannelFlag.bits(flags);
		return submit(call("opening channel '" + name + "'",
				(request) -> EventCodec.encode(new Open(request, handle, name, bits)),
				(outcome) -> opened(name, handle, ChannelFlag.of(bits), outcome)));
	}

	/**
	 * Unlinks a channel: its name is free at once (a new channel may take it), and the channel, with its
	 * retained events, goes when its last opener closes, at once if it has none.
	 */
	public CompletableFuture<Void> unlink(String name) {
		if (!EventCodec.validName(name)) {
			return failed(Refusal.INVALID, "not a channel name: '" + name + "'");
		}
		return submit(call("unlinking channel '" + name + "'", (request) -> EventCodec.encode(new Unlink(request, name)),
				(outcome) -> null));
	}

	/** Every channel as this member's replica has it: linked ones by name, then unlinked ones still open. */
	public CompletableFuture<List<ChannelStatus>> channels() {
		CompletableFuture<List<ChannelStatus>> future = new CompletableFuture<>();
		onLoop(future, () -> {
			Refusal refused = refusal();
			if (refused != null) {
				fail(future, refused, "listing channels");
				return;
			}
			List<ChannelStatus> all = currentState().channels();
			callback(() -> future.complete(all));
		});
		return future;
	}

	/** Events this member published, events it handed to subscribers, events its subscribers lost. */
	public EventStatistics statistics() {
		return new EventStatistics(this.published, this.delivered, this.lost.get(), malformedMessages());
	}

	// ---------------------------------------------------------------------------------------------
	// For handles

	/**
	 * Sends an operation and completes the future with {@code result} of its outcome: at once if it is
	 * refused, else when it is applied here, and, for {@code stable} ones, once it is safe.
	 */
	<T> CompletableFuture<T> submit(EventChannel handle, String what, LongFunction<EventOperation> operation,
			boolean stable, Function<Outcome, @Nullable T> result) {
		return submit(prepare(handle, what, operation, stable, result));
	}

	/**
	 * As above; {@code before} runs on the loop just before the operation is sent (a subscription
	 * registers), {@code undo} on the loop if the call fails.
	 */
	<T> CompletableFuture<T> submit(EventChannel handle, String what, LongFunction<EventOperation> operation,
			boolean stable, Function<Outcome, @Nullable T> result, Runnable before, Runnable undo) {
		return submit(prepare(handle, what, operation, stable, result).before(before).undo(undo));
	}

	private <T> Call<T> prepare(EventChannel handle, String what, LongFunction<EventOperation> operation, boolean stable,
			Function<Outcome, @Nullable T> result) {
		Call<T> call = call(what, (request) -> EventCodec.encode(operation.apply(request)), result)
			.whileOpen(handle::isOpen);
		return stable ? call.safe() : call;
	}

	/** Closes a handle: it refuses calls at once, its subscriptions end, and the group forgets it when applied. */
	CompletableFuture<Void> close(EventChannel handle) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		onLoop(done, () -> {
			if (!handle.isOpen()) {
				callback(() -> done.complete(null));
				return;
			}
			closeHandle(handle, null);
			if (isClosed() || !holdsState()) {
				// leaving the group, or having dropped the state, closed it everywhere already
				callback(() -> done.complete(null));
				return;
			}
			Call<Void> close = this.<Void>call("closing " + handle,
					(request) -> EventCodec.encode(new EventOperation.Close(request, handle.channel, handle.handle)),
					(outcome) -> null)
				.evenWhenBusy();
			submitOnLoop(close);
			close.future().whenComplete((value, failure) -> {
				if (failure != null) {
					done.completeExceptionally(failure);
				}
				else {
					done.complete(null);
				}
			});
		});
		return done;
	}

	/** On the loop: registers a subscription before its Subscribe is sent, so retained events find it. */
	void register(EventSubscription subscription) {
		this.subscriptions.put(new SubscriptionKey(subscription.channel().handle, subscription.id()), subscription);
	}

	/** On the loop: the subscription ended (unsubscribed, refused, or its handle closed). */
	void unregister(EventSubscription subscription) {
		this.subscriptions.remove(new SubscriptionKey(subscription.channel().handle, subscription.id()));
	}

	long nextSubscriptionId() {
		return this.subscriptionIds.incrementAndGet();
	}

	long now() {
		return host().currentTimeMillis();
	}

	void countPublished() {
		this.published++;
	}

	void countLost(long count) {
		this.lost.addAndGet(count);
	}

	/** Runs a subscriber's deliveries on the callback thread. */
	void onCallbackThread(Runnable work) {
		callback(work);
	}

	/** The replica group, for tests of this package; read it on the event loop. */
	@Nullable ReplicaGroup group() {
		return currentGroup();
	}

	/** The state machine, for tests of this package; read it on the event loop. */
	@Nullable EventState state() {
		return currentState();
	}

	Member self() {
		return currentGroup().self();
	}

	// ---------------------------------------------------------------------------------------------
	// The replicated service's parts

	@Override
	protected EventState newState(ReplicaView view) {
		return new EventState(view, new StateListener());
	}

	@Override
	protected long requestOf(byte[] operation) {
		return EventCodec.request(operation);
	}

	@Override
	protected byte[] barrier() {
		return EventCodec.encode(new Barrier(0));
	}

	@Override
	protected Exception exception(Refusal refusal, String detail) {
		return new EventException(EventError.valueOf(refusal.name()), detail);
	}

	@Override
	protected @Nullable Exception rejection(Outcome outcome) {
		EventError error = outcome.error();
		return (error != null) ? new EventException(error, outcome.detail()) : null;
	}

	@Override
	protected long malformedOperations() {
		EventState current = currentState();
		return (current != null) ? current.malformed() : 0;
	}

	@Override
	protected void timerOperationDelivered() {
		this.expiry.delivered();
	}

	@Override
	protected void handlesGone(Refusal why, String detail) {
		EventError error = EventError.valueOf(why.name());
		for (EventChannel handle : List.copyOf(this.handles.values())) {
			closeHandle(handle, error);
		}
		this.handles.clear();
		this.subscriptions.clear();
	}

	@Override
	protected void abandoned(@Nullable Object value) {
		// the caller gave up: nobody will close what it got
		if (value instanceof EventChannel channel) {
			channel.close();
		}
		else if (value instanceof EventSubscription subscription) {
			subscription.unsubscribe();
		}
	}

	@Override
	protected boolean timersChanged() {
		EventState current = currentState();
		return current != null && current.timerChanges() != this.timerChangesSeen;
	}

	private EventChannel opened(String name, long handle, Set<ChannelFlag> flags, Outcome outcome) {
		EventChannel channel = new EventChannel(this, outcome.channel(), handle, name, flags);
		this.handles.put(handle, channel);
		return channel;
	}

	/** The handle closed: by its caller ({@code why == null}) or for a reason; its subscriptions end. */
	private void closeHandle(EventChannel handle, @Nullable EventError why) {
		handle.closed(why);
		this.handles.remove(handle.handle);
		for (EventSubscription subscription : List.copyOf(this.subscriptions.values())) {
			if (subscription.channel() == handle) {
				unregister(subscription);
				subscription.end((why != null) ? why : EventError.CLOSED);
			}
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The coordinator's timer

	/** Arms the timer for the soonest end of a retention; cancels it when this member no longer coordinates. */
	@Override
	protected void armTimers(boolean coordinating) {
		EventState current = currentState();
		if (!coordinating || current == null || isClosed()) {
			this.expiry.cancel();
			return;
		}
		this.timerChangesSeen = current.timerChanges();
		this.expiry.arm(current.nextExpiration());
	}

	// ---------------------------------------------------------------------------------------------

	private record SubscriptionKey(long handle, long subscription) {
	}

	/** What the state tells this member. */
	private final class StateListener implements EventState.Listener {

		@Override
		public void applied(long request, Outcome outcome) {
			EventService.this.applied(request, outcome);
		}

		@Override
		public void deliver(long handle, long subscription, Event event) {
			EventSubscription target = EventService.this.subscriptions.get(new SubscriptionKey(handle, subscription));
			if (target != null) {
				EventService.this.delivered++;
				target.offer(event);
			}
		}

		@Override
		public void settled(boolean coordinator) {
			EventService.this.settled(coordinator);
		}

		@Override
		public void lost() {
			EventService.this.lost();
		}

	}

}
