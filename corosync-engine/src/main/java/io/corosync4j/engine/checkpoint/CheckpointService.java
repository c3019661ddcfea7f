package io.corosync4j.engine.checkpoint;

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

import io.corosync4j.engine.checkpoint.CheckpointOperation.Expire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Open;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Retire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Synchronize;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Unlink;
import io.corosync4j.engine.checkpoint.CheckpointState.Idle;
import io.corosync4j.engine.checkpoint.CheckpointState.Outcome;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaGroup;
import io.corosync4j.engine.replica.ReplicaHost;
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
public final class CheckpointService implements AutoCloseable {

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

	/** How soon a timer's operation is tried again when the send queue was full. */
	private static final long RESEND_MILLIS = 100;

	private final ReplicaHost host;

	private final ExecutorService callbacks;

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong handleIds = new AtomicLong();

	// on the event loop

	private @Nullable ReplicaGroup group;

	private @Nullable CheckpointState state;

	/** Operations sent, not delivered yet, by request. */
	private final Map<Long, Pending> pending = new LinkedHashMap<>();

	/** Applied, waiting for every member of the ring to hold them (or for the ring to end). */
	private final Set<Pending> awaitingStable = new LinkedHashSet<>();

	/** Applied in a ring that ended before they were stable: told once the next ring settles with this state. */
	private final Set<Pending> awaitingSettle = new LinkedHashSet<>();

	/** Stable writes waiting for a second node to hold the state ({@link ReplicaGroup#durable()}). */
	private final Set<Pending> awaitingDurable = new LinkedHashSet<>();

	/** This member's open handles, by handle number. */
	private final Map<Long, Checkpoint> handles = new HashMap<>();

	private boolean closed;

	/** Whether this member runs the retention and expiry timers (it was the coordinator at the last settle). */
	private boolean coordinating;

	private long timerChangesSeen = -1;

	/** Retention timers by checkpoint name. */
	private final Map<String, Timer> retentionTimers = new HashMap<>();

	private @Nullable Runnable expiryTimer;

	/** The expiration the expiry timer is armed for. */
	private long expiryArmedFor = CheckpointState.NEVER;

	/** An {@link Expire} of this member's is on its way: no other until it is applied. */
	private boolean expirySent;

	// read from any thread, written on the loop

	private volatile boolean holdsState;

	private volatile long writes;

	private volatile long bytesWritten;

	private volatile long reads;

	private volatile long refusals;

	private volatile long transfers;

