package io.corosync4j.engine.message;

/** A message-service call that failed: the {@link MessageError}, and a detail naming what (a queue, a priority, a limit). */
public final class MessageException extends Exception {

	private static final long serialVersionUID = 1L;

	private final MessageError error;

	private final String detail;

	public MessageException(MessageError error, String detail) {
		super(error + ": " + error.description() + " (" + detail + ")");
		this.error = error;
		this.detail = detail;
	}

	public MessageError error() {
		return this.error;
	}

	/** What the error is about: the queue, the priority whose capacity is used up, the argument refused. */
	public String detail() {
		return this.detail;
	}

}
