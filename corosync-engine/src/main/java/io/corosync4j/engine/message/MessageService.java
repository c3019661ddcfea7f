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
import java.util.concurrent.ExecutorService;
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
import io.corosync4j.engine.message.MessageState.Message;
import io.corosync4j.engine.message.MessageState.Outcome;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaGroup;
import io.corosync4j.engine.replica.ReplicaHost;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.ReplicatedService;
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
public final class MessageService extends ReplicatedService<MessageState, Outcome> {

	/** The CPG group the message service's members share. */
	public static final String GROUP_NAME = "corosync4j:msg";

	/** The longest queue or group name, in UTF-8 bytes ({@code SA_MAX_NAME_LENGTH}). */
	public static final int MAX_NAME_BYTES = 256;

	/** The largest operation, encoded: larger messages fail with {@link MessageError#TOO_BIG} before anything is sent. */
	public static final int MAX_OPERATION_BYTES = ReplicaGroup.MAX_OPERATION_BYTES;

	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.msg");

	private static final String TIMER = "running a message-queue timer";

	private volatile @Nullable Consumer<DeliveryFailure> failures;

	// on the event loop

	/** Sends waiting for their consumer's acknowledgement or reply, by request. */
	private final Map<Long, Waiting> waiting = new HashMap<>();

	/** This member's open queues, by name. */
	private final Map<String, Local> queues = new LinkedHashMap<>();

	private long timerChangesSeen = -1;

	private final RetentionTimers retentions = new RetentionTimers(TIMER,
			(retention) -> MessageCodec.encode(new Retire(0, retention.name(), retention.generation())));

	/** Joins the message group; calls can be made once {@link #ready()} completes. */
	public MessageService(ReplicaHost host) {
		this(host, callbackThread("corosync-messages"));
	}

	/**
	 * Joins the message group, running callbacks with {@code callbacks} (shut down when the service
	 * closes); a simulation passes one that runs them at once, in its own order.
	 */
	public MessageService(ReplicaHost host, ExecutorService callbacks) {
		super(host, GROUP_NAME, "message", callbacks);
		start();
	}

