package io.corosync4j.engine.message;

import java.time.Duration;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;

import io.corosync4j.engine.message.MessageOperation.Ack;
import io.corosync4j.engine.message.MessageOperation.Close;
import io.corosync4j.engine.message.MessageOperation.CreateGroup;
import io.corosync4j.engine.message.MessageOperation.DeleteGroup;
import io.corosync4j.engine.message.MessageOperation.Open;
import io.corosync4j.engine.message.MessageOperation.Reply;
import io.corosync4j.engine.message.MessageOperation.Retire;
import io.corosync4j.engine.message.MessageOperation.Send;
import io.corosync4j.engine.message.MessageOperation.Synchronize;
import io.corosync4j.engine.message.MessageState.Idle;
import io.corosync4j.engine.message.MessageState.Message;
import io.corosync4j.engine.message.MessageState.Outcome;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaGroup;
import io.corosync4j.engine.replica.ReplicaHost;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message queues (the AIS MSG service) for this node's processes: a member of the CPG group
 * {@value #GROUP_NAME} holding every queue and every unacknowledged message of the cluster, replicated by
 * a {@link ReplicaGroup} that runs the {@link MessageState} on the node's event loop. Callbacks (messages,
 * delivery failures) and callers' futures run on a thread of the service's own, never on the event loop.
 * Thread-safe.
 *
 * <p>The guarantee, at-least-once with deduplication by id: a message whose {@link #send} completed is
 * held by every member of the primary component, so it survives the failure of any one node; it stays in
 * its queue until the queue's consumer acknowledges it, and an acknowledged message is never handed to
 * anybody again. If the consumer's process leaves (or closes the queue) first, at that point of the order
 * the message moves to another queue of the same group whose consumer is live (by the group's policy), or
 * stays in its queue if that is persistent, or is returned to its sender ({@link DeliveryFailure}). A
 * moved message may thus be handed twice, to two consumers, with the same id; a handler deduplicates by
 * {@link Delivery#id()}.
 *
 * <p>Calls made while this member holds no state fail at once with {@link MessageError#NO_QUORUM}.
 */
public final class MessageService implements AutoCloseable {

	/** The CPG group the message service's members share. */
	public static final String GROUP_NAME = "corosync4j:msg";

	/** The longest queue or group name, in UTF-8 bytes ({@code SA_MAX_NAME_LENGTH}). */
	public static final int MAX_NAME_BYTES = 256;

	/** The largest operation, encoded: larger messages fail with {@link MessageError#TOO_BIG} before anything is sent. */
	public static final int MAX_OPERATION_BYTES = ReplicaGroup.MAX_OPERATION_BYTES;

	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.msg");

	/** How soon a timer's operation is tried again when the send queue was full. */
	private static final long RESEND_MILLIS = 100;

	private final ReplicaHost host;

	private final ExecutorService callbacks;

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private final AtomicLong requests = new AtomicLong();

	private volatile @Nullable Consumer<DeliveryFailure> failures;

	// on the event loop

	private @Nullable ReplicaGroup group;

	private @Nullable MessageState state;

	/** Operations sent, not applied yet, by request. */
	private final Map<Long, Pending> pending = new LinkedHashMap<>();

	/** Sends applied, waiting for every member of the ring to hold them (or for the ring to end). */
	private final Set<Pending> awaitingStable = new LinkedHashSet<>();

	/** Applied in a ring that ended before they were stable: told once the next ring settles with this state. */
	private final Set<Pending> awaitingSettle = new LinkedHashSet<>();

	/** Stable sends waiting for a second node to hold the state. */
	private final Set<Pending> awaitingDurable = new LinkedHashSet<>();

	/** Sends waiting for their consumer's acknowledgement or reply, by request. */
	private final Map<Long, Waiting> waiting = new HashMap<>();

	/** This member's open queues, by name. */
	private final Map<String, Local> queues = new LinkedHashMap<>();

	private boolean closed;

	private boolean coordinating;

	private long timerChangesSeen = -1;

	private final Map<String, Timer> retentionTimers = new HashMap<>();

	// read from any thread, written on the loop

	private volatile boolean holdsState;

	/** Joins the message group; calls can be made once {@link #ready()} completes. */
	public MessageService(ReplicaHost host) {
		this(host, Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "corosync-messages");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * Joins the message group, running callbacks with {@code callbacks} (shut down when the service
	 * closes); a simulation passes one that runs them at once, in its own order.
	 */
	public MessageService(ReplicaHost host, ExecutorService callbacks) {
		this.host = host;
		this.callbacks = callbacks;
		try {
			host.loop().execute(this::join);
		}
		catch (RejectedExecutionException stopped) {
			this.closed = true;
			this.ready.completeExceptionally(new MessageException(MessageError.CLOSED, "the node stopped"));
			callbacks.shutdown();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/** Completes when this member first holds the state (its component is primary and it synchronized). */
	public CompletionStage<Void> ready() {
		return this.ready.minimalCompletionStage();
	}

	/** Whether this member holds the message state now. */
	public boolean holdsState() {
		return this.holdsState;
	}

	/** Where messages this member sent and that came back go (on the callback thread); none by default. */
	public void onDeliveryFailure(@Nullable Consumer<DeliveryFailure> listener) {
		this.failures = listener;
	}

	/** Creates a queue group; fails {@link MessageError#EXISTS} if one has the name. */
	public CompletableFuture<Void> createGroup(String name, GroupPolicy policy) {
		if (!MessageCodec.validName(name)) {
			return invalidName(name);
		}
		return submit("creating queue group '" + name + "'", (request) -> new CreateGroup(request, name, policy),
				(outcome) -> null);
	}

	/** Deletes a queue group; its queues stay, outside any group. */
	public CompletableFuture<Void> deleteGroup(String name) {
		if (!MessageCodec.validName(name)) {
			return invalidName(name);
		}
		return submit("deleting queue group '" + name + "'", (request) -> new DeleteGroup(request, name),
				(outcome) -> null);
	}

	/**
	 * Opens a queue, creating it if none has the name, this process becoming its consumer: {@code handler}
	 * is handed its messages. Fails {@link MessageError#EXISTS} if another process has it open or it exists
	 * with other attributes; {@link MessageError#NOT_FOUND} if {@code group} is given and does not exist.
	 * @param group a queue group to put the queue in, or {@code null}
	 */
	public CompletableFuture<MessageQueue> open(String name, QueueAttributes attributes, @Nullable String group,
			MessageHandler handler) {
		if (!MessageCodec.validName(name)) {
			return invalidName(name);
		}
		if (group != null && !MessageCodec.validName(group)) {
			return invalidName(group);
		}
		String problem = attributes.problem();
		if (problem != null) {
			return failed(MessageError.INVALID, problem);
		}
		MessageQueue handle = new MessageQueue(this, name, attributes, handler);
		CompletableFuture<MessageQueue> future = new CompletableFuture<>();
		onLoop(future, () -> {
			if (this.queues.containsKey(name)) {
				fail(future, MessageError.EXISTS, "queue '" + name + "' is open by this process");
				return;
			}
			Local local = new Local(handle);
			this.queues.put(name, local);
			CompletableFuture<MessageQueue> sent = submit("opening queue '" + name + "'",
					(request) -> new Open(request, name, attributes, (group != null) ? group : ""), (outcome) -> {
						// on the event loop, before the handed-out messages are pumped
						local.opened = true;
						return handle;
					});
			sent.whenComplete((value, failure) -> {
				if (failure == null) {
					future.complete(value);
				}
				else {
					onLoop(future, () -> {
						if (this.queues.get(name) == local) {
							this.queues.remove(name);
						}
						handle.closed(null);
						future.completeExceptionally(failure);
					});
				}
			});
		});
		return future;
	}

	/**
	 * Sends a message; completes with its id (one per queue for a broadcast) once it is enqueued and safe:
	 * applied where the send falls in the order, held by every member of the ring, and by members on two
	 * nodes or more — the same point a synchronous checkpoint write is acknowledged at. Fails
	 * {@link MessageError#QUEUE_FULL} naming the queue and priority, {@link MessageError#NOT_FOUND} if there
	 * is no such queue or group.
	 * @param priority 0 (highest) to 3
	 */
	public CompletableFuture<List<Long>> send(Destination to, int priority, byte[] payload) {
		return send(to, priority, payload, 0);
	}

	/**
	 * Sends a message and completes once its consumer acknowledged it (every copy, for a broadcast).
	 * Fails {@link MessageError#NOT_FOUND} if it came back (see {@link DeliveryFailure}).
	 */
	public CompletableFuture<Void> sendAndWaitForDelivery(Destination to, int priority, byte[] payload) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		sendWaiting(to, priority, payload, MessageOperation.WAIT_FOR_ACK, done, null);
		return done;
	}

	/**
	 * Sends a request and completes with the consumer's reply ({@link MessageQueue#reply}); fails
	 * {@link MessageError#TIMEOUT} if none came within {@code timeout} (a later reply is dropped).
	 */
	public CompletableFuture<byte[]> request(Destination to, int priority, byte[] payload, Duration timeout) {
		CompletableFuture<byte[]> reply = new CompletableFuture<>();
		sendWaiting(to, priority, payload, MessageOperation.WANTS_REPLY, reply, timeout);
		return reply;
	}

	/** Messages of the group that could not be read, dropped. */
	public long malformedMessages() {
		ReplicaGroup current = this.group;
		MessageState held = this.state;
		return ((current != null) ? current.malformedMessages() : 0) + ((held != null) ? held.malformed() : 0);
	}

	/**
	 * Leaves the message group: waiting calls fail with {@link MessageError#CLOSED}, and this member's
	 * queues lose their consumer everywhere (their messages move, stay or return). Returns at once.
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
	// For handles, and for tests of this package

	/**
	 * An acknowledgement completes, as a send does, once it is safe: applied, held by every member of the
	 * ring and by members on two nodes or more. Applied alone is not enough: a ring that breaks right
	 * after may leave a primary component of members that never delivered it, and they would hand the
	 * message to another consumer after this one was told it was acknowledged.
	 */
	CompletableFuture<Void> acknowledge(MessageQueue handle, long id, byte @Nullable [] reply) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		onLoop(done, () -> {
			Local local = this.queues.get(handle.name);
			if (local == null || local.handle != handle || !handle.isOpen()) {
				fail(done, MessageError.CLOSED, handle + " is closed");
				return;
			}
			CompletableFuture<Void> sent = submit("acknowledging message " + id + " of " + handle,
					(request) -> (reply != null) ? new Reply(request, handle.name, id, reply) : new Ack(request, handle.name, id),
					(outcome) -> null, true);
			sent.whenComplete((value, failure) -> complete(done, value, failure));
		});
		return done;
	}

	CompletableFuture<Void> close(MessageQueue handle) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		onLoop(done, () -> {
			Local local = this.queues.get(handle.name);
			if (local == null || local.handle != handle || !handle.isOpen()) {
				callback(() -> done.complete(null));
				return;
			}
			handle.closed(null);
			this.queues.remove(handle.name);
			if (this.closed || !this.holdsState) {
				callback(() -> done.complete(null));
				return;
			}
			CompletableFuture<Void> sent = submit("closing " + handle, (request) -> new Close(request, handle.name),
					(outcome) -> null);
			sent.whenComplete((value, failure) -> complete(done, value, failure));
		});
		return done;
	}

	@Nullable MessageState state() {
		return this.state;
	}

	@Nullable ReplicaGroup group() {
		return this.group;
	}

	// ---------------------------------------------------------------------------------------------
	// On the event loop

	private CompletableFuture<List<Long>> send(Destination to, int priority, byte[] payload, int flags) {
		CompletableFuture<List<Long>> problem = check(to, priority);
		if (problem != null) {
			return problem;
		}
		byte[] copy = payload.clone();
		return submit("sending to " + to, (request) -> new Send(request, to.name(), to.group(), priority, flags, copy),
				(outcome) -> ids(outcome), true);
	}

	private <T> void sendWaiting(Destination to, int priority, byte[] payload, int flags, CompletableFuture<T> result,
			@Nullable Duration timeout) {
		CompletableFuture<List<Long>> problem = check(to, priority);
		if (problem != null) {
			problem.whenComplete((value, failure) -> result.completeExceptionally(failure));
			return;
		}
		byte[] copy = payload.clone();
		long request = this.requests.incrementAndGet();
		String what = ((flags & MessageOperation.WANTS_REPLY) != 0 ? "a request to " : "a message to ") + to;
		onLoop(result, () -> {
			Waiting wait = new Waiting(what, result);
			this.waiting.put(request, wait);
			if (timeout != null) {
				wait.timer = this.host.schedule(Math.max(0, timeout.toMillis()), () -> guarded("timing a request", () -> {
					if (this.waiting.remove(request) == wait) {
						fail(result, MessageError.TIMEOUT, what + ": no reply within " + timeout);
					}
				}));
			}
			CompletableFuture<List<Long>> sent = new CompletableFuture<>();
			Pending pending = new Pending(request, what, false, sent, (outcome) -> ids(outcome));
			if (!enqueue(pending, MessageCodec.encode(new Send(request, to.name(), to.group(), priority, flags, copy)))) {
				this.waiting.remove(request);
				wait.cancel();
			}
			sent.whenComplete((ids, failure) -> {
				if (failure != null) {
					onLoop(result, () -> {
						if (this.waiting.remove(request) == wait) {
							wait.cancel();
						}
					});
					result.completeExceptionally(failure);
				}
			});
		});
	}

	private <T> @Nullable CompletableFuture<T> check(Destination to, int priority) {
		if (!MessageCodec.validName(to.name())) {
			return invalidName(to.name());
		}
		if (priority < 0 || priority >= QueueAttributes.PRIORITIES) {
			return failed(MessageError.INVALID, "a priority of 0 to " + (QueueAttributes.PRIORITIES - 1) + ", not "
					+ priority);
		}
		return null;
	}

	private static List<Long> ids(Outcome outcome) {
		List<Long> ids = new ArrayList<>();
		for (long id : outcome.ids()) {
			ids.add(id);
		}
		return List.copyOf(ids);
	}

	private <T> CompletableFuture<T> submit(String what, LongFunction<MessageOperation> operation,
			Function<Outcome, @Nullable T> result) {
		return submit(what, operation, result, false);
	}

	/**
	 * Sends an operation and completes the future with {@code result} of its outcome: at once if it is
	 * refused, else when it is applied here, and, for {@code stable} ones, once it is safe (see {@link #send}).
	 */
	private <T> CompletableFuture<T> submit(String what, LongFunction<MessageOperation> operation,
			Function<Outcome, @Nullable T> result, boolean stable) {
		long request = this.requests.incrementAndGet();
		byte[] encoded;
		try {
			encoded = MessageCodec.encode(operation.apply(request));
		}
		catch (IllegalArgumentException ex) {
			return failed(MessageError.INVALID, String.valueOf(ex.getMessage()));
		}
		CompletableFuture<T> future = new CompletableFuture<>();
		Pending waiting = new Pending(request, what, stable, future, result);
		onLoop(future, () -> enqueue(waiting, encoded));
		return future;
	}

	/** Sends an encoded operation for a call; false, with the call failed, if it was refused. On the event loop. */
	private boolean enqueue(Pending waiting, byte[] encoded) {
		if (encoded.length > MAX_OPERATION_BYTES) {
			fail(waiting.future, MessageError.TOO_BIG, waiting.what + ": " + encoded.length + " bytes encoded, more than "
					+ MAX_OPERATION_BYTES);
			return false;
		}
		MessageError refused = refusal();
		if (refused != null) {
			fail(waiting.future, refused, waiting.what);
			return false;
		}
		ReplicaGroup current = this.group;
		this.pending.put(waiting.request, waiting);
		if (current.backlog() >= ReplicaGroup.OUTBOX_LIMIT || !current.send(encoded)) {
			this.pending.remove(waiting.request);
			fail(waiting.future, MessageError.TRY_AGAIN, waiting.what + ": " + ReplicaGroup.OUTBOX_LIMIT
					+ " messages wait");
			return false;
		}
		return true;
	}

	private @Nullable MessageError refusal() {
		if (this.closed || this.group == null || this.state == null) {
			return MessageError.CLOSED;
		}
		if (!this.holdsState) {
			return MessageError.NO_QUORUM;
		}
		return null;
	}

	private void join() {
		try {
			ReplicaGroup joined = new ReplicaGroup(this.host, GROUP_NAME, (view) -> {
				MessageState created = new MessageState(view, new StateListener());
				this.state = created;
				return created;
			}, new Observer());
			this.group = joined;
			joined.join();
		}
		catch (RuntimeException | Error ex) {
			shutDown("joining the group failed");
			this.host.failStop("joining the message group", ex);
		}
	}

	/** One of this member's operations was delivered. */
	private void delivered(byte[] operation, boolean applied) {
		long request = MessageCodec.request(operation);
		Pending waiting = (request == 0) ? null : this.pending.remove(request);
		if (waiting == null) {
			return;
		}
		Outcome outcome = waiting.outcome;
		if (!applied) {
			fail(waiting.future, MessageError.NO_QUORUM, waiting.what + ": not applied (this member held no state when "
					+ "it was delivered)");
			return;
		}
		if (outcome == null) {
			fail(waiting.future, MessageError.INVALID, waiting.what + ": the operation could not be read");
			return;
		}
		MessageError error = outcome.error();
		if (error != null) {
			fail(waiting.future, error, outcome.detail());
			return;
		}
		if (!waiting.stable) {
			succeed(waiting, outcome);
			return;
		}
		this.awaitingStable.add(waiting);
		if (!this.host.whenStable(() -> guarded("telling a send", () -> {
			if (this.awaitingStable.remove(waiting)) {
				acknowledge(waiting);
			}
		}))) {
			this.awaitingStable.remove(waiting);
			this.awaitingSettle.add(waiting);
		}
	}

	/** A send is told once it survives the failure of any one node. */
	private void acknowledge(Pending waiting) {
		if (this.group.durable()) {
			succeed(waiting, waiting.outcome);
		}
		else {
			this.awaitingDurable.add(waiting);
		}
	}

	@SuppressWarnings("unchecked")
	private void succeed(Pending waiting, @Nullable Outcome outcome) {
		Object value = (outcome != null) ? waiting.result.apply(outcome) : null;
		CompletableFuture<Object> future = (CompletableFuture<Object>) waiting.future;
		callback(() -> future.complete(value));
	}

	private void fail(CompletableFuture<?> future, MessageError error, String detail) {
		MessageException failure = new MessageException(error, detail);
		callback(() -> future.completeExceptionally(failure));
	}

	private void complete(CompletableFuture<Void> done, @Nullable Void value, @Nullable Throwable failure) {
		if (failure != null) {
			done.completeExceptionally(failure);
		}
		else {
			done.complete(value);
		}
	}

	/** This member dropped its state, or the service closed: everything waiting fails, every queue handle is gone. */
	private void failAll(MessageError error, String detail) {
		List<Pending> all = new ArrayList<>(this.pending.values());
		all.addAll(this.awaitingStable);
		all.addAll(this.awaitingSettle);
		all.addAll(this.awaitingDurable);
		this.pending.clear();
		this.awaitingStable.clear();
		this.awaitingDurable.clear();
		this.awaitingSettle.clear();
		for (Pending waiting : all) {
			fail(waiting.future, error, waiting.what + ": " + detail);
		}
		for (Waiting wait : this.waiting.values()) {
			wait.cancel();
			fail(wait.result, error, wait.what + ": " + detail);
		}
		this.waiting.clear();
		for (Local local : this.queues.values()) {
			local.handle.closed(error);
		}
		this.queues.clear();
	}

	private void shutDown(String why) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.holdsState = false;
		cancelTimers();
		failAll(MessageError.CLOSED, why);
		ReplicaGroup current = this.group;
		if (current != null) {
			current.close();
		}
		MessageException failure = new MessageException(MessageError.CLOSED, why);
		callback(() -> this.ready.completeExceptionally(failure));
		callback(this.callbacks::shutdown);
	}

	/**
	 * Hands each of this member's open queues its next messages, up to its prefetch window of messages
	 * handed and not yet gone from the queue (acknowledged, or moved).
	 */
	private void pump() {
		MessageState current = this.state;
		ReplicaGroup replicas = this.group;
		// nothing is handed out between a configuration change and its settle: a member that was paused
		// past the token timeout still holds a state the others moved on from (its queue's messages went to
		// other queues), until the settle finds it stale
		if (current == null || !this.holdsState || replicas == null || !replicas.settled()) {
			return;
		}
		for (Local local : this.queues.values()) {
			MessageQueue handle = local.handle;
			if (!handle.isOpen() || !local.opened) {
				continue;
			}
			local.handed.removeIf((id) -> !current.holds(handle.name, id));
			int room = handle.attributes.prefetch() - local.handed.size();
			if (room <= 0) {
				continue;
			}
			for (Message message : current.next(handle.name, room, local.handed)) {
				local.handed.add(message.id());
				Delivery delivery = new Delivery(message.id(), handle.name, message.priority(), message.payload().clone(),
						message.moved(), (message.flags() & MessageOperation.WANTS_REPLY) != 0,
						message.sender().nodeid());
				callback(() -> {
					if (handle.isOpen()) {
						try {
							handle.handler.onMessage(handle, delivery);
						}
						catch (RuntimeException ex) {
							logger.warn("The handler of {} failed on message {}", handle, delivery.id(), ex);
						}
					}
				});
			}
		}
	}

	/** Runs {@code work} on the event loop, or fails {@code result} if the node stopped. */
	private void onLoop(CompletableFuture<?> result, Runnable work) {
		try {
			this.host.loop().execute(() -> guarded("serving a message call", work));
		}
		catch (RejectedExecutionException stopped) {
			result.completeExceptionally(new MessageException(MessageError.CLOSED, "the node stopped"));
		}
	}

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

	/** Runs application-facing code on the callback thread, never on the event loop; once closed, on the common pool. */
	private void callback(Runnable completion) {
		try {
			this.callbacks.execute(completion);
		}
		catch (RejectedExecutionException closed) {
			CompletableFuture.runAsync(completion);
		}
	}

	private static <T> CompletableFuture<T> failed(MessageError error, String detail) {
		return CompletableFuture.failedFuture(new MessageException(error, detail));
	}

	private static <T> CompletableFuture<T> invalidName(String name) {
		return failed(MessageError.INVALID, "a name is 1 to " + MAX_NAME_BYTES + " bytes of UTF-8, not '" + name + "'");
	}

	// ---------------------------------------------------------------------------------------------
	// The coordinator's retention timers

	private void armTimers() {
		MessageState current = this.state;
		if (!this.coordinating || current == null || this.closed) {
			return;
		}
		this.timerChangesSeen = current.timerChanges();
		Map<String, Timer> stale = new HashMap<>(this.retentionTimers);
		for (Idle idle : current.idle()) {
			Timer timer = stale.remove(idle.name());
			if (timer != null && timer.generation == idle.generation()) {
				continue;
			}
			if (timer != null) {
				timer.cancel.run();
			}
			this.retentionTimers.put(idle.name(), new Timer(idle.generation(),
					schedule(idle.retentionMillis(), () -> retire(idle.name(), idle.generation()))));
		}
		for (Map.Entry<String, Timer> gone : stale.entrySet()) {
			gone.getValue().cancel.run();
			this.retentionTimers.remove(gone.getKey());
		}
	}

	private Runnable schedule(long delayMillis, Runnable task) {
		return this.host.schedule(delayMillis, () -> guarded("running a message-queue timer", task));
	}

	private void retire(String name, long generation) {
		Timer timer = this.retentionTimers.get(name);
		if (timer == null || timer.generation != generation || !this.coordinating || this.closed) {
			return;
		}
		if (this.group.backlog() < ReplicaGroup.OUTBOX_LIMIT
				&& this.group.send(MessageCodec.encode(new Retire(0, name, generation)))) {
			this.retentionTimers.put(name, new Timer(generation, () -> {
			}));
			logger.debug("Retention of persistent queue '{}' ran out", name);
		}
		else {
			this.retentionTimers.put(name, new Timer(generation, schedule(RESEND_MILLIS, () -> retire(name, generation))));
		}
	}

	private void cancelTimers() {
		for (Timer timer : this.retentionTimers.values()) {
			timer.cancel.run();
		}
		this.retentionTimers.clear();
	}

	private record Timer(long generation, Runnable cancel) {
	}

	// ---------------------------------------------------------------------------------------------

	/** An operation of this member's, from its sending until it is told. */
	private static final class Pending {

		final long request;

		final String what;

		final boolean stable;

		final CompletableFuture<?> future;

		final Function<Outcome, ?> result;

		@Nullable Outcome outcome;

		Pending(long request, String what, boolean stable, CompletableFuture<?> future, Function<Outcome, ?> result) {
			this.request = request;
			this.what = what;
			this.stable = stable;
			this.future = future;
			this.result = result;
		}

	}

	/** A send waiting for its acknowledgements (as many as the copies it made) or its reply. */
	private static final class Waiting {

		final String what;

		final CompletableFuture<?> result;

		int copies = -1;

		@Nullable Runnable timer;

		Waiting(String what, CompletableFuture<?> result) {
			this.what = what;
			this.result = result;
		}

		void cancel() {
			Runnable cancel = this.timer;
			if (cancel != null) {
				cancel.run();
			}
		}

	}

	/** One of this member's open queues: its handle and the ids handed to its handler not yet gone. */
	private static final class Local {

		final MessageQueue handle;

		final Set<Long> handed = new LinkedHashSet<>();

		/** The open was applied: the queue is this member's. */
		boolean opened;

		Local(MessageQueue handle) {
			this.handle = handle;
		}

	}

	/** What the state tells this member. */
	private final class StateListener implements MessageState.Listener {

		@Override
		public void applied(long request, Outcome outcome) {
			Pending waiting = MessageService.this.pending.get(request);
			if (waiting == null) {
				return;
			}
			waiting.outcome = outcome;
			if (outcome.error() != null) {
				return;
			}
			Waiting wait = MessageService.this.waiting.get(request);
			if (wait != null) {
				wait.copies = outcome.ids().length;
			}
		}

		@Override
		public void acknowledged(Message message, byte @Nullable [] reply) {
			if (!message.sender().equals(MessageService.this.group.self())) {
				return;
			}
			Waiting wait = MessageService.this.waiting.get(message.request());
			if (wait == null) {
				return;
			}
			if ((message.flags() & MessageOperation.WANTS_REPLY) != 0) {
				MessageService.this.waiting.remove(message.request());
				wait.cancel();
				@SuppressWarnings("unchecked")
				CompletableFuture<byte[]> result = (CompletableFuture<byte[]>) wait.result;
				if (reply != null) {
					callback(() -> result.complete(reply));
				}
				else {
					fail(result, MessageError.NOT_FOUND, wait.what + ": acknowledged without a reply");
				}
				return;
			}
			wait.copies--;
			if (wait.copies <= 0) {
				MessageService.this.waiting.remove(message.request());
				@SuppressWarnings("unchecked")
				CompletableFuture<Void> result = (CompletableFuture<Void>) wait.result;
				callback(() -> result.complete(null));
			}
		}

		@Override
		public void returned(Message message, String reason) {
			if (!message.sender().equals(MessageService.this.group.self())) {
				return;
			}
			Waiting wait = MessageService.this.waiting.remove(message.request());
			if (wait != null) {
				wait.cancel();
				fail(wait.result, MessageError.NOT_FOUND, wait.what + ": returned: " + reason);
			}
			Consumer<DeliveryFailure> listener = MessageService.this.failures;
			if (listener != null) {
				DeliveryFailure failure = new DeliveryFailure(message.id(), message.priority(), message.payload().clone(),
						reason);
				callback(() -> listener.accept(failure));
			}
		}

		@Override
		public void consumerGone(String queue, Member consumer) {
			if (!consumer.equals(MessageService.this.group.self())) {
				return;
			}
			Local local = MessageService.this.queues.get(queue);
			if (local != null && local.opened) {
				MessageService.this.queues.remove(queue);
				local.handle.closed(MessageError.CLOSED);
			}
		}

		@Override
		public void settled(boolean coordinator) {
			boolean was = MessageService.this.coordinating;
			MessageService.this.coordinating = coordinator;
			if (!coordinator) {
				cancelTimers();
			}
			else {
				if (!was) {
					logger.debug("Message service: this member runs the queues' retention timers");
				}
				armTimers();
			}
		}

		@Override
		public void lost() {
			MessageService.this.coordinating = false;
			cancelTimers();
		}

	}

	/** What the replica group tells this member. */
	private final class Observer implements ReplicaGroup.Observer {

		@Override
		public void synchronizedChanged(boolean synced) {
			MessageService.this.holdsState = synced;
			if (synced) {
				if (!MessageService.this.ready.isDone()) {
					callback(() -> MessageService.this.ready.complete(null));
				}
				return;
			}
			logger.info("Message service: this member dropped its state; its queues are closed and what it waited for "
					+ "fails");
			failAll(MessageError.NO_QUORUM, "this member dropped its state (it left the primary component, or its "
					+ "state was stale); the outcome is unknown");
		}

		@Override
		public void delivered(Member from, byte[] operation, boolean applied) {
			if (from.equals(MessageService.this.group.self())) {
				MessageService.this.delivered(operation, applied);
			}
		}

		@Override
		public void ringChanged(long ringSeq) {
			Set<Pending> stable = MessageService.this.awaitingStable;
			if (stable.isEmpty()) {
				return;
			}
			MessageService.this.awaitingSettle.addAll(stable);
			stable.clear();
			if (MessageService.this.holdsState) {
				MessageService.this.group.send(MessageCodec.encode(new Synchronize(0)));
			}
		}

		@Override
		public void afterEvent() {
			ReplicaGroup current = MessageService.this.group;
			Set<Pending> settle = MessageService.this.awaitingSettle;
			if (!settle.isEmpty() && current.settled()) {
				List<Pending> told = List.copyOf(settle);
				settle.clear();
				for (Pending waiting : told) {
					acknowledge(waiting);
				}
			}
			Set<Pending> durable = MessageService.this.awaitingDurable;
			if (!durable.isEmpty() && current.durable()) {
				List<Pending> told = List.copyOf(durable);
				durable.clear();
				for (Pending waiting : told) {
					succeed(waiting, waiting.outcome);
				}
			}
			MessageState held = MessageService.this.state;
			if (MessageService.this.coordinating && held != null && held.timerChanges() != MessageService.this.timerChangesSeen) {
				armTimers();
			}
			pump();
		}

		@Override
		public void failed() {
			shutDown("the node stopped the message group after an internal error");
		}

	}

}
