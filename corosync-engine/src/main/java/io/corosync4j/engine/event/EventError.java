package io.corosync4j.engine.event;

/**
 * Why an event operation failed. Each names the AIS error it stands for, so code ported from the C API
 * finds its cases; the detail of an {@link EventException} says which limit or argument.
 */
public enum EventError {

	/** A subscription with that id exists on the handle ({@code SA_AIS_ERR_EXIST}). */
	EXISTS("it exists already"),

	/**
	 * No channel of that name (opened without {@link ChannelFlag#CREATE}), no such subscription, or no
	 * retained event with that id ({@code SA_AIS_ERR_NOT_EXIST}).
	 */
	NOT_FOUND("it does not exist"),

	/**
	 * One of the service's caps would be passed: channels, handles, subscriptions, retained events or
	 * their bytes ({@code SA_AIS_ERR_NO_SPACE}, {@code SA_AIS_ERR_NO_RESOURCES}).
	 */
	NO_SPACE("a limit would be passed"),

	/** The event is larger than one may be ({@code SA_AIS_ERR_TOO_BIG}); nothing was sent. */
	TOO_BIG("the event is too large to send"),

	/** The service's send queue is full ({@code SA_AIS_ERR_TRY_AGAIN}): try again later; nothing was sent. */
	TRY_AGAIN("the send queue is full"),

	/**
	 * This member holds no state: it is outside the primary component, or has not received the state yet
	 * ({@code SA_AIS_ERR_UNAVAILABLE}). For an operation already sent, the outcome is unknown: the primary
	 * component may have applied it.
	 */
	NO_QUORUM("this member holds no event state (it is not in the primary component)"),

	/**
	 * An argument is out of range, or the handle was not opened for what it is asked
	 * ({@code SA_AIS_ERR_INVALID_PARAM}, {@code SA_AIS_ERR_ACCESS}).
	 */
	INVALID("an argument is invalid"),

	/** The channel handle or the service was closed, or its node stopped ({@code SA_AIS_ERR_BAD_HANDLE}). */
	CLOSED("the handle or the service is closed");

	private final String description;

	EventError(String description) {
		this.description = description;
	}

	/** A sentence saying what happened. */
	public String description() {
		return this.description;
	}

}
