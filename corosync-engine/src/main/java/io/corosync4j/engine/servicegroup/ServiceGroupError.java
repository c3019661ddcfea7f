package io.corosync4j.engine.servicegroup;

/** Why a service group request was refused. */
public enum ServiceGroupError {

	/** This member is outside the primary component, or has not received the table yet. */
	NO_QUORUM("this member does not hold the service group table (it is not in the primary component)"),

	/** This process already offers a unit of that group: one unit per group and process. */
	EXISTS("this process already offers a unit of the group"),

	/** No such group, or no such unit in it. */
	NOT_FOUND("no such service group or unit"),

	/** Not now: a switchover is already under way, the group has no active, or the send queue is full. */
	TRY_AGAIN("the request cannot be served now; try again"),

	/** The request makes no sense for the group as it stands (a switchover to the active, to a failed unit, or with nobody to switch to). */
	INVALID("the request does not apply to the group as it stands"),

	/** The service closed, or its node stopped. */
	CLOSED("the service group service is closed");

	private final String description;

	ServiceGroupError(String description) {
		this.description = description;
	}

	/** A sentence saying what happened. */
	public String description() {
		return this.description;
	}

}
