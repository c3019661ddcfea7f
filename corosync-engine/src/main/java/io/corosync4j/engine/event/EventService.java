package io.corosync4j.engine.event;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
public final class EventService implements AutoCloseable {

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

	/** How soon the expiry timer's operation is tried again when the send queue was full. */
	private static final long RESEND_MILLIS = 100;

	private final ReplicaHost host;

	private final ExecutorService callbacks;

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong handleIds = new AtomicLong();

	private final AtomicLong subscriptionIds = new AtomicLong();

	// on the event loop

	private @Nullable ReplicaGroup group;

	private @Nullable EventState state;

	/** Operations sent, not delivered yet, by request. */
	private final Map<Long, Pending> pending = new LinkedHashMap<>();

	/** Applied, waiting for every member of the ring to hold them (or for the ring to end). */
	private final Set<Pending> awaitingStable = new LinkedHashSet<>();

	/** Applied in a ring that ended before they were stable: told once the next ring settles with this state. */
	private final Set<Pending> awaitingSettle = new LinkedHashSet<>();

	/** Stable publications waiting for a second node to hold the state ({@link ReplicaGroup#durable()}). */
	private final Set<Pending> awaitingDurable = new LinkedHashSet<>();

	/** This member's open handles, by handle number. */
	private final Map<Long, EventChannel> handles = new HashMap<>();

	/** This member's subscriptions, by handle and subscription number. */
	private final Map<SubscriptionKey, EventSubscription> subscriptions = new HashMap<>();

	private boolean closed;

	/** Whether this member runs the expiry timer (it was the coordinator at the last settle). */
	private boolean coordinating;

	private long timerChangesSeen = -1;

	private @Nullable Runnable expiryTimer;

	private long expiryArmedFor = EventState.NEVER;

	/** An {@link Expire} of this member's is on its way: no other until it is applied. */
	private boolean expirySent;

	// read from any thread, written on the loop

	private volatile boolean holdsState;

	private volatile long published;

	private volatile long delivered;

	private final AtomicLong lost = new AtomicLong();

