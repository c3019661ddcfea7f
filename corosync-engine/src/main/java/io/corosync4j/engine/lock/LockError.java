package io.corosync4j.engine.lock;

/** Why a lock was not granted, or why a held lock was lost. */
public enum LockError {

	/** The request waited for its whole timeout ({@code SA_AIS_ERR_TIMEOUT}). */
	TIMEOUT("the lock was not granted within the timeout"),

	/** A try-lock found the resource held or waited for ({@code SA_LCK_LOCK_NOT_QUEUED}). */
	NOT_AVAILABLE("the resource is held or has waiters, and the request may not wait"),

	/**
	 * This member is outside the primary (quorate) component, or has not yet received the lock table
	 * from it; a held lock is lost the moment quorum is ({@code SA_AIS_ERR_UNAVAILABLE}).
	 */
	NO_QUORUM("this member is not in the primary (quorate) component"),

	/** Waiting would close a cycle of owners waiting for each other ({@code SA_LCK_LOCK_DEADLOCK}). */
	DEADLOCK("waiting would deadlock: the owner waits, directly or not, for a lock it holds"),

	/**
	 * The lock table holds {@value LockTable#MAX_LOCKS} locks and requests already, the most a joining
	 * member can receive in one snapshot ({@code SA_AIS_ERR_NO_RESOURCES}).
	 */
	NO_SPACE("the lock table is full"),

	/** The lock send queue is full ({@code SA_AIS_ERR_TRY_AGAIN}): try again later. */
	TRY_AGAIN("the lock service's send queue is full"),

	/** The lock service closed, or its node stopped ({@code SA_AIS_ERR_BAD_HANDLE}). */
	CLOSED("the lock service is closed");

	private final String description;

	LockError(String description) {
		this.description = description;
	}

	/** A sentence saying what happened. */
	public String description() {
		return this.description;
	}

}