	// ---------------------------------------------------------------------------------------------
	// API

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
			return failed(Refusal.INVALID, problem);
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
				fail(done, Refusal.CLOSED, handle + " is closed");
				return;
			}
			Call<Void> ack = this.<Void>call("acknowledging message " + id + " of " + handle,
					(request) -> MessageCodec.encode((reply != null) ? new Reply(request, handle.name, id, reply)
							: new Ack(request, handle.name, id)),
					(outcome) -> null)
				.safe();
			submitOnLoop(ack);
			ack.future().whenComplete((value, failure) -> complete(done, value, failure));
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
			if (isClosed() || !holdsState()) {
				callback(() -> done.complete(null));
				return;
			}
			Call<Void> close = this.<Void>call("closing " + handle,
					(request) -> MessageCodec.encode(new Close(request, handle.name)), (outcome) -> null)
				.evenWhenBusy();
			submitOnLoop(close);
			close.future().whenComplete((value, failure) -> complete(done, value, failure));
		});
		return done;
	}

	@Nullable MessageState state() {
		return currentState();
	}

	@Nullable ReplicaGroup group() {
		return currentGroup();
	}

	// ---------------------------------------------------------------------------------------------
	// On the event loop

	private CompletableFuture<List<Long>> send(Destination to, int priority, byte[] payload, int flags) {
		CompletableFuture<List<Long>> problem = check(to, priority);
		if (problem != null) {
			return problem;
		}
		byte[] copy = payload.clone();
		return submit(call("sending to " + to,
				(request) -> MessageCodec.encode(new Send(request, to.name(), to.group(), priority, flags, copy)),
				MessageService::ids).safe());
	}

	private <T> void sendWaiting(Destination to, int priority, byte[] payload, int flags, CompletableFuture<T> result,
			@Nullable Duration timeout) {
		CompletableFuture<List<Long>> problem = check(to, priority);
		if (problem != null) {
			problem.whenComplete((value, failure) -> result.completeExceptionally(failure));
			return;
		}
		byte[] copy = payload.clone();
		String what = ((flags & MessageOperation.WANTS_REPLY) != 0 ? "a request to " : "a message to ") + to;
		onLoop(result, () -> {
			Waiting wait = new Waiting(what, result);
			Call<List<Long>> call = call(what,
					(request) -> MessageCodec.encode(new Send(request, to.name(), to.group(), priority, flags, copy)),
					MessageService::ids);
			boolean sent = submitOnLoop(call);
			// the acknowledgements or the reply find the wait by the request number, known once it is sent
			long request = call.request();
			if (sent) {
				this.waiting.put(request, wait);
				if (timeout != null) {
					wait.timer = schedule(timeout.toMillis(), "timing a request", () -> {
						if (this.waiting.remove(request) == wait) {
							fail(result, MessageError.TIMEOUT, what + ": no reply within " + timeout);
						}
					});
				}
			}
			call.future().whenComplete((ids, failure) -> {
				if (failure == null) {
					return;
				}
				if (sent) {
					onLoop(result, () -> {
						if (this.waiting.remove(request) == wait) {
							wait.cancel();
						}
					});
				}
				result.completeExceptionally(failure);
			});
		});
	}

	private <T> @Nullable CompletableFuture<T> check(Destination to, int priority) {
		if (!MessageCodec.validName(to.name())) {
			return invalidName(to.name());
		}
		if (priority < 0 || priority >= QueueAttributes.PRIORITIES) {
			return failed(Refusal.INVALID, "a priority of 0 to " + (QueueAttributes.PRIORITIES - 1) + ", not "
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
		return submit(call(what, (request) -> MessageCodec.encode(operation.apply(request)), result));
	}

	private void fail(CompletableFuture<?> future, MessageError error, String detail) {
		MessageException failure = new MessageException(error, detail);
		callback(() -> future.completeExceptionally(failure));
	}

	private static void complete(CompletableFuture<Void> done, @Nullable Void value, @Nullable Throwable failure) {
		if (failure != null) {
			done.completeExceptionally(failure);
		}
		else {
			done.complete(value);
		}
	}

	private <T> CompletableFuture<T> invalidName(String name) {
		return failed(Refusal.INVALID, "a name is 1 to " + MAX_NAME_BYTES + " bytes of UTF-8, not '" + name + "'");
	}

	/**
	 * Hands each of this member's open queues its next messages, up to its prefetch window of messages
	 * handed and not yet gone from the queue (acknowledged, or moved).
	 */
	private void pump() {
		MessageState current = currentState();
		ReplicaGroup replicas = currentGroup();
		// nothing is handed out between a configuration change and its settle: a member that was paused
		// past the token timeout still holds a state the others moved on from (its queue's messages went to
		// other queues), until the settle finds it stale
		if (current == null || !holdsState() || replicas == null || !replicas.settled()) {
			return;
		}
		for (Local local : this.queues.values()) {
			MessageQueue handle = local.handle;
			if (!handle.isOpen() || !local.opened) {
				continue;
			}
			// most operations concern other members' queues: this one's is looked at again only if it changed
			long changed = current.changedAt(handle.name);
			if (changed == local.pumpedAt) {
				continue;
			}
			local.pumpedAt = changed;
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

	// ---------------------------------------------------------------------------------------------
	// The replicated service's parts

	@Override
	protected MessageState newState(ReplicaView view) {
		return new MessageState(view, new StateListener());
	}

	@Override
	protected long requestOf(byte[] operation) {
		return MessageCodec.request(operation);
	}

	@Override
	protected byte[] barrier() {
		return MessageCodec.encode(new Synchronize(0));
	}

	@Override
	protected Exception exception(Refusal refusal, String detail) {
		return new MessageException(MessageError.valueOf(refusal.name()), detail);
	}

	@Override
	protected @Nullable Exception rejection(Outcome outcome) {
		MessageError error = outcome.error();
		return (error != null) ? new MessageException(error, outcome.detail()) : null;
	}

	@Override
	protected long malformedOperations() {
		MessageState current = currentState();
		return (current != null) ? current.malformed() : 0;
	}

	/** Sends waiting for an acknowledgement or a reply fail too, and every queue handle is gone. */
	@Override
	protected void handlesGone(Refusal why, String detail) {
		for (Waiting wait : this.waiting.values()) {
			wait.cancel();
			fail(wait.result, why, wait.what + ": " + detail);
		}
		this.waiting.clear();
		MessageError error = MessageError.valueOf(why.name());
		for (Local local : this.queues.values()) {
			local.handle.closed(error);
		}
		this.queues.clear();
	}

	@Override
	protected void abandoned(@Nullable Object value) {
		if (value instanceof MessageQueue queue) {
			// the caller gave up on the open: nobody will close the queue
			queue.close();
		}
	}

	@Override
	protected void afterEvent() {
		pump();
	}

	// ---------------------------------------------------------------------------------------------
	// The coordinator's retention timers

	/** Arms a timer for each persistent queue whose retention runs; cancels them when this member no longer coordinates. */
	@Override
	protected void armTimers(boolean coordinating) {
		MessageState current = currentState();
		if (!coordinating || current == null || isClosed()) {
			this.retentions.cancel();
			return;
		}
		this.timerChangesSeen = current.timerChanges();
		this.retentions.arm(current.idle());
	}

	@Override
	protected boolean timersChanged() {
		MessageState current = currentState();
		return current != null && current.timerChanges() != this.timerChangesSeen;
	}

	// ---------------------------------------------------------------------------------------------

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

		/** The queue's {@link MessageState#changedAt} when its messages were last looked at; -1: never. */
		long pumpedAt = -1;

		Local(MessageQueue handle) {
			this.handle = handle;
		}

	}

	/** What the state tells this member. */
	private final class StateListener implements MessageState.Listener {

		@Override
		public void applied(long request, Outcome outcome) {
			MessageService.this.applied(request, outcome);
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
			if (!message.sender().equals(currentGroup().self())) {
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
			if (!message.sender().equals(currentGroup().self())) {
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
			if (!consumer.equals(currentGroup().self())) {
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
			MessageService.this.settled(coordinator);
		}

		@Override
		public void lost() {
			MessageService.this.lost();
		}

	}

}
