package io.corosync4j.engine.event;

/** An event operation that failed: the {@link EventError}, and a detail naming what (a limit, a name). */
public final class EventException extends Exception {

	private static final long serialVersionUID = 1L;

	private final EventError error;

	private final String detail;

	public EventException(EventError error, String detail) {
		super(error + ": " + error.description() + " (" + detail + ")");
		this.error = error;
		this.detail = detail;
	}

	public EventError error() {
		return this.error;
	}

	/** What the error is about: the limit passed, the name not found, the argument refused. */
	public String detail() {
		return this.detail;
	}

}
