package io.corosync4j.engine.servicegroup;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.replica.Member;
import org.jspecify.annotations.Nullable;

/**
 * This process's unit of one service group, as {@link ServiceGroupService#register} returned it.
 * Thread-safe; every request returns at once and completes on the service's callback thread.
 */
public final class ServiceUnit {

	private final ServiceGroupService service;

	final long id;

	private final ServiceUnitSpec spec;

	final ServiceUnitListener listener;

	final @Nullable Fencer fencer;

	/** What the listener was last told, set on the callback thread just before it is told. */
	private volatile ServiceUnitState state = ServiceUnitState.UNASSIGNED;

	// on the event loop

	/** The state the listener's next change starts from (the last one queued for it). */
	ServiceUnitState queued = ServiceUnitState.UNASSIGNED;

	/** The unit's state in this member's table, {@link ServiceUnitState#UNASSIGNED} when not in it. */
	ServiceUnitState tableState = ServiceUnitState.UNASSIGNED;

	boolean registerSent;

	boolean withdrawn;

	/** The failure the application reported, until repaired; registered with the unit. */
	@Nullable String failure;

	/** The switchover this unit quiesces for. */
	long quiesce;

	@Nullable Activation activation;

	ServiceUnit(ServiceGroupService service, long id, ServiceUnitSpec spec, ServiceUnitListener listener,
			@Nullable Fencer fencer) {
		this.service = service;
		this.id = id;
		this.spec = spec;
		this.listener = listener;
		this.fencer = fencer;
	}

	public String group() {
		return this.spec.group();
	}

	public ServiceUnitSpec spec() {
		return this.spec;
	}

	/** The state the listener was last told ({@link ServiceUnitState#UNASSIGNED} before the first change). */
	public ServiceUnitState state() {
		return this.state;
	}

	/** Whether the listener was last told {@link ServiceUnitState#ACTIVE}. */
	public boolean isActive() {
		return this.state == ServiceUnitState.ACTIVE;
	}

	/**
	 * Reports the unit failed: it stops at once here (the listener is told
	 * {@link ServiceUnitState#FAILED}), the group fails over if it was active, and it is never chosen until
	 * {@link #repair()}. Completes when the group applied it (or at once outside the primary component,
	 * where the unit will be registered failed). A SAM health check that fails is meant to end here.
	 */
	public CompletableFuture<@Nullable Void> fail(String reason) {
		return this.service.fail(this, reason);
	}

	/** Makes a failed unit a standby again; completes when the group applied it. */
	public CompletableFuture<@Nullable Void> repair() {
		return this.service.repair(this);
	}

	/**
	 * Stops offering the unit: the listener is told {@link ServiceUnitState#UNASSIGNED} at once, and the
	 * group fails over if it was active. Another unit of the group may be registered right after.
	 */
	public CompletableFuture<@Nullable Void> withdraw() {
		return this.service.withdraw(this);
	}

	/**
	 * A switchover of this unit's group: away from this unit to the best standby when it is the active, to
	 * this unit when it is a standby. Completes when the group accepted it (the active starts quiescing).
	 */
	public CompletableFuture<@Nullable Void> switchover() {
		return this.service.switchover(this);
	}

	void told(ServiceUnitState next) {
		this.state = next;
	}

	@Override
	public String toString() {
		return "unit " + this.id + " of " + this.spec.group() + " (" + this.state + ")";
	}

	/** An assignment of this unit, waiting to be told: for stability, then for its fencer. */
	static final class Activation {

		final ServiceUnit unit;

		final long assignment;

		final ChangeReason reason;

		final @Nullable Member previous;

		final List<Member> fence;

		/** The ring changes this member had seen when the assignment was made ({@code rings} of the service). */
		final long ring;

		/** Stable (or settled): fencing, then telling. */
		boolean fencing;

		Activation(ServiceUnit unit, long assignment, ChangeReason reason, @Nullable Member previous, List<Member> fence,
				long ring) {
			this.unit = unit;
			this.ring = ring;
			this.assignment = assignment;
			this.reason = reason;
			this.previous = previous;
			this.fence = fence;
		}

	}

}
