package io.corosync4j.engine.checkpoint;

/**
 * Why a checkpoint operation failed. Each names the AIS error it stands for, so code ported from the C
 * API finds its cases; the detail of a {@link CheckpointException} says which limit or argument.
 */
public enum CheckpointError {

	/**
	 * A checkpoint of that name exists with other creation attributes, or a section with that id exists
	 * ({@code SA_AIS_ERR_EXIST}).
	 */
	EXISTS("it exists already"),

	/** No checkpoint of that name, or no section with that id ({@code SA_AIS_ERR_NOT_EXIST}). */
	NOT_FOUND("it does not exist"),

	/**
	 * A limit would be passed: one of the checkpoint's creation attributes, or one of the service's caps
	 * on the whole state ({@code SA_AIS_ERR_NO_SPACE}, {@code SA_AIS_ERR_NO_RESOURCES}).
	 */
	NO_SPACE("a limit would be passed"),

	/** The operation is larger than one operation may be ({@code SA_AIS_ERR_TOO_BIG}); nothing was sent. */
	TOO_BIG("the operation is too large to send"),

	/** The service's send queue is full ({@code SA_AIS_ERR_TRY_AGAIN}): try again later; nothing was sent. */
	TRY_AGAIN("the send queue is full"),

	/**
	 * This member holds no state: it is outside the primary component, or has not received the state yet
	 * ({@code SA_AIS_ERR_UNAVAILABLE}). For an operation already sent, the outcome is unknown: it may have
	 * been applied by the primary component.
	 */
	NO_QUORUM("this member holds no checkpoint state (it is not in the primary component)"),

	/** An argument is out of range ({@code SA_AIS_ERR_INVALID_PARAM}). */
	INVALID("an argument is invalid"),

	/** The checkpoint handle or the service was closed, or its node stopped ({@code SA_AIS_ERR_BAD_HANDLE}). */
	CLOSED("the handle or the service is closed");

	private final String description;

	CheckpointError(String description) {
		this.description = description;
	}

	/** A sentence saying what happened. */
	public String description() {
		return this.description;
	}

}
