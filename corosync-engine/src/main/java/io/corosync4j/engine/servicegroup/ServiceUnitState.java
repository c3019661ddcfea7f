package io.corosync4j.engine.servicegroup;

/**
 * What a service unit is told it is. The replicated table holds {@link #ACTIVE}, {@link #STANDBY},
 * {@link #QUIESCING} and {@link #FAILED}; {@link #QUIESCED} is the step a unit passes through as a
 * switchover completes, and {@link #UNASSIGNED} is this process's own notion of a unit outside the
 * primary component, not registered yet, withdrawn, or closed.
 */
public enum ServiceUnitState {

	/** The one unit of its group that serves. */
	ACTIVE,

	/** Registered and ready to take over; it serves nothing. */
	STANDBY,

	/**
	 * Asked to hand over (a switchover): it finishes or hands off its work, writes its last checkpoint, and
	 * completes {@link StateChange#quiesced()}. It should take no new work from the moment it is told.
	 */
	QUIESCING,

	/** It finished quiescing (or its time to quiesce ran out); it is a standby from the same point on. */
	QUIESCED,

	/**
	 * Reported failed ({@link ServiceUnit#fail}), or its fencer failed: never chosen until
	 * {@link ServiceUnit#repair()}.
	 */
	FAILED,

	/**
	 * Not part of any assignment this process can trust: it has not received the table yet, it left the
	 * primary component (or its table was found stale), or the unit was withdrawn or its service closed.
	 */
	UNASSIGNED;

	/** Whether the unit does the group's work in this state (it is told to stop at {@link #QUIESCING}). */
	public boolean serves() {
		return this == ACTIVE;
	}

}