	/** Joins the event group; requests can be made once {@link #ready()} completes. */
	public EventService(ReplicaHost host) {
		this(host, Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "corosync-events");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * Joins the event group, completing callers' futures and calling subscribers with {@code callbacks}
	 * (shut down when the service closes); a simulation passes one that runs them at once, in its order.
	 */
	public EventService(ReplicaHost host, ExecutorService callbacks) {
		this.host = host;
		this.callbacks = callbacks;
		try {
			host.loop().execute(this::join);
		}
		catch (RejectedExecutionException stopped) {
			this.closed = true;
			this.ready.completeExceptionally(new EventException(EventError.CLOSED, "the node stopped"));
			callbacks.shutdown();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/** Completes when this member first holds the state (its component is primary and it synchronized). */
	public CompletionStage<Void> ready() {
		return this.ready.minimalCompletionStage();
	}

	/** Whether this member holds the event state now: it is in the primary component and synchronized. */
	public boolean holdsState() {
		return this.holdsState;
	}

	/**
	 * Opens a channel for what {@code flags} say: with {@link ChannelFlag#CREATE} it is created if no
	 * channel has the name, without it a missing channel fails with {@link EventError#NOT_FOUND}.
	 * @param name 1 to {@value #MAX_NAME_BYTES} bytes of UTF-8
	 */
	public CompletableFuture<EventChannel> open(String name, Set<ChannelFlag> flags) {
		if (!EventCodec.validName(name)) {
			return failed(EventError.INVALID, "a channel name is 1 to " + MAX_NAME_BYTES + " bytes of UTF-8, not '"
					+ name + "'");
		}
		long handle = this.handleIds.incrementAndGet();
		int bits = ChannelFlag.bits(flags);
		return submit(null, "opening channel '" + name + "'", (request) -> new Open(request, handle, name, bits), false,
				(outcome) -> opened(name, handle, ChannelFlag.of(bits), outcome));
	}

	/**
	 * Unlinks a channel: its name is free at once (a new channel may take it), and the channel, with its
	 * retained events, goes when its last opener closes, at once if it has none.
	 */
	public CompletableFuture<Void> unlink(String name) {
		if (!EventCodec.validName(name)) {
			return failed(EventError.INVALID, "not a channel name: '" + name + "'");
		}
		return submit(null, "unlinking channel '" + name + "'", (request) -> new Unlink(request, name), false,
				(outcome) -> null);
	}

	/** Every channel as this member's replica has it: linked ones by name, then unlinked ones still open. */
	public CompletableFuture<List<ChannelStatus>> channels() {
		CompletableFuture<List<ChannelStatus>> future = new CompletableFuture<>();
		onLoop(future, () -> {
			EventError refused = refusal(null);
			if (refused != null) {
				EventException failure = new EventException(refused, "listing channels");
				callback(() -> future.completeExceptionally(failure));
				return;
			}
			List<ChannelStatus> all = this.state.channels();
			callback(() -> future.complete(all));
		});
		return future;
	}

	/** Events this member published, events it handed to subscribers, events its subscribers lost. */
	public EventStatistics statistics() {
		return new EventStatistics(this.published, this.delivered, this.lost.get(), malformedMessages());
	}

	/** Messages of the group that could not be read, dropped (the replica layer's own and event operations). */
	public long malformedMessages() {
		ReplicaGroup current = this.group;
		EventState machine = this.state;
		return ((current != null) ? current.malformedMessages() : 0) + ((machine != null) ? machine.malformed() : 0);
	}

	/**
	 * Leaves the event group: waiting calls fail with {@link EventError#CLOSED}, subscriptions end, and
	 * this member's handles close (everywhere, as the others see it leave). Retained events stay with the
	 * other members. Returns at once.
	 */
	@Override
	public void close() {
		try {
			this.host.loop().execute(() -> shutDown("the service was closed"));
		}
		catch (RejectedExecutionException stopped) {
			this.callbacks.shutdown();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// For handles

	/**
	 * Sends an operation and completes the future with {@code result} of its outcome: at once if it is
	 * refused, else when it is applied here, and, for {@code stable} ones, once every member holds it.
	 */
	<T> CompletableFuture<T> submit(@Nullable EventChannel handle, String what, LongFunction<EventOperation> operation,
			boolean stable, Function<Outcome, @Nullable T> result) {
		return submit(handle, what, operation, stable, result, null, null);
	}

	/**
	 * As above; {@code before} runs on the loop just before the operation is sent (a subscription
	 * registers), {@code undo} on the loop if the call fails.
	 */
	<T> CompletableFuture<T> submit(@Nullable EventChannel handle, String what, LongFunction<EventOperation> operation,
			boolean stable, Function<Outcome, @Nullable T> result, @Nullable Runnable before, @Nullable Runnable undo) {
		long request = this.requests.incrementAndGet();
		byte[] encoded;
		try {
			encoded = EventCodec.encode(operation.apply(request));
		}
		catch (IllegalArgumentException ex) {
			return failed(EventError.INVALID, String.valueOf(ex.getMessage()));
		}
		if (encoded.length > ReplicaGroup.MAX_OPERATION_BYTES) {
			return failed(EventError.TOO_BIG, what + ": " + encoded.length + " bytes encoded, more than "
					+ ReplicaGroup.MAX_OPERATION_BYTES);
		}
		CompletableFuture<T> future = new CompletableFuture<>();
		Pending waiting = new Pending(request, what, stable, future, result);
		waiting.onFailure = undo;
		onLoop(future, () -> {
			EventError refused = refusal(handle);
			if (refused != null) {
				fail(waiting, refused, what);
				return;
			}
			ReplicaGroup current = this.group;
			if (current.backlog() >= ReplicaGroup.OUTBOX_LIMIT) {
				fail(waiting, EventError.TRY_AGAIN, what + ": " + ReplicaGroup.OUTBOX_LIMIT + " messages wait");
				return;
			}
			if (before != null) {
				before.run();
			}
			this.pending.put(request, waiting);
			if (!current.send(encoded)) {
				this.pending.remove(request);
				fail(waiting, EventError.CLOSED, what + ": the group closed");
			}
		});
		return future;
	}

	/** Why nothing can be asked now, or {@code null}. On the event loop. */
	private @Nullable EventError refusal(@Nullable EventChannel handle) {
		if (this.closed || this.group == null || this.state == null) {
			return EventError.CLOSED;
		}
		if (handle != null && !handle.isOpen()) {
			return EventError.CLOSED;
		}
		if (!this.holdsState) {
			return EventError.NO_QUORUM;
		}
		return null;
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
			if (this.closed || !this.holdsState) {
				// leaving the group, or having dropped the state, closed it everywhere already
				callback(() -> done.complete(null));
				return;
			}
			long request = this.requests.incrementAndGet();
			Pending waiting = new Pending(request, "closing " + handle, false, done, (outcome) -> null);
			this.pending.put(request, waiting);
			if (!this.group.send(EventCodec.encode(new EventOperation.Close(request, handle.channel, handle.handle)))) {
				this.pending.remove(request);
				fail(waiting, EventError.TRY_AGAIN, "closing " + handle);
			}
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
		return this.host.currentTimeMillis();
	}

	void countPublished() {
		this.published++;
	}

	/** The replica group, for tests of this package; read it on the event loop. */
	@Nullable ReplicaGroup group() {
		return this.group;
	}

	/** The state machine, for tests of this package; read it on the event loop. */
	@Nullable EventState state() {
		return this.state;
	}

	Member self() {
		return this.group.self();
	}

	/** Runs application-facing work on the callback thread, never on the event loop; once closed, on the common pool. */
	void callback(Runnable completion) {
		try {
			this.callbacks.execute(completion);
		}
		catch (RejectedExecutionException closed) {
			CompletableFuture.runAsync(completion);
		}
	}

	/** Runs {@code work} on the event loop, or fails {@code result} if the node stopped. */
	void onLoop(CompletableFuture<?> result, Runnable work) {
		try {
			this.host.loop().execute(() -> guarded("serving an event call", work));
		}
		catch (RejectedExecutionException stopped) {
			result.completeExceptionally(new EventException(EventError.CLOSED, "the node stopped"));
		}
	}

	void countLost(long count) {
		this.lost.addAndGet(count);
	}

	// ---------------------------------------------------------------------------------------------
	// On the event loop

	private void join() {
		try {
			ReplicaGroup joined = new ReplicaGroup(this.host, GROUP_NAME, (view) -> {
				EventState created = new EventState(view, new StateListener());
				this.state = created;
				return created;
			}, new Observer());
			this.group = joined;
			joined.join();
		}
		catch (RuntimeException | Error ex) {
			shutDown("joining the group failed");
			this.host.failStop("joining the event group", ex);
		}
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

	/** One of this member's operations was delivered. */
	private void delivered(byte[] operation, boolean applied) {
		long request = EventCodec.request(operation);
		if (request == 0) {
			this.expirySent = false;
			return;
		}
		Pending waiting = this.pending.remove(request);
		if (waiting == null) {
			return;
		}
		Outcome outcome = waiting.outcome;
		if (!applied) {
			fail(waiting, EventError.NO_QUORUM, waiting.what + ": not applied (this member held no state when it "
					+ "was delivered)");
			return;
		}
		if (outcome == null) {
			fail(waiting, EventError.INVALID, waiting.what + ": the operation could not be read");
			return;
		}
		EventError error = outcome.error();
		if (error != null) {
			fail(waiting, error, outcome.detail());
			return;
		}
		if (!waiting.stable) {
			succeed(waiting, outcome);
			return;
		}
		// told once no later component can miss it, as synchronous checkpoint writes are
		this.awaitingStable.add(waiting);
		this.host.whenStable(() -> guarded("telling a publication", () -> stable(waiting)));
	}

	private void stable(Pending waiting) {
		Outcome outcome = waiting.outcome;
		if (this.awaitingStable.remove(waiting) && outcome != null) {
			acknowledge(waiting, outcome);
		}
	}

	private void acknowledge(Pending waiting, Outcome outcome) {
		if (this.group.durable()) {
			succeed(waiting, outcome);
		}
		else {
			this.awaitingDurable.add(waiting);
		}
	}

	@SuppressWarnings("unchecked")
	private void succeed(Pending waiting, Outcome outcome) {
		Object value = waiting.result.apply(outcome);
		CompletableFuture<Object> future = (CompletableFuture<Object>) waiting.future;
		callback(() -> {
			if (!future.complete(value)) {
				// the caller gave up: nobody will close what it got
				if (value instanceof EventChannel channel) {
					channel.close();
				}
				else if (value instanceof EventSubscription subscription) {
					subscription.unsubscribe();
				}
			}
		});
	}

	private void fail(Pending waiting, EventError error, String detail) {
		EventException failure = new EventException(error, detail);
		callback(() -> waiting.future.completeExceptionally(failure));
		Runnable undo = waiting.onFailure;
		if (undo != null) {
			undo.run();
		}
	}

	/** This member dropped its state, or the service closed: everything waiting fails, every handle is gone. */
	private void failAll(EventError error, String detail) {
		List<Pending> all = new ArrayList<>(this.pending.values());
		all.addAll(this.awaitingStable);
		all.addAll(this.awaitingSettle);
		all.addAll(this.awaitingDurable);
		this.pending.clear();
		this.awaitingStable.clear();
		this.awaitingDurable.clear();
		this.awaitingSettle.clear();
		for (Pending waiting : all) {
			fail(waiting, error, waiting.what + ": " + detail);
		}
		for (EventChannel handle : List.copyOf(this.handles.values())) {
			closeHandle(handle, error);
		}
		this.handles.clear();
		this.subscriptions.clear();
	}

	private void shutDown(String why) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.holdsState = false;
		cancelExpiry();
		failAll(EventError.CLOSED, why);
		ReplicaGroup current = this.group;
		if (current != null) {
			current.close();
		}
		EventException failure = new EventException(EventError.CLOSED, why);
		callback(() -> this.ready.completeExceptionally(failure));
		callback(this.callbacks::shutdown);
	}

	/** An internal error here is a broken replica: the group closes and the node stops. */
	private void guarded(String during, Runnable work) {
		ReplicaGroup current = this.group;
		if (current != null) {
			current.guarded(during, work);
			return;
		}
		try {
			work.run();
		}
		catch (RuntimeException | Error ex) {
			shutDown("an internal error");
			this.host.failStop(during, ex);
		}
	}

	private static <T> CompletableFuture<T> failed(EventError error, String detail) {
		return CompletableFuture.failedFuture(new EventException(error, detail));
	}

	// ---------------------------------------------------------------------------------------------
	// The coordinator's timer

	/** Arms the timer for the soonest end of a retention. */
	private void armTimer() {
		EventState current = this.state;
		if (!this.coordinating || current == null || this.closed) {
			return;
		}
		this.timerChangesSeen = current.timerChanges();
		long next = current.nextExpiration();
		if (next != this.expiryArmedFor || this.expiryTimer == null) {
			cancelExpiry();
			if (next != EventState.NEVER && !this.expirySent) {
				this.expiryArmedFor = next;
				long delay = Math.max(0, next - this.host.currentTimeMillis());
				this.expiryTimer = this.host.schedule(delay, () -> guarded("running the event retention timer", this::expire));
			}
		}
	}

	private void expire() {
		this.expiryTimer = null;
		this.expiryArmedFor = EventState.NEVER;
		if (!this.coordinating || this.closed) {
			return;
		}
		if (this.group.send(EventCodec.encode(new Expire(0, this.host.currentTimeMillis())))) {
			this.expirySent = true;
		}
		else {
			this.expiryTimer = this.host.schedule(RESEND_MILLIS, () -> guarded("running the event retention timer",
					this::expire));
		}
	}

	private void cancelExpiry() {
		Runnable cancel = this.expiryTimer;
		if (cancel != null) {
			cancel.run();
		}
		this.expiryTimer = null;
		this.expiryArmedFor = EventState.NEVER;
	}

	// ---------------------------------------------------------------------------------------------

	private record SubscriptionKey(long handle, long subscription) {
	}

	/** A call of this member's, from its sending until it is told. */
	static final class Pending {

		final long request;

		final String what;

		final boolean stable;

		final CompletableFuture<?> future;

		final Function<Outcome, ?> result;

		@Nullable Outcome outcome;

		/** Runs on the loop if the call fails (a subscription registered before it was sent goes). */
		@Nullable Runnable onFailure;

		Pending(long request, String what, boolean stable, CompletableFuture<?> future, Function<Outcome, ?> result) {
			this.request = request;
			this.what = what;
			this.stable = stable;
			this.future = future;
			this.result = result;
		}

	}

	/** What the state tells this member. */
	private final class StateListener implements EventState.Listener {

		@Override
		public void applied(long request, Outcome outcome) {
			Pending waiting = EventService.this.pending.get(request);
			if (waiting != null) {
				waiting.outcome = outcome;
			}
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
			boolean was = EventService.this.coordinating;
			EventService.this.coordinating = coordinator;
			if (!coordinator) {
				cancelExpiry();
				EventService.this.expirySent = false;
			}
			else {
				if (!was) {
					logger.debug("Event service: this member runs the retention timer");
				}
				armTimer();
			}
		}

		@Override
		public void lost() {
			EventService.this.coordinating = false;
			cancelExpiry();
			EventService.this.expirySent = false;
		}

	}

	/** What the replica group tells this member. */
	private final class Observer implements ReplicaGroup.Observer {

		@Override
		public void synchronizedChanged(boolean synced) {
			EventService.this.holdsState = synced;
			if (synced) {
				if (!EventService.this.ready.isDone()) {
					callback(() -> EventService.this.ready.complete(null));
				}
				return;
			}
			logger.info("Event service: this member dropped its state; its channel handles and subscriptions are "
					+ "closed and what it waited for fails");
			failAll(EventError.NO_QUORUM, "this member dropped its state (it left the primary component, or its "
					+ "state was stale); the outcome is unknown");
		}

		@Override
		public void delivered(Member from, byte[] operation, boolean applied) {
			if (from.equals(EventService.this.group.self())) {
				EventService.this.delivered(operation, applied);
			}
		}

		@Override
		public void ringChanged(long ringSeq) {
			Set<Pending> stable = EventService.this.awaitingStable;
			if (stable.isEmpty()) {
				return;
			}
			EventService.this.awaitingSettle.addAll(stable);
			stable.clear();
			// a delivery in the new ring tells them even when the group's membership did not change
			if (EventService.this.holdsState) {
				EventService.this.group.send(EventCodec.encode(new Barrier(0)));
			}
		}

		@Override
		public void afterEvent() {
			ReplicaGroup current = EventService.this.group;
			Set<Pending> settle = EventService.this.awaitingSettle;
			if (!settle.isEmpty() && current.settled()) {
				List<Pending> told = List.copyOf(settle);
				settle.clear();
				for (Pending waiting : told) {
					Outcome outcome = waiting.outcome;
					if (outcome != null) {
						acknowledge(waiting, outcome);
					}
				}
			}
			Set<Pending> durable = EventService.this.awaitingDurable;
			if (!durable.isEmpty() && current.durable()) {
				List<Pending> told = List.copyOf(durable);
				durable.clear();
				for (Pending waiting : told) {
					succeed(waiting, waiting.outcome);
				}
			}
			EventState machine = EventService.this.state;
			if (EventService.this.coordinating && machine != null
					&& machine.timerChanges() != EventService.this.timerChangesSeen) {
				armTimer();
			}
		}

		@Override
		public void failed() {
			shutDown("the node stopped the event group after an internal error");
		}

	}

}
