package io.corosync4j.engine.servicegroup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaGroup;
import io.corosync4j.engine.replica.ReplicaHost;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Activated;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Fail;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Nop;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Quiesced;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Register;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Repair;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Switchover;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Withdraw;
import io.corosync4j.engine.servicegroup.ServiceGroupTable.UnitEvent;
import io.corosync4j.engine.servicegroup.ServiceUnit.Activation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active/standby service groups for this node's processes: a member of the CPG group
 * {@value #GROUP_NAME} that runs the replicated {@link ServiceGroupTable} on the node's event loop and
 * tells the application's {@link ServiceUnitListener}s on a thread of its own (never the event loop), in
 * the order the changes happened. Thread-safe.
 *
 * <p>A unit is told {@link ServiceUnitState#ACTIVE} only once the assignment cannot be undone by a split:
 * once every member of the ring holds the delivery that made it, or, if the ring breaks first, once a
 * later ring settled in the primary component with the unit still assigned; then, when it replaces an
 * active whose node failed, after its {@link Fencer}. It steps down without waiting for anything: at once
 * when this member drops the table (quorum lost), when it is withdrawn or reported failed, and when a
 * switchover asks it to quiesce.
 */
public final class ServiceGroupService implements AutoCloseable {

	/** The CPG group the service group members share. */
	public static final String GROUP_NAME = "corosync4j:amf";

	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.amf");

	private static final CompletableFuture<@Nullable Void> DONE = CompletableFuture.completedFuture(null);

	private final ReplicaHost host;

	private final ExecutorService callbacks;

	private final ReplicaGroup replica;

	private final CompletableFuture<@Nullable Void> ready = new CompletableFuture<>();

	// any thread

	/** This process's units, by group: at most one each. */
	private final Map<String, ServiceUnit> units = new ConcurrentHashMap<>();

	private final AtomicLong unitIds = new AtomicLong();

	private volatile boolean closing;

	// on the event loop

	private @Nullable ServiceGroupTable table;

	/** Units by number, until their withdrawal is applied. */
	private final Map<Long, ServiceUnit> byId = new HashMap<>();

	private final Map<Long, Pending> requests = new LinkedHashMap<>();

	private final List<Activation> activations = new ArrayList<>();

	private long nextRequest;

	/** Ring changes seen: an activation of an earlier ring is told once the table settled in a later one. */
	private long rings;

	private boolean shutDown;

	// read from any thread, written on the loop

	private volatile long failovers;

	private volatile long switchovers;

	private volatile long told;

	private volatile long stepDowns;

	private volatile long fencingFailures;

	private volatile long malformed;

	/** Joins the group; units can be registered at once and are offered once this member holds the table. */
	public ServiceGroupService(ReplicaHost host) {
		this(host, Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "corosync-service-groups");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * Joins the group, telling listeners, running fencers and completing futures with {@code callbacks}
	 * (one thread, so listeners hear changes in order; shut down when the service closes). A simulation
	 * passes one that runs them at once.
	 */
	public ServiceGroupService(ReplicaHost host, ExecutorService callbacks) {
		this.host = host;
		this.callbacks = callbacks;
		this.replica = new ReplicaGroup(host, GROUP_NAME, (view) -> {
			ServiceGroupTable created = new ServiceGroupTable(view, new Effects());
			this.table = created;
			return created;
		}, new Observer());
		host.loop().execute(() -> this.replica.guarded("joining the service groups", this.replica::join));
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/** Completes when this member first holds the table (its component is primary and it synchronized). */
	public CompletionStage<@Nullable Void> ready() {
		return this.ready.minimalCompletionStage();
	}

	/** Whether this member holds the table now: it is in the primary component and synchronized. */
	public boolean inPrimaryComponent() {
		return this.replica.holdsState();
	}

	/** Offers a unit of {@code spec.group()}; see {@link #register(ServiceUnitSpec, ServiceUnitListener, Fencer)}. */
	public ServiceUnit register(ServiceUnitSpec spec, ServiceUnitListener listener) throws ServiceGroupException {
		return register(spec, listener, null);
	}

	/**
	 * Offers a unit of {@code spec.group()}. It is registered in the table once this member holds it (at
	 * once, or after the state transfer); the listener hears {@link ServiceUnitState#STANDBY} then, or
	 * {@link ServiceUnitState#ACTIVE} if it is chosen.
	 * @param fencer run before this unit is told it is active in place of an active whose node failed;
	 * {@code null}: none (the grace period is then all that separates the two)
	 * @throws ServiceGroupException {@link ServiceGroupError#EXISTS} when this process already offers a unit
	 * of the group, {@link ServiceGroupError#CLOSED} when the service closed
	 */
	public ServiceUnit register(ServiceUnitSpec spec, ServiceUnitListener listener, @Nullable Fencer fencer)
			throws ServiceGroupException {
		if (this.closing) {
			throw new ServiceGroupException(ServiceGroupError.CLOSED, spec.group());
		}
		ServiceUnit unit = new ServiceUnit(this, this.unitIds.incrementAndGet(), spec, listener, fencer);
		if (this.units.putIfAbsent(spec.group(), unit) != null) {
			throw new ServiceGroupException(ServiceGroupError.EXISTS, spec.group());
		}
		try {
			this.host.loop().execute(() -> this.replica.guarded("registering a service unit", () -> {
				if (this.shutDown) {
					this.units.remove(spec.group(), unit);
					return;
				}
				this.byId.put(unit.id, unit);
				sendRegister(unit);
			}));
		}
		catch (RejectedExecutionException stopped) {
			this.units.remove(spec.group(), unit);
			throw new ServiceGroupException(ServiceGroupError.CLOSED, spec.group());
		}
		return unit;
	}

	/**
	 * Moves the group's activity from its active to the best standby: the active is told
	 * {@link ServiceUnitState#QUIESCING}, and once it completed {@link StateChange#quiesced()} (or its
	 * quiesce timeout ran out) the standby becomes active. Completes when the group accepted the request.
	 */
	public CompletableFuture<@Nullable Void> switchover(String group) {
		return requestSwitchover(group, null);
	}

	/** Moves the group's activity to the unit of process {@code target}, which must be a standby. */
	public CompletableFuture<@Nullable Void> switchover(String group, Member target) {
		return requestSwitchover(group, target);
	}

	/** The groups as this member's table holds them (empty without the table). */
	public CompletableFuture<List<ServiceGroupView>> groups() {
		CompletableFuture<List<ServiceGroupView>> result = new CompletableFuture<>();
		onLoop(result, "(view)", () -> {
			ServiceGroupTable current = this.table;
			List<ServiceGroupView> views = (current != null && this.replica.holdsState()) ? current.views() : List.of();
			callback(() -> result.complete(views));
		});
		return result;
	}

	/** This process's units, by group. */
	public Map<String, ServiceUnit> units() {
		return Map.copyOf(this.units);
	}

	public ServiceGroupStatistics statistics() {
		long active = this.units.values().stream().filter(ServiceUnit::isActive).count();
		return new ServiceGroupStatistics(this.failovers, this.switchovers, this.told, this.stepDowns,
				this.fencingFailures, this.units.size(), active);
	}

	/** Service group operations from members that could not be read, dropped. */
	public long malformedMessages() {
		return this.malformed + this.replica.malformedMessages();
	}

	/**
	 * Leaves the group: this process's units are told {@link ServiceUnitState#UNASSIGNED} at once, and the
	 * others fail over once they see this member leave. Returns at once.
	 */
	@Override
	public void close() {
		this.closing = true;
		try {
			this.host.loop().execute(() -> shutDown(ChangeReason.CLOSED));
		}
		catch (RejectedExecutionException stopped) {
			this.callbacks.shutdown();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Requests of units, on the event loop

	CompletableFuture<@Nullable Void> fail(ServiceUnit unit, String reason) {
		String fitted = ServiceGroupCodec.fitReason(reason);
		CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
		onLoop(done, unit.group(), () -> {
			if (unrequestable(unit, done)) {
				return;
			}
			unit.failure = fitted;
			stepDown(unit, ServiceUnitState.FAILED, ChangeReason.FAILED, fitted);
			if (unit.registerSent && this.replica.holdsState()) {
				long request = track(unit.group(), done, true);
				send(new Fail(request, unit.id, unit.group(), fitted), request, true);
			}
			else {
				callback(() -> done.complete(null));
			}
		});
		return done;
	}

	CompletableFuture<@Nullable Void> repair(ServiceUnit unit) {
		CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
		onLoop(done, unit.group(), () -> {
			if (unrequestable(unit, done)) {
				return;
			}
			if (unit.failure == null) {
				callback(() -> done.complete(null));
				return;
			}
			unit.failure = null;
			if (unit.registerSent && this.replica.holdsState()) {
				long request = track(unit.group(), done, true);
				send(new Repair(request, unit.id, unit.group()), request);
			}
			else {
				if (unit.queued == ServiceUnitState.FAILED) {
					tell(unit, ServiceUnitState.UNASSIGNED, ChangeReason.REPAIRED, null, 0, "", 0);
				}
				callback(() -> done.complete(null));
			}
		});
		return done;
	}

	CompletableFuture<@Nullable Void> withdraw(ServiceUnit unit) {
		this.units.remove(unit.group(), unit);
		CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
		onLoop(done, unit.group(), () -> {
			if (unit.withdrawn || this.shutDown) {
				callback(() -> done.complete(null));
				return;
			}
			unit.withdrawn = true;
			stepDown(unit, ServiceUnitState.UNASSIGNED, ChangeReason.WITHDRAWN, "");
			if (unit.registerSent && this.replica.holdsState()) {
				long request = track(unit.group(), done, true, unit.id);
				send(new Withdraw(request, unit.id, unit.group()), request, true);
			}
			else {
				this.byId.remove(unit.id);
				callback(() -> done.complete(null));
			}
		});
		return done;
	}

	CompletableFuture<@Nullable Void> switchover(ServiceUnit unit) {
		CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
		onLoop(done, unit.group(), () -> {
			if (unrequestable(unit, done)) {
				return;
			}
			boolean active = unit.tableState == ServiceUnitState.ACTIVE || unit.tableState == ServiceUnitState.QUIESCING;
			switchoverOnLoop(unit.group(), active ? null : this.replica.self(), done);
		});
		return done;
	}

	private CompletableFuture<@Nullable Void> requestSwitchover(String group, @Nullable Member target) {
		ServiceUnitSpec.checkName(group);
		CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
		onLoop(done, group, () -> switchoverOnLoop(group, target, done));
		return done;
	}

	private void switchoverOnLoop(String group, @Nullable Member target, CompletableFuture<@Nullable Void> done) {
		if (this.shutDown) {
			fail(done, ServiceGroupError.CLOSED, group);
			return;
		}
		if (!this.replica.holdsState()) {
			fail(done, ServiceGroupError.NO_QUORUM, group);
			return;
		}
		long request = track(group, done, false);
		send(new Switchover(request, group, target), request);
	}

	/** Fails {@code done} if the unit cannot take requests (withdrawn, or the service closed). */
	private boolean unrequestable(ServiceUnit unit, CompletableFuture<@Nullable Void> done) {
		if (this.shutDown) {
			fail(done, ServiceGroupError.CLOSED, unit.group());
			return true;
		}
		if (unit.withdrawn) {
			fail(done, ServiceGroupError.NOT_FOUND, unit.group());
			return true;
		}
		return false;
	}

	private long track(String group, CompletableFuture<@Nullable Void> done, boolean doneWithoutTable) {
		return track(group, done, doneWithoutTable, 0);
	}

	private long track(String group, CompletableFuture<@Nullable Void> done, boolean doneWithoutTable, long withdrawn) {
		long request = ++this.nextRequest;
		this.requests.put(request, new Pending(group, done, doneWithoutTable, withdrawn));
		return request;
	}

	/** Sends a request; when the send queue is full, it fails with {@link ServiceGroupError#TRY_AGAIN}. */
	private void send(ServiceGroupMessage message, long request) {
		send(message, request, false);
	}

	/**
	 * Sends a request; when the send queue is full, it fails with {@link ServiceGroupError#TRY_AGAIN},
	 * unless it is {@code stepDown}: a unit that stopped serving here must leave the table's assignment
	 * whatever the backlog, or the group would keep an active that serves nothing.
	 */
	private void send(ServiceGroupMessage message, long request, boolean stepDown) {
		if ((!stepDown && this.replica.backlog() >= ReplicaGroup.OUTBOX_LIMIT) || !send(message)) {
			Pending pending = this.requests.remove(request);
			if (pending != null) {
				fail(pending.done, ServiceGroupError.TRY_AGAIN, pending.group);
			}
		}
	}

	private boolean send(ServiceGroupMessage message) {
		return !this.shutDown && this.replica.send(ServiceGroupCodec.encode(message));
	}

	private void sendRegister(ServiceUnit unit) {
		if (unit.registerSent || unit.withdrawn || this.shutDown || !this.replica.holdsState()) {
			return;
		}
		ServiceUnitSpec spec = unit.spec();
		String failure = unit.failure;
		unit.registerSent = send(new Register(unit.id, spec.group(), spec.rank(), (int) spec.grace().toMillis(),
				(int) spec.quiesceTimeout().toMillis(), (failure != null) ? failure : ""));
	}

	// ---------------------------------------------------------------------------------------------
	// Telling the application

	/** The table changed a unit of this member. */
	private void unitChanged(UnitEvent event) {
		ServiceUnit unit = this.byId.get(event.unit());
		if (unit == null) {
			// a registration applied after its unit was given up (sent before this member lost the table)
			if (event.state() != ServiceUnitState.UNASSIGNED) {
				send(new Withdraw(0, event.unit(), event.group()));
			}
			return;
		}
		if (event.state() != ServiceUnitState.QUIESCED) {
			unit.tableState = event.state();
		}
		if (event.state() == ServiceUnitState.QUIESCING) {
			unit.quiesce = event.quiesce();
		}
		if (unit.withdrawn || (unit.failure != null && event.state() != ServiceUnitState.FAILED)) {
			// the unit already stepped down here; the table follows
			if (event.state() == ServiceUnitState.QUIESCING) {
				send(new Quiesced(unit.group(), event.quiesce()));
			}
			if (unit.withdrawn && event.state() == ServiceUnitState.UNASSIGNED) {
				this.byId.remove(unit.id);
			}
			return;
		}
		if (event.state() == ServiceUnitState.ACTIVE) {
			activate(unit, event);
			return;
		}
		unit.activation = null;
		if (event.state() == ServiceUnitState.QUIESCING && unit.queued != ServiceUnitState.ACTIVE) {
			// never told it was active: there is nothing to quiesce
			send(new Quiesced(unit.group(), event.quiesce()));
			return;
		}
		if (event.state() == ServiceUnitState.QUIESCED && unit.queued != ServiceUnitState.QUIESCING) {
			return;
		}
		tell(unit, event.state(), event.reason(), null, 0, event.detail(), event.quiesce());
	}

	/** The table made a unit of this member active: told once stable (or settled in a later ring), then fenced. */
	private void activate(ServiceUnit unit, UnitEvent event) {
		Activation activation = new Activation(unit, event.assignment(), event.reason(), event.previousActive(),
				event.fence(), this.rings);
		unit.activation = activation;
		this.activations.add(activation);
		// false when the ring is changing: then the next ring's settlement tells it (see ringChanged)
		this.host.whenStable(() -> this.replica.guarded("telling an activation", () -> stable(activation)));
	}

	/** Every member of the ring holds the assignment, or a later ring settled with it: fence, then tell. */
	private void stable(Activation activation) {
		ServiceUnit unit = activation.unit;
		this.activations.remove(activation);
		if (unit.activation != activation || activation.fencing) {
			return;
		}
		activation.fencing = true;
		Fencer fencer = unit.fencer;
		if (fencer == null || activation.fence.isEmpty()) {
			fenced(activation, null);
			return;
		}
		callback(() -> {
			CompletableFuture<@Nullable Object> chain = CompletableFuture.completedFuture(null);
			for (Member former : activation.fence) {
				chain = chain.thenCompose((ignored) -> {
					logger.info("Service group {}: fencing {} before activating this member's unit", unit.group(), former);
					CompletionStage<?> fencing = fencer.fence(unit.group(), former);
					return fencing.thenApply((result) -> null);
				});
			}
			chain.whenComplete((ignored, failure) -> {
				try {
					this.host.loop()
						.execute(() -> this.replica.guarded("activating a fenced unit", () -> fenced(activation, failure)));
				}
				catch (RejectedExecutionException stopped) {
					logger.debug("The node stopped while fencing for {}", unit.group());
				}
			});
		});
	}

	private void fenced(Activation activation, @Nullable Throwable failure) {
		ServiceUnit unit = activation.unit;
		if (unit.activation != activation || this.shutDown || !this.replica.holdsState()) {
			return;
		}
		unit.activation = null;
		if (failure != null) {
			this.fencingFailures++;
			String reason = ServiceGroupCodec.fitReason("fencing " + activation.fence + " failed: " + failure);
			logger.warn("Service group {}: {}; the group moves on", unit.group(), reason);
			unit.failure = reason;
			stepDown(unit, ServiceUnitState.FAILED, ChangeReason.FAILED, reason);
			send(new Fail(0, unit.id, unit.group(), reason));
			return;
		}
		if (unit.fencer != null) {
			// only a unit that can fence clears the group's record of former actives not fenced yet
			send(new Activated(unit.group(), activation.assignment));
		}
		this.told++;
		logger.info("Service group {}: this member's unit is active ({}, assignment {})", unit.group(),
				activation.reason, activation.assignment);
		tell(unit, ServiceUnitState.ACTIVE, activation.reason, activation.previous, activation.assignment, "", 0);
	}

	/** Activations of rings that ended: told once this member's table settled in a later ring. */
	private void tellEarlierRings() {
		if (!this.replica.settled()) {
			return;
		}
		for (Activation activation : List.copyOf(this.activations)) {
			if (activation.ring != this.rings) {
				stable(activation);
			}
		}
	}

	/** The unit stops here at once, whatever the table says next. */
	private void stepDown(ServiceUnit unit, ServiceUnitState next, ChangeReason reason, String detail) {
		unit.activation = null;
		tell(unit, next, reason, null, 0, detail, 0);
	}

	private void tell(ServiceUnit unit, ServiceUnitState next, ChangeReason reason, @Nullable Member previous,
			long assignment, String detail, long quiesce) {
		ServiceUnitState before = unit.queued;
		if (before == next) {
			return;
		}
		unit.queued = next;
		CompletableFuture<@Nullable Void> quiesced = DONE;
		if (next == ServiceUnitState.QUIESCING) {
			quiesced = new CompletableFuture<>();
			quiesced.whenComplete((ignored, failure) -> {
				try {
					this.host.loop().execute(() -> this.replica.guarded("ending a quiesce", () -> quiesced(unit, quiesce)));
				}
				catch (RejectedExecutionException stopped) {
					logger.debug("The node stopped while {} quiesced", unit);
				}
			});
		}
		StateChange change = new StateChange(unit.group(), reason, previous, assignment, detail, quiesced);
		callback(() -> {
			unit.told(next);
			try {
				unit.listener.onStateChange(before, next, change);
			}
			catch (RuntimeException ex) {
				logger.warn("The listener of {} failed on {} -> {}", unit, before, next, ex);
			}
		});
	}

	/** The application completed a quiesce: tell the group, if the unit still quiesces for that switchover. */
	private void quiesced(ServiceUnit unit, long quiesce) {
		if (unit.tableState == ServiceUnitState.QUIESCING && unit.quiesce == quiesce && this.replica.holdsState()) {
			send(new Quiesced(unit.group(), quiesce));
		}
	}

	// ---------------------------------------------------------------------------------------------

	private void onLoop(CompletableFuture<?> result, String group, Runnable work) {
		try {
			this.host.loop().execute(() -> this.replica.guarded("serving a service group request", work));
		}
		catch (RejectedExecutionException stopped) {
			result.completeExceptionally(new ServiceGroupException(ServiceGroupError.CLOSED, group));
		}
	}

	private void fail(CompletableFuture<?> done, ServiceGroupError error, String group) {
		ServiceGroupException failure = new ServiceGroupException(error, group);
		callback(() -> done.completeExceptionally(failure));
	}

	/** Runs application code on the callback thread, never the event loop; once it shut down, on the common pool. */
	private void callback(Runnable task) {
		try {
			this.callbacks.execute(task);
		}
		catch (RejectedExecutionException closed) {
			CompletableFuture.runAsync(task);
		}
	}

	private void shutDown(ChangeReason reason) {
		if (this.shutDown) {
			return;
		}
		this.closing = true;
		for (ServiceUnit unit : List.copyOf(this.byId.values())) {
			if (!unit.withdrawn) {
				stepDown(unit, ServiceUnitState.UNASSIGNED, reason, "");
			}
		}
		this.shutDown = true;
		this.units.clear();
		this.byId.clear();
		this.activations.clear();
		for (Pending pending : List.copyOf(this.requests.values())) {
			if (pending.doneWithoutTable) {
				callback(() -> pending.done.complete(null));
			}
			else {
				fail(pending.done, ServiceGroupError.CLOSED, pending.group);
			}
		}
		this.requests.clear();
		this.replica.close();
		fail(this.ready, ServiceGroupError.CLOSED, "(service)");
		callback(this.callbacks::shutdown);
	}

	/** A request of this member waiting for its operation to be delivered. */
	private record Pending(String group, CompletableFuture<@Nullable Void> done, boolean doneWithoutTable,
			long withdrawn) {
	}

	/** What the table asks of this member. */
	private final class Effects implements ServiceGroupTable.Effects {

		@Override
		public void unitChanged(UnitEvent event) {
			ServiceGroupService.this.unitChanged(event);
		}

		@Override
		public void done(long request, @Nullable ServiceGroupError error) {
			Pending pending = ServiceGroupService.this.requests.remove(request);
			if (pending == null) {
				return;
			}
			if (pending.withdrawn != 0) {
				ServiceGroupService.this.byId.remove(pending.withdrawn);
				callback(() -> pending.done.complete(null));
				return;
			}
			if (error == null) {
				callback(() -> pending.done.complete(null));
			}
			else {
				fail(pending.done, error, pending.group);
			}
		}

		@Override
		public void timer(long millis, ServiceGroupMessage message) {
			ServiceGroupService.this.host.schedule(millis,
					() -> ServiceGroupService.this.replica.guarded("ending a service group timer", () -> send(message)));
		}

		@Override
		public void assigned(String group, ChangeReason reason) {
			if (reason == ChangeReason.FAILOVER) {
				ServiceGroupService.this.failovers++;
			}
			else if (reason == ChangeReason.SWITCHOVER) {
				ServiceGroupService.this.switchovers++;
			}
		}

		@Override
		public void settled() {
			tellEarlierRings();
		}

		@Override
		public void lost() {
			logger.info("Service groups: this member dropped the table; its units step down");
			ServiceGroupService.this.activations.clear();
			for (ServiceUnit unit : List.copyOf(ServiceGroupService.this.byId.values())) {
				unit.registerSent = false;
				unit.tableState = ServiceUnitState.UNASSIGNED;
				unit.activation = null;
				if (unit.withdrawn) {
					continue;
				}
				if (unit.queued == ServiceUnitState.ACTIVE || unit.queued == ServiceUnitState.QUIESCING) {
					ServiceGroupService.this.stepDowns++;
				}
				tell(unit, ServiceUnitState.UNASSIGNED, ChangeReason.QUORUM_LOST, null, 0, "", 0);
			}
		}

	}

	/** The replica group, on the event loop. */
	private final class Observer implements ReplicaGroup.Observer {

		@Override
		public void synchronizedChanged(boolean synced) {
			if (!synced) {
				return;
			}
			if (!ServiceGroupService.this.ready.isDone()) {
				callback(() -> ServiceGroupService.this.ready.complete(null));
			}
			for (ServiceUnit unit : List.copyOf(ServiceGroupService.this.byId.values())) {
				sendRegister(unit);
			}
		}

		@Override
		public void delivered(Member from, byte[] operation, boolean applied) {
			ServiceGroupMessage message = ServiceGroupCodec.decode(operation);
			if (message == null) {
				ServiceGroupService.this.malformed++;
				logger.debug("Dropped a service group operation of {} bytes from {} that could not be read",
						operation.length, from);
				return;
			}
			if (applied || !from.equals(ServiceGroupService.this.replica.self())) {
				return;
			}
			// sent while this member held the table, delivered after it dropped it: not applied anywhere it counts
			long request = requestOf(message);
			Pending pending = ServiceGroupService.this.requests.remove(request);
			if (pending != null) {
				if (pending.doneWithoutTable) {
					callback(() -> pending.done.complete(null));
				}
				else {
					fail(pending.done, ServiceGroupError.NO_QUORUM, pending.group);
				}
			}
			if (message instanceof Withdraw withdraw) {
				ServiceGroupService.this.byId.remove(withdraw.unit());
			}
		}

		@Override
		public void ringChanged(long ringSeq) {
			ServiceGroupService.this.rings++;
			if (!ServiceGroupService.this.activations.isEmpty()) {
				// a delivery of the new ring reads quorum and whether the table settled, even without a change
				send(new Nop());
			}
		}

		@Override
		public void afterEvent() {
			if (!ServiceGroupService.this.activations.isEmpty()) {
				tellEarlierRings();
			}
		}

		@Override
		public void failed() {
			shutDown(ChangeReason.CLOSED);
		}

	}

	private static long requestOf(ServiceGroupMessage message) {
		if (message instanceof Withdraw withdraw) {
			return withdraw.request();
		}
		if (message instanceof Fail fail) {
			return fail.request();
		}
		if (message instanceof Repair repair) {
			return repair.request();
		}
		if (message instanceof Switchover switchover) {
			return switchover.request();
		}
		return 0;
	}

}