	/** Joins the checkpoint group; requests can be made once {@link #ready()} completes. */
	public CheckpointService(ReplicaHost host) {
		this(host, Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "corosync-checkpoints");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * Joins the checkpoint group, completing callers' futures with {@code callbacks} (shut down when the
	 * service closes); a simulation passes one that runs them at once, in its own order.
	 */
	public CheckpointService(ReplicaHost host, ExecutorService callbacks) {
		this.host = host;
		this.callbacks = callbacks;
		try {
			host.loop().execute(this::join);
		}
		catch (RejectedExecutionException stopped) {
			this.closed = true;
			this.ready.completeExceptionally(new CheckpointException(CheckpointError.CLOSED, "the node stopped"));
			callbacks.shutdown();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/** Completes when this member first holds the state (its component is primary and it synchronized). */
	public CompletionStage<Void> ready() {
		return this.ready.minimalCompletionStage();
	}

	/** Whether this member holds the checkpoint state now: it is in the primary component and synchronized. */
	public boolean holdsState() {
		return this.holdsState;
	}

	/**
	 * Opens a checkpoint, creating it if {@code attributes} are given and no checkpoint has the name.
	 * Fails with {@link CheckpointError#EXISTS} if one has it with other attributes, with
	 * {@link CheckpointError#NOT_FOUND} if none has it and {@code attributes} are {@code null}.
	 * @param name 1 to {@value #MAX_NAME_BYTES} bytes of UTF-8
	 */
	public CompletableFuture<Checkpoint> open(String name, @Nullable CheckpointAttributes attributes) {
		if (!CheckpointCodec.validName(name)) {
			return failed(CheckpointError.INVALID, "a checkpoint name is 1 to " + MAX_NAME_BYTES
					+ " bytes of UTF-8, not '" + name + "'");
		}
		String problem = (attributes != null) ? attributes.problem() : null;
		if (problem != null) {
			return failed(CheckpointError.INVALID, problem);
		}
		long handle = this.handleIds.incrementAndGet();
		return submit(null, "opening checkpoint '" + name + "'", (request) -> new Open(request, handle, name, attributes),
				false, -1, (outcome) -> opened(name, handle, outcome));
	}

	/**
	 * Unlinks a checkpoint: its name is free at once (a new checkpoint may take it), and its data goes
	 * when its last opener closes, at once if it has none.
	 */
	public CompletableFuture<Void> unlink(String name) {
		if (!CheckpointCodec.validName(name)) {
			return failed(CheckpointError.INVALID, "not a checkpoint name: '" + name + "'");
		}
		return submit(null, "unlinking checkpoint '" + name + "'", (request) -> new Unlink(request, name), false, -1,
				(outcome) -> null);
	}

	/** Every checkpoint as this member's replica has it: linked ones by name, then unlinked ones still open. */
	public CompletableFuture<List<CheckpointStatus>> checkpoints() {
		return read(null, "listing checkpoints", (current) -> current.checkpoints());
	}

	public CheckpointStatistics statistics() {
		CheckpointState current = this.state;
		long malformed = (current != null) ? current.malformed() : 0;
		return new CheckpointStatistics(this.writes, this.bytesWritten, this.reads, this.refusals, this.transfers,
				malformed);
	}

	/** Messages of the group that could not be read, dropped (the replica layer's own and checkpoint operations). */
	public long malformedMessages() {
		ReplicaGroup current = this.group;
		return ((current != null) ? current.malformedMessages() : 0) + statistics().malformed();
	}

	/**
	 * Leaves the checkpoint group: waiting calls fail with {@link CheckpointError#CLOSED} and this member's
	 * handles close (everywhere, as the others see it leave). Checkpoints stay with the other members.
	 * Returns at once.
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
	 * @param operation the operation for a request number
	 * @param bytes the data bytes it writes, for the statistics; -1: not a write (an open, a close, a barrier)
	 */
	<T> CompletableFuture<T> submit(@Nullable Checkpoint handle, String what, LongFunction<CheckpointOperation> operation,
			boolean stable, long bytes, Function<Outcome, @Nullable T> result) {
		long request = this.requests.incrementAndGet();
		byte[] encoded;
		try {
			encoded = CheckpointCodec.encode(operation.apply(request));
		}
		catch (IllegalArgumentException ex) {
			return failed(CheckpointError.INVALID, ex.getMessage());
		}
		if (encoded.length > MAX_OPERATION_BYTES) {
			return failed(CheckpointError.TOO_BIG, what + ": " + encoded.length + " bytes encoded, more than "
					+ MAX_OPERATION_BYTES);
		}
		CompletableFuture<T> future = new CompletableFuture<>();
		Pending waiting = new Pending(request, what, stable, bytes, future, result);
		onLoop(future, () -> {
			CheckpointError refused = refusal(handle);
			if (refused != null) {
				fail(waiting, refused, what);
				return;
			}
			ReplicaGroup current = this.group;
			this.pending.put(request, waiting);
			if (current.backlog() >= ReplicaGroup.OUTBOX_LIMIT || !current.send(encoded)) {
				this.pending.remove(request);
				fail(waiting, CheckpointError.TRY_AGAIN, what + ": " + ReplicaGroup.OUTBOX_LIMIT + " messages wait");
			}
		});
		return future;
	}

	/** A read of this member's replica, answered on the event loop. */
	<T> CompletableFuture<T> read(@Nullable Checkpoint handle, String what, Read<T> read) {
		CompletableFuture<T> future = new CompletableFuture<>();
		onLoop(future, () -> {
			CheckpointError refused = refusal(handle);
			if (refused != null) {
				this.refusals++;
				CheckpointException failure = new CheckpointException(refused, what);
				callback(() -> future.completeExceptionally(failure));
				return;
			}
			try {
				T value = read.from(this.state);
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

	/** Why nothing can be asked now, or {@code null}. On the event loop. */
	private @Nullable CheckpointError refusal(@Nullable Checkpoint handle) {
		if (this.closed || this.group == null || this.state == null) {
			return CheckpointError.CLOSED;
		}
		if (handle != null && !handle.isOpen()) {
			return CheckpointError.CLOSED;
		}
		if (!this.holdsState) {
			return CheckpointError.NO_QUORUM;
		}
		return null;
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
			if (this.closed || !this.holdsState) {
				// leaving the group, or having dropped the state, closed it everywhere already
				callback(() -> done.complete(null));
				return;
			}
			long request = this.requests.incrementAndGet();
			Pending waiting = new Pending(request, "closing " + handle, false, -1, done, (outcome) -> null);
			this.pending.put(request, waiting);
			if (!this.group.send(CheckpointCodec.encode(new CheckpointOperation.Close(request, handle.checkpoint,
					handle.handle)))) {
				this.pending.remove(request);
				fail(waiting, CheckpointError.TRY_AGAIN, "closing " + handle);
			}
		});
		return done;
	}

	/** The replica group, for tests of this package; read it on the event loop. */
	@Nullable ReplicaGroup group() {
		return this.group;
	}

	/** The state machine, for tests of this package; read it on the event loop. */
	@Nullable CheckpointState state() {
		return this.state;
	}

	Member self() {
		return this.group.self();
	}

	/** A read of the local replica. */
	interface Read<T> {

		T from(CheckpointState state) throws CheckpointException;

	}

	// ---------------------------------------------------------------------------------------------
	// On the event loop

	private void join() {
		try {
			ReplicaGroup joined = new ReplicaGroup(this.host, GROUP_NAME, (view) -> {
				CheckpointState created = new CheckpointState(view, new StateListener());
				this.state = created;
				return created;
			}, new Observer());
			this.group = joined;
			joined.join();
		}
		catch (RuntimeException | Error ex) {
			shutDown("joining the group failed");
			this.host.failStop("joining the checkpoint group", ex);
		}
	}

	private Checkpoint opened(String name, long handle, Outcome outcome) {
		CheckpointAttributes attributes = outcome.attributes();
		Checkpoint checkpoint = new Checkpoint(this, outcome.checkpoint(), handle, name, attributes);
		this.handles.put(handle, checkpoint);
		return checkpoint;
	}

	/** One of this member's operations was delivered. */
	private void delivered(byte[] operation, boolean applied) {
		long request = CheckpointCodec.request(operation);
		if (request == 0) {
			// a timer's operation: the expiry timer may send the next
			this.expirySent = false;
			return;
		}
		Pending waiting = this.pending.remove(request);
		if (waiting == null) {
			return;
		}
		Outcome outcome = waiting.outcome;
		if (!applied) {
			fail(waiting, CheckpointError.NO_QUORUM, waiting.what + ": not applied (this member held no state when it "
					+ "was delivered)");
			return;
		}
		if (outcome == null) {
			fail(waiting, CheckpointError.INVALID, waiting.what + ": the operation could not be read");
			return;
		}
		CheckpointError error = outcome.error();
		if (error != null) {
			fail(waiting, error, outcome.detail());
			return;
		}
		if (!waiting.stable) {
			succeed(waiting, outcome);
			return;
		}
		waiting.outcome = outcome;
		// told once no later component can miss it: every member of the ring holds it, or, if the ring
		// breaks first, the next ring settled with this member's state in it (a ring that is not
		// operational now will not be stable: the write waits for the next)
		this.awaitingStable.add(waiting);
		this.host.whenStable(() -> guarded("telling a write", () -> stable(waiting)));
	}

	private void stable(Pending waiting) {
		Outcome outcome = waiting.outcome;
		if (this.awaitingStable.remove(waiting) && outcome != null) {
			acknowledge(waiting, outcome);
		}
	}

	/**
	 * A stable write is told once it survives the failure of any one node: while this member is the only
	 * holder of the state and the others still receive it, it waits for one of them to hold it.
	 */
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
		if (waiting.bytes >= 0) {
			this.writes++;
			this.bytesWritten += waiting.bytes;
		}
		CompletableFuture<Object> future = (CompletableFuture<Object>) waiting.future;
		callback(() -> {
			if (!future.complete(value) && value instanceof Checkpoint checkpoint) {
				// the caller gave up on the open: nobody will close the handle
				checkpoint.close();
			}
		});
	}

	private void fail(Pending waiting, CheckpointError error, String detail) {
		this.refusals++;
		CheckpointException failure = new CheckpointException(error, detail);
		callback(() -> waiting.future.completeExceptionally(failure));
	}

	/** This member dropped its state, or the service closed: everything waiting fails, every handle is gone. */
	private void failAll(CheckpointError error, String detail) {
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
		for (Checkpoint handle : this.handles.values()) {
			handle.closed(error);
		}
		this.handles.clear();
	}

	private void shutDown(String why) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.holdsState = false;
		cancelTimers();
		failAll(CheckpointError.CLOSED, why);
		ReplicaGroup current = this.group;
		if (current != null) {
			current.close();
		}
		CheckpointException failure = new CheckpointException(CheckpointError.CLOSED, why);
		callback(() -> this.ready.completeExceptionally(failure));
		callback(this.callbacks::shutdown);
	}

	/** Runs {@code work} on the event loop, or fails {@code result} if the node stopped. */
	private void onLoop(CompletableFuture<?> result, Runnable work) {
		try {
			this.host.loop().execute(() -> guarded("serving a checkpoint call", work));
		}
		catch (RejectedExecutionException stopped) {
			result.completeExceptionally(new CheckpointException(CheckpointError.CLOSED, "the node stopped"));
		}
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

	/**
	 * Runs application-facing completions on the callback thread, never on the event loop; once the
	 * service closed, on the common pool.
	 */
	private void callback(Runnable completion) {
		try {
			this.callbacks.execute(completion);
		}
		catch (RejectedExecutionException closed) {
			CompletableFuture.runAsync(completion);
		}
	}

	private static <T> CompletableFuture<T> failed(CheckpointError error, String detail) {
		return CompletableFuture.failedFuture(new CheckpointException(error, detail));
	}

	// ---------------------------------------------------------------------------------------------
	// The coordinator's timers

	/** Arms a timer for each checkpoint whose retention runs and for the soonest expiration; drops the others. */
	private void armTimers() {
		CheckpointState current = this.state;
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
			if (idle.retentionMillis() >= CheckpointAttributes.FOREVER_MILLIS) {
				continue;
			}
			this.retentionTimers.put(idle.name(), new Timer(idle.generation(),
					schedule(idle.retentionMillis(), () -> retire(idle.name(), idle.generation()))));
		}
		for (Map.Entry<String, Timer> gone : stale.entrySet()) {
			gone.getValue().cancel.run();
			this.retentionTimers.remove(gone.getKey());
		}
		long next = current.nextExpiration();
		if (next != this.expiryArmedFor || this.expiryTimer == null) {
			cancelExpiry();
			if (next != CheckpointState.NEVER && !this.expirySent) {
				this.expiryArmedFor = next;
				long delay = Math.max(0, next - this.host.currentTimeMillis());
				this.expiryTimer = schedule(delay, this::expire);
			}
		}
	}

	private Runnable schedule(long delayMillis, Runnable task) {
		return this.host.schedule(delayMillis, () -> guarded("running a checkpoint timer", task));
	}

	private void retire(String name, long generation) {
		Timer timer = this.retentionTimers.get(name);
		if (timer == null || timer.generation != generation || !this.coordinating || this.closed) {
			return;
		}
		if (this.group.send(CheckpointCodec.encode(new Retire(0, name, generation)))) {
			// kept, spent, so the same generation is not timed again before the retirement is applied
			this.retentionTimers.put(name, new Timer(generation, () -> {
			}));
			logger.debug("Retention of checkpoint '{}' ran out", name);
		}
		else {
			this.retentionTimers.put(name, new Timer(generation, schedule(RESEND_MILLIS, () -> retire(name, generation))));
		}
	}

	private void expire() {
		this.expiryTimer = null;
		this.expiryArmedFor = CheckpointState.NEVER;
		if (!this.coordinating || this.closed) {
			return;
		}
		long now = this.host.currentTimeMillis();
		if (this.group.send(CheckpointCodec.encode(new Expire(0, now)))) {
			this.expirySent = true;
		}
		else {
			this.expiryTimer = schedule(RESEND_MILLIS, this::expire);
		}
	}

	private void cancelExpiry() {
		Runnable cancel = this.expiryTimer;
		if (cancel != null) {
			cancel.run();
		}
		this.expiryTimer = null;
		this.expiryArmedFor = CheckpointState.NEVER;
	}

	private void cancelTimers() {
		for (Timer timer : this.retentionTimers.values()) {
			timer.cancel.run();
		}
		this.retentionTimers.clear();
		cancelExpiry();
		this.expirySent = false;
	}

	private record Timer(long generation, Runnable cancel) {
	}

	// ---------------------------------------------------------------------------------------------

	/** A call of this member's, from its sending until it is told. */
	private static final class Pending {

		final long request;

		final String what;

		final boolean stable;

		final long bytes;

		final CompletableFuture<?> future;

		final Function<Outcome, ?> result;

		@Nullable Outcome outcome;

		Pending(long request, String what, boolean stable, long bytes, CompletableFuture<?> future,
				Function<Outcome, ?> result) {
			this.request = request;
			this.what = what;
			this.stable = stable;
			this.bytes = bytes;
			this.future = future;
			this.result = result;
		}

	}

	/** What the state tells this member. */
	private final class StateListener implements CheckpointState.Listener {

		@Override
		public void applied(long request, Outcome outcome) {
			Pending waiting = CheckpointService.this.pending.get(request);
			if (waiting != null) {
				waiting.outcome = outcome;
			}
		}

		@Override
		public void settled(boolean coordinator) {
			boolean was = CheckpointService.this.coordinating;
			CheckpointService.this.coordinating = coordinator;
			if (!coordinator) {
				cancelTimers();
			}
			else {
				if (!was) {
					logger.debug("Checkpoint service: this member runs the retention and expiry timers");
				}
				armTimers();
			}
		}

		@Override
		public void lost() {
			CheckpointService.this.coordinating = false;
			cancelTimers();
		}

	}

	/** What the replica group tells this member. */
	private final class Observer implements ReplicaGroup.Observer {

		@Override
		public void synchronizedChanged(boolean synced) {
			CheckpointService.this.holdsState = synced;
			if (synced) {
				CheckpointService.this.transfers++;
				if (!CheckpointService.this.ready.isDone()) {
					callback(() -> CheckpointService.this.ready.complete(null));
				}
				return;
			}
			logger.info("Checkpoint service: this member dropped its state; its handles are closed and what it "
					+ "waited for fails");
			failAll(CheckpointError.NO_QUORUM, "this member dropped its state (it left the primary component, or its "
					+ "state was stale); the outcome is unknown");
		}

		@Override
		public void delivered(Member from, byte[] operation, boolean applied) {
			if (from.equals(CheckpointService.this.group.self())) {
				CheckpointService.this.delivered(operation, applied);
			}
		}

		@Override
		public void ringChanged(long ringSeq) {
			Set<Pending> stable = CheckpointService.this.awaitingStable;
			if (stable.isEmpty()) {
				return;
			}
			CheckpointService.this.awaitingSettle.addAll(stable);
			stable.clear();
			// a delivery in the new ring tells them even when the group's membership did not change
			if (CheckpointService.this.holdsState) {
				CheckpointService.this.group.send(CheckpointCodec.encode(new Synchronize(0, 0, 0)));
			}
		}

		@Override
		public void afterEvent() {
			ReplicaGroup current = CheckpointService.this.group;
			Set<Pending> settle = CheckpointService.this.awaitingSettle;
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
			Set<Pending> durable = CheckpointService.this.awaitingDurable;
			if (!durable.isEmpty() && current.durable()) {
				List<Pending> told = List.copyOf(durable);
				durable.clear();
				for (Pending waiting : told) {
					succeed(waiting, waiting.outcome);
				}
			}
			CheckpointState state = CheckpointService.this.state;
			if (CheckpointService.this.coordinating && state != null
					&& state.timerChanges() != CheckpointService.this.timerChangesSeen) {
				armTimers();
			}
		}

		@Override
		public void failed() {
			shutDown("the node stopped the checkpoint group after an internal error");
		}

	}

}
