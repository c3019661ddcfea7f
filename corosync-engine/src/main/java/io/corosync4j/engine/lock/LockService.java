package io.corosync4j.engine.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;

import io.corosync4j.engine.lock.LockMessage.GraceEnd;
import io.corosync4j.engine.lock.LockMessage.Purge;
import io.corosync4j.engine.lock.LockMessage.Release;
import io.corosync4j.engine.lock.LockMessage.Request;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaGroup;
import io.corosync4j.engine.replica.ReplicaHost;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distributed locks for this node's processes: a member of the CPG group {@value #GROUP_NAME} that runs
 * the agreed {@link LockTable} on the node's event loop and completes callers' futures on a thread of its
 * own (never the event loop). Thread-safe.
 *
 * <p>Requests made before this member holds a table (just started, or outside the primary component)
 * wait here until it does, within their timeout; try-locks are refused at once with
 * {@link LockError#NO_QUORUM}.
 */
public final class LockService implements AutoCloseable {

	/** The CPG group the lock service's members share. */
	public static final String GROUP_NAME = "corosync4j:lck";

	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.lck");

	private final ReplicaHost host;

	private final ExecutorService callbacks;

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	// on the event loop

	private final ReplicaGroup group;

	private @Nullable LockTable table;

	private final Map<Long, Pending> pending = new LinkedHashMap<>();

	private long nextId;

	private boolean closed;

	/** Grants made in a ring that ended before they were told: told once the next ring settles. */
	private final Set<Pending> grantedInEarlierRings = new LinkedHashSet<>();

	// read from any thread, written on the loop

	private volatile boolean hasTable;

	private volatile long requests;

	private volatile long grants;

	private volatile long waits;

	private volatile long waitNanos;

	private volatile long refusals;

	private volatile long timeouts;

	private volatile long lost;

	private volatile long held;

	private volatile long malformed;


	/** Joins the lock group; requests can be made at once and are sent once this member holds a table. */
	public LockService(ReplicaHost host) {
		this(host, Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "corosync-locks");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * Joins the lock group, completing callers' futures with {@code callbacks} (shut down when the service
	 * closes); a simulation passes one that runs them at once, in its own order.
	 */
	public LockService(ReplicaHost host, ExecutorService callbacks) {
		this.host = host;
		this.callbacks = callbacks;
		this.group = new ReplicaGroup(host, GROUP_NAME, (view) -> {
			LockTable created = new LockTable(view, new Effects());
			this.table = created;
			return created;
		}, new Observer());
		host.loop().execute(() -> guarded("joining the lock group", this.group::join));
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/** Completes when this member first holds the lock table (its component is primary and it synchronized). */
	public CompletionStage<Void> ready() {
		return this.ready.minimalCompletionStage();
	}

	/** Whether this member holds the lock table now: it is in the primary component and synchronized. */
	public boolean inPrimaryComponent() {
		return this.hasTable;
	}

	/**
	 * Asks for a lock. The future completes with the held lock, or fails with a {@link LockException} naming
	 * why; cancelling it withdraws the request (or releases the lock, if it was granted meanwhile).
	 */
	public CompletableFuture<HeldLock> lock(LockRequest request) {
		CompletableFuture<HeldLock> result = new CompletableFuture<>();
		onLoop(result, request.resource(), () -> guarded("requesting a lock", () -> request(request, result)));
		return result;
	}

	/** An exclusive or shared lock, waiting at most {@code timeout}. */
	public CompletableFuture<HeldLock> lock(String resource, LockMode mode, Duration timeout) {
		return lock(new LockRequest(resource, mode, timeout, false, false, false, 0, Duration.ZERO));
	}

	/** A lock granted now or never: fails with {@link LockError#NOT_AVAILABLE} if someone holds or waits. */
	public CompletableFuture<HeldLock> tryLock(String resource, LockMode mode) {
		return lock(new LockRequest(resource, mode, null, true, false, false, 0, Duration.ZERO));
	}

	/** Frees the resource's orphaned locks; completes when the group applied it. */
	public CompletableFuture<Void> purge(String resource) {
		LockCodec.checkName(resource);
		CompletableFuture<Void> done = new CompletableFuture<>();
		onLoop(done, resource, () -> guarded("purging orphan locks", () -> {
			if (this.closed) {
				callback(() -> done.completeExceptionally(new LockException(LockError.CLOSED, resource)));
				return;
			}
			// this member's messages arrive in the order sent: its oldest purge is the next delivered
			this.purges.add(done);
			send(new Purge(resource));
		}));
		return done;
	}

	/** Resources with holders or waiters, as this member's table has them (empty without a table). */
	public CompletableFuture<List<LockResourceView>> resources() {
		CompletableFuture<List<LockResourceView>> result = new CompletableFuture<>();
		onLoop(result, "(view)", () -> {
			LockTable current = this.table;
			List<LockResourceView> views = new ArrayList<>();
			if (current != null && this.hasTable) {
				for (LockMessage.ResourceState state : current.resources()) {
					views.add(new LockResourceView(state.name(), state.holders().stream().map(LockView::of).toList(),
							state.waiters().stream().map(LockView::of).toList()));
				}
			}
			callback(() -> result.complete(views));
		});
		return result;
	}

	/** Runs {@code work} on the event loop, or fails {@code result} if the node stopped. */
	private void onLoop(CompletableFuture<?> result, String resource, Runnable work) {
		try {
			this.host.loop().execute(work);
		}
		catch (RejectedExecutionException stopped) {
			result.completeExceptionally(new LockException(LockError.CLOSED, resource));
		}
	}

	public LockStatistics statistics() {
		return new LockStatistics(this.requests, this.grants, this.waits, this.waitNanos, this.refusals, this.timeouts,
				this.lost, this.held, this.waiting);
	}

	/** Lock messages from other members that could not be read, dropped. */
	public long malformedMessages() {
		return this.malformed;
	}

	/**
	 * Leaves the lock group: this member's requests fail and its locks are lost here and freed everywhere
	 * (orphan locks stay). Returns at once; the others see this member leave in agreed order.
	 */
	@Override
	public void close() {
		try {
			this.host.loop().execute(() -> shutDown(LockError.CLOSED));
		}
		catch (RejectedExecutionException stopped) {
			this.callbacks.shutdown();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// On the event loop

	private final List<CompletableFuture<Void>> purges = new ArrayList<>();

	/** Requests waiting: not sent yet, sent, or granted and not told yet. */
	private volatile long waiting;

	private void request(LockRequest request, CompletableFuture<HeldLock> result) {
		if (this.closed || this.group.backlog() >= ReplicaGroup.OUTBOX_LIMIT) {
			LockException refused = new LockException(this.closed ? LockError.CLOSED : LockError.TRY_AGAIN,
					request.resource());
			callback(() -> result.completeExceptionally(refused));
			return;
		}
		this.requests++;
		Pending waiting = new Pending(++this.nextId, request, result, System.nanoTime());
		this.pending.put(waiting.id, waiting);
		this.waiting++;
		Duration timeout = request.timeout();
		// a century or more is no timeout (and would overflow the timer's arithmetic)
		if (timeout != null && timeout.toSeconds() < 100L * 365 * 24 * 3600) {
			waiting.cancelTimeout = this.host.schedule(Math.max(0, timeout.toMillis()),
					() -> guarded("timing out a lock request", () -> giveUp(waiting, LockError.TIMEOUT)));
		}
		result.whenComplete((lock, failure) -> {
			if (failure instanceof CancellationException) {
				this.host.loop().execute(() -> guarded("cancelling a lock request", () -> giveUp(waiting, null)));
			}
		});
		if (this.hasTable) {
			sendRequest(waiting);
		}
		else if (request.tryOnly()) {
			finish(waiting, LockError.NO_QUORUM);
		}
	}

	private void sendRequest(Pending waiting) {
		LockRequest request = waiting.request;
		setState(waiting, State.SENT);
		send(new Request(waiting.id, request.owner(), request.resource(), request.mode(), request.flags(),
				(int) request.grace().toMillis()));
	}

	/** The caller stopped waiting (timeout, or {@code error == null}: cancelled). */
	private void giveUp(Pending waiting, @Nullable LockError error) {
		if (this.pending.get(waiting.id) != waiting) {
			return;
		}
		switch (waiting.state) {
			case LOCAL -> {
				LockError reason = (error == LockError.TIMEOUT && !this.hasTable) ? LockError.NO_QUORUM : error;
				if (reason == null) {
					forget(waiting);
				}
				else {
					finish(waiting, reason);
				}
			}
			case SENT, GRANTED -> {
				// the release withdraws the request, or frees the lock if a grant overtakes it
				setState(waiting, State.ABANDONED);
				send(new Release(waiting.id));
				if (error != null) {
					this.timeouts++;
					this.refusals++;
					completeExceptionally(waiting, error);
				}
			}
			case HELD -> {
				if (error == null) {
					// cancelled while the grant was on its way to the caller: nobody will unlock it
					setState(waiting, State.RELEASING);
					this.held--;
					send(new Release(waiting.id));
				}
			}
			default -> {
			}
		}
	}

	CompletableFuture<Void> unlock(HeldLock lock) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		onLoop(done, lock.resource(), () -> guarded("releasing a lock", () -> {
			Pending granted = this.pending.get(lock.id);
			if (granted == null || granted.state != State.HELD) {
				callback(() -> done.complete(null));
				return;
			}
			setState(granted, State.RELEASING);
			granted.released = done;
			this.held--;
			send(new Release(granted.id));
		}));
		return done;
	}

	private void send(LockMessage message) {
		this.group.send(LockCodec.encode(message));
	}

	private void finish(Pending waiting, LockError error) {
		forget(waiting);
		this.refusals++;
		if (error == LockError.TIMEOUT) {
			this.timeouts++;
		}
		completeExceptionally(waiting, error);
	}

	private void completeExceptionally(Pending waiting, LockError error) {
		LockException failure = new LockException(error, waiting.request.resource());
		callback(() -> waiting.result.completeExceptionally(failure));
	}

	private void forget(Pending waiting) {
		if (this.pending.remove(waiting.id) != null && waiting.state.waits()) {
			this.waiting--;
		}
		Runnable cancel = waiting.cancelTimeout;
		if (cancel != null) {
			cancel.run();
		}
	}

	private void shutDown(LockError error) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		for (Pending waiting : List.copyOf(this.pending.values())) {
			failLocal(waiting, error);
		}
		for (CompletableFuture<Void> done : this.purges) {
			callback(() -> done.completeExceptionally(new LockException(error, "(purge)")));
		}
		this.purges.clear();
		this.grantedInEarlierRings.clear();
		this.hasTable = false;
		this.group.close();
		callback(() -> this.ready.completeExceptionally(new LockException(error, "(service)")));
		callback(this.callbacks::shutdown);
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

	/** A request of this member ends: refused if it waited, lost if it was held. */
	private void failLocal(Pending waiting, LockError error) {
		forget(waiting);
		switch (waiting.state) {
			case HELD -> {
				this.held--;
				this.lost++;
				HeldLock lock = waiting.lock;
				if (lock != null) {
					lock.lose(error);
					callback(() -> lock.tellLost(error));
				}
			}
			case RELEASING -> {
				CompletableFuture<Void> done = waiting.released;
				if (done != null) {
					callback(() -> done.complete(null));
				}
			}
			case ABANDONED -> {
			}
			default -> {
				this.refusals++;
				if (error == LockError.TIMEOUT) {
					this.timeouts++;
				}
				completeExceptionally(waiting, error);
			}
		}
	}

	/** An internal error here is a broken replica: stop the node rather than go on with a table that may differ. */
	private void guarded(String during, Runnable work) {
		try {
			work.run();
		}
		catch (RuntimeException | Error ex) {
			shutDown(LockError.CLOSED);
			this.host.failStop(during, ex);
		}
	}

	private void setState(Pending request, State next) {
		if (this.pending.get(request.id) == request && request.state.waits() != next.waits()) {
			this.waiting += next.waits() ? 1 : -1;
		}
		request.state = next;
	}

	private enum State {

		/** Not sent yet: this member has no table. */
		LOCAL,

		/** Sent, not granted yet. */
		SENT,

		/** Granted in the table, not told yet: until every member holds the grant, or the next ring settles. */
		GRANTED,

		/** Given up by the caller; a release is on its way. */
		ABANDONED,

		HELD,

		/** Unlocked by the caller; the release is on its way. */
		RELEASING;

		boolean waits() {
			return this == LOCAL || this == SENT || this == GRANTED;
		}

	}

	private static final class Pending {

		final long id;

		final LockRequest request;

		final CompletableFuture<HeldLock> result;

		final long started;

		State state = State.LOCAL;

		boolean waited;

		@Nullable Runnable cancelTimeout;

		@Nullable HeldLock lock;

		@Nullable CompletableFuture<Void> released;

		Pending(long id, LockRequest request, CompletableFuture<HeldLock> result, long started) {
			this.id = id;
			this.request = request;
			this.result = result;
			this.started = started;
		}

	}

	/** What the table asks of this member. */
	private final class Effects implements LockTable.Effects {

		@Override
		public void granted(long id, long fence, boolean waited) {
			Pending waiting = LockService.this.pending.get(id);
			if (waiting == null || waiting.state != State.SENT) {
				// abandoned: its release is on the way
				return;
			}
			// told only once no later component can have missed it: once every member of the ring holds
			// the delivery that granted it, or, if the ring breaks first, when the next one settles primary
			setState(waiting, State.GRANTED);
			waiting.waited = waited;
			waiting.lock = new HeldLock(LockService.this, id, waiting.request.resource(), waiting.request.mode(), fence);
			LockService.this.host.whenStable(() -> guarded("telling a grant", () -> tell(waiting)));
		}

		@Override
		public void failed(long id, LockError error) {
			Pending waiting = LockService.this.pending.get(id);
			if (waiting != null) {
				failLocal(waiting, error);
			}
		}

		@Override
		public void released(long id) {
			Pending waiting = LockService.this.pending.get(id);
			if (waiting == null) {
				return;
			}
			forget(waiting);
			CompletableFuture<Void> done = waiting.released;
			if (done != null) {
				LockService.this.callback(() -> done.complete(null));
			}
		}

		@Override
		public void malformed(byte[] operation) {
			LockService.this.malformed++;
			logger.debug("Dropped a lock message of {} bytes that could not be read", operation.length);
		}

		@Override
		public long wallClockMillis() {
			return LockService.this.host.currentTimeMillis();
		}

		@Override
		public void graceStarted(long epoch, long millis) {
			LockService.this.host.schedule(millis, () -> guarded("ending a lock grace period", () -> {
				if (!LockService.this.closed) {
					LockService.this.send(new GraceEnd(epoch));
				}
			}));
		}

	}

	/** What the lock group tells this member besides the table's events, on the event loop. */
	private final class Observer implements ReplicaGroup.Observer {

		@Override
		public void synchronizedChanged(boolean synced) {
			LockService.this.hasTable = synced;
			if (!synced) {
				logger.info("Lock service: this member left the primary component; its locks are lost");
				// requests still on their way are not in any table any more: they fail like those waiting in it
				for (Pending waiting : List.copyOf(LockService.this.pending.values())) {
					if (waiting.state == State.SENT) {
						failLocal(waiting, LockError.NO_QUORUM);
					}
					else if (waiting.state == State.ABANDONED) {
						forget(waiting);
					}
				}
				return;
			}
			logger.debug("Lock service: this member holds the lock table");
			if (!LockService.this.ready.isDone()) {
				LockService.this.callback(() -> LockService.this.ready.complete(null));
			}
			for (Pending waiting : List.copyOf(LockService.this.pending.values())) {
				if (waiting.state == State.LOCAL) {
					sendRequest(waiting);
				}
			}
		}

		@Override
		public void delivered(Member from, byte[] operation, boolean applied) {
			if (!from.equals(LockService.this.group.self()) || LockService.this.purges.isEmpty()
					|| !(LockCodec.decode(operation) instanceof Purge purge)) {
				return;
			}
			CompletableFuture<Void> done = LockService.this.purges.remove(0);
			callback(() -> {
				if (applied) {
					done.complete(null);
				}
				else {
					done.completeExceptionally(new LockException(LockError.NO_QUORUM, purge.resource()));
				}
			});
		}

		@Override
		public void afterEvent() {
			// a grant of an earlier ring is told once this one settled with this member's table in it
			Set<Pending> earlier = LockService.this.grantedInEarlierRings;
			if (!earlier.isEmpty() && LockService.this.group.settled()) {
				List<Pending> settled = List.copyOf(earlier);
				earlier.clear();
				settled.forEach(LockService.this::tell);
			}
		}

		@Override
		public void ringChanged(long ringSeq) {
			// grants not told in the ring that ended wait for this one to settle (their stability wait is gone)
			for (Pending waiting : LockService.this.pending.values()) {
				if (waiting.state == State.GRANTED) {
					LockService.this.grantedInEarlierRings.add(waiting);
				}
			}
		}

		@Override
		public void failed() {
			shutDown(LockError.CLOSED);
		}

	}

	/** The caller learns it holds the lock. */
	private void tell(Pending waiting) {
		HeldLock lock = waiting.lock;
		if (waiting.state != State.GRANTED || lock == null || this.pending.get(waiting.id) != waiting) {
			return;
		}
		Runnable cancel = waiting.cancelTimeout;
		if (cancel != null) {
			cancel.run();
		}
		setState(waiting, State.HELD);
		this.grants++;
		this.held++;
		this.waitNanos += System.nanoTime() - waiting.started;
		if (waiting.waited) {
			this.waits++;
		}
		callback(() -> {
			if (!waiting.result.complete(lock)) {
				// cancelled as it was granted: the cancellation releases it
				lock.markReleased();
			}
		});
	}

}
