package io.corosync4j.engine.checkpoint;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;

import io.corosync4j.engine.checkpoint.CheckpointOperation.Expire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Open;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Retire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Synchronize;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Unlink;
import io.corosync4j.engine.checkpoint.CheckpointState.Outcome;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaGroup;
import io.corosync4j.engine.replica.ReplicaHost;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.ReplicatedService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints (the AIS CKPT service) for this node's processes: a member of the CPG group
 * {@value #GROUP_NAME} holding every checkpoint of the cluster in full, replicated by a
 * {@link ReplicaGroup} that runs the {@link CheckpointState} on the node's event loop. Callers' futures
 * complete on a thread of the service's own, never on the event loop. Thread-safe.
 *
 * <p>Requests made while this member holds no state (just started and not synchronized yet, or outside
 * the primary component) fail at once with {@link CheckpointError#NO_QUORUM} rather than wait: a
 * checkpoint write that waits for quorum for an unknown time is rarely what its caller wants, and
 * {@link #ready()} tells when to start. Reads are answered from this member's replica, at the point of
 * the agreed order this member has reached.
 */
public final class CheckpointService extends ReplicatedService<CheckpointState, Outcome> {

	/** The CPG group the checkpoint service's members share. */
	public static final String GROUP_NAME = "corosync4j:ckpt";

	/** The longest checkpoint name, in UTF-8 bytes ({@code SA_MAX_NAME_LENGTH}). */
	public static final int MAX_NAME_BYTES = 256;

	/** The longest section id any checkpoint may allow, in bytes. */
	public static final int MAX_SECTION_ID_BYTES = 4096;

	/** The most checkpoints the service holds, unlinked ones still open included. */
	public static final int MAX_CHECKPOINTS = 4096;

	/** The most bytes of section data the service holds over all checkpoints: 1 GiB, on every member. */
	public static final long MAX_TOTAL_BYTES = 1L << 30;

	/** The most sections the service holds over all checkpoints. */
	public static final int MAX_SECTIONS = 1 << 20;

	/** The most handles open at once over all members. */
	public static final int MAX_OPENERS = 65_536;

	/**
	 * The largest operation, encoded: 8 MiB, half CPG's default send queue, so one write never fills the
	 * queue alone. Larger ones fail with {@link CheckpointError#TOO_BIG} before anything is sent.
	 */
	public static final int MAX_OPERATION_BYTES = 8 * 1024 * 1024;


	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.ckpt");

	private static final String TIMER = "running a checkpoint timer";

	private final AtomicLong handleIds = new AtomicLong();

	// on the event loop

	/** This member's open handles, by handle number. */
	private final Map<Long, Checkpoint> handles = new HashMap<>();

	private long timerChangesSeen = -1;

	private final RetentionTimers retentions = new RetentionTimers(TIMER,
			(retention) -> CheckpointCodec.encode(new Retire(0, retention.name(), retention.generation())));

	private final ExpiryTimer expiry = new ExpiryTimer(TIMER, (now) -> CheckpointCodec.encode(new Expire(0, now)));

	// read from any thread, written on the loop

	private volatile long writes;

	private volatile long bytesWritten;

	private volatile long reads;

	private volatile long refusals;

	private volatile long transfers;

	/** Joins the checkpoint group; requests can be made once {@link #ready()} completes. */
	public CheckpointService(ReplicaHost host) {
		this(host, callbackThread("corosync-checkpoints"));
	}

	/**
	 * Joins the checkpoint group, completing callers' futures with {@code callbacks} (shut down when the
	 * service closes); a simulation passes one that runs them at once, in its own order.
	 */
	public CheckpointService(ReplicaHost host, ExecutorService callbacks) {
		super(host, GROUP_NAME, "checkpoint", callbacks);
		start();
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/**
	 * Opens a checkpoint, creating it if {@code attributes} are given and no checkpoint has the name.
	 * Fails with {@link CheckpointError#EXISTS} if one has it with other attributes, with
	 * {@link CheckpointError#NOT_FOUND} if none has it and {@code attributes} are {@code null}.
	 * @param name 1 to {@value #MAX_NAME_BYTES} bytes of UTF-8
	 */
	public CompletableFuture<Checkpoint> open(String name, @Nullable CheckpointAttributes attributes) {
		if (!CheckpointCodec.validName(name)) {
			return failed(Refusal.INVALID, "a checkpoint name is 1 to " + MAX_NAME_BYTES
					+ " bytes of UTF-8, not '" + name + "'");
		}
		String problem = (attributes != null) ? attributes.problem() : null;
		if (problem != null) {
			return failed(Refusal.INVALID, problem);
		}
		long handle = this.handleIds.incrementAndGet();
		return submit(call("opening checkpoint '" + name + "'",
				(request) -> CheckpointCodec.encode(new Open(request, handle, name, attributes)),
				(outcome) -> opened(name, handle, outcome)));
	}

	/**
	 * Unlinks a checkpoint: its name is free at once (a new checkpoint may take it), and its data goes
	 * when its last opener closes, at once if it has none.
	 */
	public CompletableFuture<Void> unlink(String name) {
		if (!CheckpointCodec.validName(name)) {
			return failed(Refusal.INVALID, "not a checkpoint name: '" + name + "'");
		}
		return submit(call("unlinking checkpoint '" + name + "'",
				(request) -> CheckpointCodec.encode(new Unlink(request, name)), (outcome) -> null));
	}

	/** Every checkpoint as this member's replica has it: linked ones by name, then unlinked ones still open. */
	public CompletableFuture<List<CheckpointStatus>> checkpoints() {
		return read(null, "listing checkpoints", (current) -> current.checkpoints());
	}

	public CheckpointStatistics statistics() {
		return new CheckpointStatistics(this.writes, this.bytesWritten, this.reads, this.refusals, this.transfers,
				malformedOperations());
	}

	// ---------------------------------------------------------------------------------------------
	// For handles

	/**
	 * Sends an operation and completes the future with {@code result} of its outcome: at once if it is
	 * refused, else when it is applied here, and, for {@code stable} ones, once it is safe.
	 * @param operation the operation for a request number
	 * @param bytes the data bytes it writes, for the statistics; -1: not a write (an open, a close, a barrier)
	 */
	<T> CompletableFuture<T> submit(Checkpoint handle, String what, LongFunction<CheckpointOperation> operation,
			boolean stable, long bytes, Function<Outcome, @Nullable T> result) {
		Call<T> call = call(what, (request) -> CheckpointCodec.encode(operation.apply(request)), result)
			.whileOpen(handle::isOpen);
		if (stable) {
			call.safe();
		}
		if (bytes >= 0) {
			call.onSuccess(() -> {
				this.writes++;
				this.bytesWritten += bytes;
			});
		}
		return submit(call);
	}

	/** A read of this member's replica, answered on the event loop. */
	<T> CompletableFuture<T> read(@Nullable Checkpoint handle, String what, Read<T> read) {
		CompletableFuture<T> future = new CompletableFuture<>();
		onLoop(future, () -> {
			Refusal refused = refusal();
			if (refused == null && handle != null && !handle.isOpen()) {
				refused = Refusal.CLOSED;
			}
			if (refused != null) {
				this.refusals++;
				fail(future, refused, what);
				return;
			}
			try {
				T value = read.from(currentState());
				this.reads++;
				callback(() -> future.complete(value));
			}
			catch (CheckpointException failure) {
				this.refusals++;
				callback(() -> future.completeExceptionally(failure));
			}
		});
		return future;
	}

	/** Closes a handle: it refuses calls at once, and the group forgets it when the close is applied. */
	CompletableFuture<Void> close(Checkpoint handle) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		onLoop(done, () -> {
			if (!handle.isOpen()) {
				callback(() -> done.complete(null));
				return;
			}
			handle.closed(null);
			this.handles.remove(handle.handle);
			if (isClosed() || !holdsState()) {
				// leaving the group, or having dropped the state, closed it everywhere already
				callback(() -> done.complete(null));
				return;
			}
			Call<Void> close = this.<Void>call("closing " + handle, (request) -> CheckpointCodec
				.encode(new CheckpointOperation.Close(request, handle.checkpoint, handle.handle)), (outcome) -> null)
				.evenWhenBusy();
			submitOnLoop(close);
			close.future().whenComplete((value, failure) -> complete(done, failure));
		});
		return done;
	}

	/** The replica group, for tests of this package; read it on the event loop. */
	@Nullable ReplicaGroup group() {
		return currentGroup();
	}

	/** The state machine, for tests of this package; read it on the event loop. */
	@Nullable CheckpointState state() {
		return currentState();
	}

	Member self() {
		return currentGroup().self();
	}

	/** A read of the local replica. */
	interface Read<T> {

		T from(CheckpointState state) throws CheckpointException;

	}

	// ---------------------------------------------------------------------------------------------
	// The replicated service's parts

	@Override
	protected CheckpointState newState(ReplicaView view) {
		return new CheckpointState(view, new StateListener());
	}

	@Override
	protected long requestOf(byte[] operation) {
		return CheckpointCodec.request(operation);
	}

	@Override
	protected byte[] barrier() {
		return CheckpointCodec.encode(new Synchronize(0, 0, 0));
	}

	@Override
	protected Exception exception(Refusal refusal, String detail) {
		return new CheckpointException(CheckpointError.valueOf(refusal.name()), detail);
	}

	@Override
	protected @Nullable Exception rejection(Outcome outcome) {
		CheckpointError error = outcome.error();
		return (error != null) ? new CheckpointException(error, outcome.detail()) : null;
	}

	@Override
	protected long malformedOperations() {
		CheckpointState current = currentState();
		return (current != null) ? current.malformed() : 0;
	}

	@Override
	protected void timerOperationDelivered() {
		this.expiry.delivered();
	}

	@Override
	protected void holdsStateChanged(boolean holds) {
		if (holds) {
			this.transfers++;
		}
	}

	@Override
	protected void handlesGone(Refusal why, String detail) {
		CheckpointError error = CheckpointError.valueOf(why.name());
		for (Checkpoint handle : this.handles.values()) {
			handle.closed(error);
		}
		this.handles.clear();
	}

	@Override
	protected void abandoned(@Nullable Object value) {
		if (value instanceof Checkpoint checkpoint) {
			// the caller gave up on the open: nobody will close the handle
			checkpoint.close();
		}
	}

	@Override
	protected void callFailed() {
		this.refusals++;
	}

	private Checkpoint opened(String name, long handle, Outcome outcome) {
		CheckpointAttributes attributes = outcome.attributes();
		Checkpoint checkpoint = new Checkpoint(this, outcome.checkpoint(), handle, name, attributes);
		this.handles.put(handle, checkpoint);
		return checkpoint;
	}

	private static void complete(CompletableFuture<Void> done, @Nullable Throwable failure) {
		if (failure != null) {
			done.completeExceptionally(failure);
		}
		else {
			done.complete(null);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The coordinator's timers

	/**
	 * Arms a timer for each checkpoint whose retention runs and for the soonest expiration, drops the
	 * others; cancels them all when this member no longer coordinates.
	 */
	@Override
	protected void armTimers(boolean coordinating) {
		CheckpointState current = currentState();
		if (!coordinating || current == null || isClosed()) {
			this.retentions.cancel();
			this.expiry.cancel();
			return;
		}
		this.timerChangesSeen = current.timerChanges();
		this.retentions.arm(current.idle()
			.stream()
			.filter((retention) -> retention.millis() < CheckpointAttributes.FOREVER_MILLIS)
			.toList());
		this.expiry.arm(current.nextExpiration());
	}

	@Override
	protected boolean timersChanged() {
		CheckpointState current = currentState();
		return current != null && current.timerChanges() != this.timerChangesSeen;
	}

	// ---------------------------------------------------------------------------------------------

	/** What the state tells this member. */
	private final class StateListener implements CheckpointState.Listener {

		@Override
		public void applied(long request, Outcome outcome) {
			CheckpointService.this.applied(request, outcome);
		}

		@Override
		public void settled(boolean coordinator) {
			CheckpointService.this.settled(coordinator);
		}

		@Override
		public void lost() {
			CheckpointService.this.lost();
		}

	}

}
