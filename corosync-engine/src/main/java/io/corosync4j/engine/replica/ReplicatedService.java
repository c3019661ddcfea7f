package io.corosync4j.engine.replica;

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
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongFunction;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service on a {@link ReplicaGroup} does alike, so that each states only what is its own
 * (its state machine, its operations, its errors, its handles):
 * <ul>
 * <li>joins the group on the node's event loop and serves every call there;</li>
 * <li>completes callers' futures, and runs application code, on a callback thread of its own, never on
 * the event loop, which never waits;</li>
 * <li>tells a call once its operation is applied here, and a {@linkplain Call#safe() safe} one once it
 * is also stable (every member of the ring holds it, or the next ring settled with this state) and
 * durable (members on two nodes hold the state): after that no primary component can form that missed
 * it;</li>
 * <li>fails what waits when this member drops the state, and, on an internal error, closes the group
 * and stops the node (fail-stop): a replica is never half-applied.</li>
 * </ul>
 * A subclass calls {@link #start()} last in its constructor.
 *
 * @param <S> the replicated state
 * @param <O> what applying one of this member's operations gave
 */
public abstract class ReplicatedService<S extends ReplicatedState, O> implements AutoCloseable {

	/** Why a call fails before or without its operation being applied: each service names it with its own error. */
	protected enum Refusal {

		/** The service or the handle is closed, or the node stopped. */
		CLOSED,

		/** This member does not hold the state (outside the primary component, or not synchronized yet). */
		NO_QUORUM,

		/** The group's send queue is full; the call may be made again. */
		TRY_AGAIN,

		/** The operation is larger than a replicated group sends. */
		TOO_BIG,

		/** The call's arguments cannot be encoded, or the operation could not be read where it was applied. */
		INVALID

	}

	/** No expiration: {@link ExpiryTimer#arm} with it arms nothing. */
	public static final long NEVER = Long.MAX_VALUE;

	private static final Logger logger = LoggerFactory.getLogger(ReplicatedService.class);

	/** How soon a timer's operation is tried again when the group's queue was full. */
	private static final long RESEND_MILLIS = 100;

	private final ReplicaHost host;

	private final String groupName;

	private final String description;

	private final ExecutorService callbacks;

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private final AtomicLong requests = new AtomicLong();

	// on the event loop

	private @Nullable ReplicaGroup group;

	private @Nullable S state;

	/** Operations sent, not delivered yet, by request. */
	private final Map<Long, Call<?>> pending = new LinkedHashMap<>();

	/** Applied, waiting for every member of the ring to hold them (or for the ring to end). */
	private final Set<Call<?>> awaitingStable = new LinkedHashSet<>();

	/** Applied in a ring that ended before they were stable: told once the next ring settles with this state. */
	private final Set<Call<?>> awaitingSettle = new LinkedHashSet<>();

	/** Stable, waiting for members on a second node to hold the state ({@link ReplicaGroup#durable()}). */
	private final Set<Call<?>> awaitingDurable = new LinkedHashSet<>();

	private boolean closed;

	/** Whether this member runs the group's timers: it was the coordinator at the last settle. */
	private boolean coordinating;

	// read from any thread, written on the loop

	private volatile boolean holdsState;

	/**
	 * @param groupName the CPG group
	 * @param description what the service is, for logs and errors ("checkpoint")
	 * @param callbacks runs completions and application code (shut down when the service closes); a
	 * simulation passes one that runs them at once, in its own order
	 */
	protected ReplicatedService(ReplicaHost host, String groupName, String description, ExecutorService callbacks) {
		this.host = host;
		this.groupName = groupName;
		this.description = description;
		this.callbacks = callbacks;
	}

	/** A single daemon thread named {@code name}, for the callbacks of a service the node starts. */
	protected static ExecutorService callbackThread(String name) {
		return Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	/** Joins the group on the event loop; the last call of a subclass's constructor. */
	protected final void start() {
		try {
			this.host.loop().execute(this::join);
		}
		catch (RejectedExecutionException stopped) {
			this.closed = true;
			this.ready.completeExceptionally(exception(Refusal.CLOSED, "the node stopped"));
			this.callbacks.shutdown();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/** Completes when this member first holds the state (its component is primary and it synchronized). */
	public CompletionStage<Void> ready() {
		return this.ready.minimalCompletionStage();
	}

	/** Whether this member holds the state now: it is in the primary component and synchronized. */
	public boolean holdsState() {
		return this.holdsState;
	}

	/** Messages of the group that could not be read, dropped (by the group, or by the state). */
	public long malformedMessages() {
		ReplicaGroup current = this.group;
		return ((current != null) ? current.malformedMessages() : 0) + malformedOperations();
	}

	/**
	 * Leaves the group: waiting calls fail as closed, and this member's handles close (everywhere, as the
	 * others see it leave). What the state holds stays with the other members. Returns at once.
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
	// What a subclass supplies

	/** The state machine, made when the group is joined; its listener tells {@link #applied}. */
	protected abstract S newState(ReplicaView view);

	/** The request number an encoded operation carries; 0 for one a timer sent. */
	protected abstract long requestOf(byte[] operation);

	/** An encoded operation that changes nothing: a delivery in a new ring, so waiting calls are told there. */
	protected abstract byte[] barrier();

	/** The service's exception for a refusal. */
	protected abstract Exception exception(Refusal refusal, String detail);

	/** The service's exception if the state refused the operation, else {@code null}. */
	protected abstract @Nullable Exception rejection(O outcome);

	/** Operations the state could not read, dropped. */
	protected long malformedOperations() {
		return 0;
	}

	/** One of this member's timer operations (request 0) was delivered. */
	protected void timerOperationDelivered() {
	}

	/** This member came to hold the state ({@code true}), or dropped it after its calls failed. */
	protected void holdsStateChanged(boolean holds) {
	}

	/** Every handle of this member is gone, for {@code why} (this member dropped the state, or the service closed). */
	protected void handlesGone(Refusal why, String detail) {
	}

	/**
	 * Whether this member runs the group's timers changed, or what they time did; arm or cancel them. Called
	 * at every settle and loss of the state, and after each event while {@link #timersChanged()}.
	 */
	protected void armTimers(boolean coordinating) {
	}

	/** Whether what the timers time changed since {@link #armTimers} last ran. */
	protected boolean timersChanged() {
		return false;
	}

	/** After each event of the group, with the calls told. */
	protected void afterEvent() {
	}

	/** A call succeeded with {@code value} but its caller had given up on it: close what nobody will. */
	protected void abandoned(@Nullable Object value) {
	}

	/** A call failed (for statistics). */
	protected void callFailed() {
	}

	// ---------------------------------------------------------------------------------------------
	// For subclasses

	protected final ReplicaHost host() {
		return this.host;
	}

	/** The state; on the event loop, {@code null} until the group is joined. */
	protected final @Nullable S currentState() {
		return this.state;
	}

	/** The group; on the event loop, {@code null} until it is joined. */
	protected final @Nullable ReplicaGroup currentGroup() {
		return this.group;
	}

	protected final boolean isClosed() {
		return this.closed;
	}

	protected final boolean coordinating() {
		return this.coordinating;
	}

	/** A call whose operation {@code operation} makes with its request number, told with {@code result} of its outcome. */
	protected final <T> Call<T> call(String what, LongFunction<byte[]> operation, Function<O, @Nullable T> result) {
		return new Call<>(what, operation, result);
	}

	/** Encodes the call here and sends it from the event loop; the future completes on the callback thread. */
	protected final <T> CompletableFuture<T> submit(Call<T> call) {
		byte[] encoded = encode(call);
		if (encoded != null) {
			onLoop(call.future, () -> send(call, encoded));
		}
		return call.future;
	}

	/** As {@link #submit}, already on the event loop; false, with the call failed, if it was refused. */
	protected final boolean submitOnLoop(Call<?> call) {
		byte[] encoded = encode(call);
		return encoded != null && send(call, encoded);
	}

	/** Why no call can be made now, or {@code null}. On the event loop. */
	protected final @Nullable Refusal refusal() {
		if (this.closed || this.group == null || this.state == null) {
			return Refusal.CLOSED;
		}
		if (!this.holdsState) {
			return Refusal.NO_QUORUM;
		}
		return null;
	}

	/** Sends a timer's operation (request 0); false if the group's queue has no room or it closed. */
	protected final boolean sendTimerOperation(byte[] operation) {
		ReplicaGroup current = this.group;
		return current != null && !this.closed && current.backlog() < ReplicaGroup.OUTBOX_LIMIT && current.send(operation);
	}

	/** The state's listener tells what applying one of this member's operations gave. */
	protected final void applied(long request, O outcome) {
		Call<?> waiting = this.pending.get(request);
		if (waiting != null) {
			waiting.outcome = outcome;
		}
	}

	/** The state's listener tells the group settled, this member coordinating or not. */
	protected final void settled(boolean coordinator) {
		if (coordinator && !this.coordinating) {
			logger.debug("{} service: this member runs the group's timers", this.description);
		}
		this.coordinating = coordinator;
		armTimers(coordinator);
	}

	/** The state's listener tells the state was dropped. */
	protected final void lost() {
		this.coordinating = false;
		armTimers(false);
	}

	/** Runs {@code work} on the event loop, or fails {@code result} as closed if the node stopped. */
	protected final void onLoop(CompletableFuture<?> result, Runnable work) {
		try {
			this.host.loop().execute(() -> guarded("serving a " + this.description + " call", work));
		}
		catch (RejectedExecutionException stopped) {
			result.completeExceptionally(exception(Refusal.CLOSED, "the node stopped"));
		}
	}

	/** Runs {@code task} on the event loop after {@code delayMillis}, guarded; the result cancels it. */
	protected final Runnable schedule(long delayMillis, String during, Runnable task) {
		return this.host.schedule(Math.max(0, delayMillis), () -> guarded(during, task));
	}

	/** An internal error here is a broken replica: the group closes and the node stops. */
	protected final void guarded(String during, Runnable work) {
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

	/**
	 * Runs application-facing code on the callback thread, never on the event loop; once the service
	 * closed, on the common pool.
	 */
	protected final void callback(Runnable completion) {
		try {
			this.callbacks.execute(completion);
		}
		catch (RejectedExecutionException closed) {
			CompletableFuture.runAsync(completion);
		}
	}

	/** Fails {@code future} on the callback thread. */
	protected final void fail(CompletableFuture<?> future, Refusal refusal, String detail) {
		Exception failure = exception(refusal, detail);
		callback(() -> future.completeExceptionally(failure));
	}

	/** A future failed at once, for a call refused before anything is sent. */
	protected final <T> CompletableFuture<T> failed(Refusal refusal, String detail) {
		return CompletableFuture.failedFuture(exception(refusal, detail));
	}

	// ---------------------------------------------------------------------------------------------
	// On the event loop

	private void join() {
		try {
			ReplicaGroup joined = new ReplicaGroup(this.host, this.groupName, (view) -> {
				S created = newState(view);
				this.state = created;
				return created;
			}, new Observer());
			this.group = joined;
			joined.join();
		}
		catch (RuntimeException | Error ex) {
			shutDown("joining the group failed");
			this.host.failStop("joining the " + this.description + " group", ex);
		}
	}

	/**
	 * The call's operation, or {@code null} with the call failed if it cannot be sent. On the caller's
	 * thread for {@link #submit}: nothing of the loop's is touched here.
	 */
	private byte @Nullable [] encode(Call<?> call) {
		long request = this.requests.incrementAndGet();
		call.request = request;
		Exception refused;
		try {
			byte[] encoded = call.operation.apply(request);
			if (encoded.length <= ReplicaGroup.MAX_OPERATION_BYTES) {
				return encoded;
			}
			refused = exception(Refusal.TOO_BIG, call.what + ": " + encoded.length + " bytes encoded, more than "
					+ ReplicaGroup.MAX_OPERATION_BYTES);
		}
		catch (IllegalArgumentException ex) {
			refused = exception(Refusal.INVALID, String.valueOf(ex.getMessage()));
		}
		Exception failure = refused;
		callback(() -> call.future.completeExceptionally(failure));
		return null;
	}

	private boolean send(Call<?> call, byte[] encoded) {
		Refusal refused = refusal();
		if (refused == null && call.open != null && !call.open.getAsBoolean()) {
			refused = Refusal.CLOSED;
		}
		if (refused != null) {
			failCall(call, exception(refused, call.what));
			return false;
		}
		ReplicaGroup current = this.group;
		if (call.bounded && current.backlog() >= ReplicaGroup.OUTBOX_LIMIT) {
			failCall(call, exception(Refusal.TRY_AGAIN, call.what + ": " + ReplicaGroup.OUTBOX_LIMIT + " messages wait"));
			return false;
		}
		if (call.before != null) {
			call.before.run();
		}
		this.pending.put(call.request, call);
		if (!current.send(encoded)) {
			this.pending.remove(call.request);
			failCall(call, exception(Refusal.CLOSED, call.what + ": the group closed"));
			return false;
		}
		return true;
	}

	/** One of this member's operations was delivered. */
	private void delivered(byte[] operation, boolean applied) {
		long request = requestOf(operation);
		if (request == 0) {
			timerOperationDelivered();
			return;
		}
		Call<?> waiting = this.pending.remove(request);
		if (waiting == null) {
			return;
		}
		O outcome = waiting.outcome;
		if (!applied) {
			failCall(waiting, exception(Refusal.NO_QUORUM, waiting.what + ": not applied (this member held no state "
					+ "when it was delivered)"));
			return;
		}
		if (outcome == null) {
			failCall(waiting, exception(Refusal.INVALID, waiting.what + ": the operation could not be read"));
			return;
		}
		Exception rejected = rejection(outcome);
		if (rejected != null) {
			failCall(waiting, rejected);
			return;
		}
		if (!waiting.safe) {
			succeed(waiting);
			return;
		}
		awaitStable(waiting);
	}

	/**
	 * Told once no later primary component can miss it: every member of the ring holds it and what made
	 * the state durable (the chunk that completed a transfer to another node), or, if the ring breaks
	 * first, the next ring settled with this member's state in it (the members that came through then
	 * delivered all of it).
	 */
	private void awaitStable(Call<?> waiting) {
		boolean durable = this.group.durable();
		this.awaitingStable.add(waiting);
		if (!this.host.whenStable(() -> guarded("telling a " + this.description + " call", () -> {
			if (this.awaitingStable.remove(waiting)) {
				stable(waiting, durable);
			}
		}))) {
			this.awaitingStable.remove(waiting);
			this.awaitingSettle.add(waiting);
		}
	}

	/**
	 * Every member of the ring holds the call's operation, and everything delivered before the state was
	 * {@code durable} or not then: told if it was; if it became durable since, the delivery that made it so
	 * must be held by every member too.
	 */
	private void stable(Call<?> waiting, boolean durable) {
		if (durable) {
			succeed(waiting);
		}
		else if (this.group.durable()) {
			awaitStable(waiting);
		}
		else {
			this.awaitingDurable.add(waiting);
		}
	}

	/**
	 * The ring changed before the call was stable and the next one settled with this state: everything
	 * delivered before is held by every member that came through. Told once it survives the failure of any
	 * one node: while this member is the only holder of the state and the others still receive it, it
	 * waits for one of them to hold it.
	 */
	private void settledWith(Call<?> waiting) {
		if (this.group.durable()) {
			succeed(waiting);
		}
		else {
			this.awaitingDurable.add(waiting);
		}
	}

	private <T> void succeed(Call<T> waiting) {
		T value = waiting.result.apply(waiting.outcome);
		if (waiting.onSuccess != null) {
			waiting.onSuccess.run();
		}
		CompletableFuture<T> future = waiting.future;
		callback(() -> {
			if (!future.complete(value)) {
				abandoned(value);
			}
		});
	}

	private void failCall(Call<?> call, Exception failure) {
		callFailed();
		callback(() -> call.future.completeExceptionally(failure));
		if (call.undo != null) {
			call.undo.run();
		}
	}

	/** This member dropped its state, or the service closed: everything waiting fails, every handle is gone. */
	private void failAll(Refusal why, String detail) {
		List<Call<?>> all = new ArrayList<>(this.pending.values());
		all.addAll(this.awaitingStable);
		all.addAll(this.awaitingSettle);
		all.addAll(this.awaitingDurable);
		this.pending.clear();
		this.awaitingStable.clear();
		this.awaitingSettle.clear();
		this.awaitingDurable.clear();
		for (Call<?> waiting : all) {
			failCall(waiting, exception(why, waiting.what + ": " + detail));
		}
		handlesGone(why, detail);
	}

	private void shutDown(String why) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.holdsState = false;
		this.coordinating = false;
		armTimers(false);
		failAll(Refusal.CLOSED, why);
		ReplicaGroup current = this.group;
		if (current != null) {
			current.close();
		}
		Exception failure = exception(Refusal.CLOSED, why);
		callback(() -> this.ready.completeExceptionally(failure));
		callback(this.callbacks::shutdown);
	}

	// ---------------------------------------------------------------------------------------------

	/** A call of this member's, from its sending until it is told. */
	protected final class Call<T> {

		private final String what;

		private final LongFunction<byte[]> operation;

		private final Function<O, @Nullable T> result;

		private final CompletableFuture<T> future = new CompletableFuture<>();

		private boolean safe;

		private @Nullable BooleanSupplier open;

		private boolean bounded = true;

		private @Nullable Runnable before;

		private @Nullable Runnable undo;

		private @Nullable Runnable onSuccess;

		private long request;

		private @Nullable O outcome;

		private Call(String what, LongFunction<byte[]> operation, Function<O, @Nullable T> result) {
			this.what = what;
			this.operation = operation;
			this.result = result;
		}

		/** Told once applied, stable and durable, not just applied here. */
		public Call<T> safe() {
			this.safe = true;
			return this;
		}

		/** Refused as closed if {@code open} is false when it would be sent (a handle closed meanwhile). */
		public Call<T> whileOpen(BooleanSupplier open) {
			this.open = open;
			return this;
		}

		/**
		 * Sent even when the group's queue holds {@link ReplicaGroup#OUTBOX_LIMIT} messages: it ends
		 * something (a handle's close), it does not ask for new work.
		 */
		public Call<T> evenWhenBusy() {
			this.bounded = false;
			return this;
		}

		/** Runs on the event loop just before the operation is sent (a subscription registers). */
		public Call<T> before(Runnable before) {
			this.before = before;
			return this;
		}

		/** Runs on the event loop if the call fails. */
		public Call<T> undo(Runnable undo) {
			this.undo = undo;
			return this;
		}

		/** Runs on the event loop when the call succeeds, before its caller is told. */
		public Call<T> onSuccess(Runnable onSuccess) {
			this.onSuccess = onSuccess;
			return this;
		}

		public CompletableFuture<T> future() {
			return this.future;
		}

		/** The call's request number, once it was submitted. */
		public long request() {
			return this.request;
		}

	}

	/**
	 * The coordinator's timers for the retentions that run, one per name and generation: when one runs out,
	 * the operation that ends it is multicast, so it ends at one point of the order for everybody.
	 */
	protected final class RetentionTimers {

		private final Map<String, Timer> timers = new HashMap<>();

		private final String during;

		private final Function<Retention, byte[]> end;

		/**
		 * @param during what the timers are, for an internal error's report
		 * @param end the timer operation (request 0) that ends a retention
		 */
		public RetentionTimers(String during, Function<Retention, byte[]> end) {
			this.during = during;
			this.end = end;
		}

		/** Times each of {@code running}, keeps a timer armed for the same generation, cancels the others. */
		public void arm(List<Retention> running) {
			Map<String, Timer> stale = new HashMap<>(this.timers);
			for (Retention retention : running) {
				Timer timer = stale.remove(retention.name());
				if (timer != null && timer.generation == retention.generation()) {
					continue;
				}
				if (timer != null) {
					timer.cancel.run();
				}
				this.timers.put(retention.name(), new Timer(retention.generation(),
						schedule(retention.millis(), this.during, () -> runOut(retention))));
			}
			for (Map.Entry<String, Timer> gone : stale.entrySet()) {
				gone.getValue().cancel.run();
				this.timers.remove(gone.getKey());
			}
		}

		public void cancel() {
			for (Timer timer : this.timers.values()) {
				timer.cancel.run();
			}
			this.timers.clear();
		}

		private void runOut(Retention retention) {
			Timer timer = this.timers.get(retention.name());
			if (timer == null || timer.generation != retention.generation() || !coordinating() || isClosed()) {
				return;
			}
			if (sendTimerOperation(this.end.apply(retention))) {
				// kept, spent, so the same generation is not timed again before its end is applied
				this.timers.put(retention.name(), new Timer(retention.generation(), () -> {
				}));
				logger.debug("{} service: the retention of '{}' ran out", ReplicatedService.this.description,
						retention.name());
			}
			else {
				this.timers.put(retention.name(), new Timer(retention.generation(),
						schedule(RESEND_MILLIS, this.during, () -> runOut(retention))));
			}
		}

	}

	/**
	 * The coordinator's timer for the soonest expiration in the state (a section's, a retained event's):
	 * when it runs out, the operation that expires everything due by the coordinator's clock is multicast.
	 * One such operation is on its way at a time.
	 */
	protected final class ExpiryTimer {

		private final String during;

		private final LongFunction<byte[]> expire;

		private @Nullable Runnable timer;

		/** The expiration the timer is armed for. */
		private long armedFor = NEVER;

		/** An operation of the timer's is on its way: no other until it is applied. */
		private boolean sent;

		/**
		 * @param during what the timer is, for an internal error's report
		 * @param expire the timer operation (request 0) that expires what is due at the given time
		 */
		public ExpiryTimer(String during, LongFunction<byte[]> expire) {
			this.during = during;
			this.expire = expire;
		}

		/** Times the soonest expiration, {@link #NEVER} for none. */
		public void arm(long next) {
			if (next == this.armedFor && this.timer != null) {
				return;
			}
			stop();
			if (next != NEVER && !this.sent) {
				this.armedFor = next;
				this.timer = schedule(next - ReplicatedService.this.host.currentTimeMillis(), this.during, this::runOut);
			}
		}

		/** The timer's operation was delivered: the next may be sent. */
		public void delivered() {
			this.sent = false;
		}

		public void cancel() {
			stop();
			this.sent = false;
		}

		private void stop() {
			Runnable cancel = this.timer;
			if (cancel != null) {
				cancel.run();
			}
			this.timer = null;
			this.armedFor = NEVER;
		}

		private void runOut() {
			this.timer = null;
			this.armedFor = NEVER;
			if (!coordinating() || isClosed()) {
				return;
			}
			if (sendTimerOperation(this.expire.apply(ReplicatedService.this.host.currentTimeMillis()))) {
				this.sent = true;
			}
			else {
				this.timer = schedule(RESEND_MILLIS, this.during, this::runOut);
			}
		}

	}

	private record Timer(long generation, Runnable cancel) {
	}

	/** What the replica group tells this member. */
	private final class Observer implements ReplicaGroup.Observer {

		@Override
		public void synchronizedChanged(boolean synced) {
			ReplicatedService.this.holdsState = synced;
			if (synced) {
				holdsStateChanged(true);
				if (!ReplicatedService.this.ready.isDone()) {
					callback(() -> ReplicatedService.this.ready.complete(null));
				}
				return;
			}
			logger.info("{} service: this member dropped its state; its handles are closed and what it waited for fails",
					ReplicatedService.this.description);
			failAll(Refusal.NO_QUORUM, "this member dropped its state (it left the primary component, or its state "
					+ "was stale); the outcome is unknown");
			holdsStateChanged(false);
		}

		@Override
		public void delivered(Member from, byte[] operation, boolean applied) {
			if (from.equals(ReplicatedService.this.group.self())) {
				ReplicatedService.this.delivered(operation, applied);
			}
		}

		@Override
		public void ringChanged(long ringSeq) {
			Set<Call<?>> stable = ReplicatedService.this.awaitingStable;
			if (stable.isEmpty()) {
				return;
			}
			ReplicatedService.this.awaitingSettle.addAll(stable);
			stable.clear();
			// a delivery in the new ring tells them even when the group's membership did not change
			if (ReplicatedService.this.holdsState) {
				ReplicatedService.this.group.send(barrier());
			}
		}

		@Override
		public void afterEvent() {
			ReplicaGroup current = ReplicatedService.this.group;
			Set<Call<?>> settle = ReplicatedService.this.awaitingSettle;
			if (!settle.isEmpty() && current.settled()) {
				List<Call<?>> told = List.copyOf(settle);
				settle.clear();
				for (Call<?> waiting : told) {
					settledWith(waiting);
				}
			}
			Set<Call<?>> durable = ReplicatedService.this.awaitingDurable;
			if (!durable.isEmpty() && current.durable()) {
				List<Call<?>> told = List.copyOf(durable);
				durable.clear();
				for (Call<?> waiting : told) {
					// told once the delivery that made the state durable is held by every member
					awaitStable(waiting);
				}
			}
			if (ReplicatedService.this.coordinating && timersChanged()) {
				armTimers(true);
			}
			ReplicatedService.this.afterEvent();
		}

		@Override
		public void failed() {
			shutDown("the node stopped the " + ReplicatedService.this.description + " group after an internal error");
		}

	}

}
