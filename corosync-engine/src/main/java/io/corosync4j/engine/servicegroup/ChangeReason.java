package io.corosync4j.engine.servicegroup;

/** Why a service unit's state changed, as its {@link ServiceUnitListener} is told. */
public enum ChangeReason {

	/** The unit was registered (or registered again after its member received the table anew), or its group got its first active. */
	STARTUP,

	/** The group's active went away (its process or node left, it was withdrawn or reported failed) and this unit takes over. */
	FAILOVER,

	/** An administrative switchover moved the group's activity. */
	SWITCHOVER,

	/**
	 * This member dropped the replicated table: its component lost quorum, or its table was found stale
	 * (a paused process that the others had counted out). The unit steps down at once.
	 */
	QUORUM_LOST,

	/** The unit was withdrawn ({@link ServiceUnit#withdraw()}). */
	WITHDRAWN,

	/** The unit was reported failed, by the application or because its fencer failed. */
	FAILED,

	/** A failed unit was repaired ({@link ServiceUnit#repair()}) and is a standby again. */
	REPAIRED,

	/** The service closed, or its node stopped. */
	CLOSED

}
