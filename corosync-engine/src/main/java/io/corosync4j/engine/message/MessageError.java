package io.corosync4j.engine.message;

/**
 * Why a message-service call failed. Each names the AIS error it stands for, so code ported from the C
 * API finds its cases; the detail of a {@link MessageException} says which queue, priority or limit.
 */
public enum MessageError {

	/** A queue or group of that name exists, or the queue is open by another process ({@code SA_AIS_ERR_EXIST}, {@code SA_AIS_ERR_BUSY}). */
	EXISTS("it exists already"),

	/** No queue or group of that name, or no such message (acknowledged already, or moved) ({@code SA_AIS_ERR_NOT_EXIST}). */
	NOT_FOUND("it does not exist"),

	/** The target queue's capacity for the message's priority is used up ({@code SA_AIS_ERR_QUEUE_FULL}); the detail names the priority. */
	QUEUE_FULL("the queue is full at that priority"),

	/** The message is larger than one operation may be ({@code SA_AIS_ERR_TOO_BIG}); nothing was sent. */
	TOO_BIG("the message is too large to send"),

	/** The service's send queue is full ({@code SA_AIS_ERR_TRY_AGAIN}): try again later; nothing was sent. */
	TRY_AGAIN("the send queue is full"),

	/**
	 * This member holds no state: it is outside the primary component, or has not received the state yet
	 * ({@code SA_AIS_ERR_UNAVAILABLE}). For an operation already sent, the outcome is unknown: the primary
	 * component may have applied it.
	 */
	NO_QUORUM("this member holds no message state (it is not in the primary component)"),

	/** An argument is out of range ({@code SA_AIS_ERR_INVALID_PARAM}). */
	INVALID("an argument is invalid"),

	/** No reply came in time ({@code SA_AIS_ERR_TIMEOUT}). */
	TIMEOUT("no reply came in time"),

	/** The queue handle or the service was closed, or its node stopped ({@code SA_AIS_ERR_BAD_HANDLE}). */
	CLOSED("the handle or the service is closed");

	private final String description;

	MessageError(String description) {
		this.description = description;
	}

	/** A sentence saying what happened. */
	public String description() {
		return this.description;
	}

}
