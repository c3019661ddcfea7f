package io.corosync4j.engine.checkpoint;

/** A checkpoint operation that failed: the {@link CheckpointError}, and a detail naming what (a limit, a name). */
public final class CheckpointException extends Exception {

	private static final long serialVersionUID = 1L;

	private final CheckpointError error;

	private final String detail;

	public CheckpointException(CheckpointError error, String detail) {
		super(error + ": " + error.description() + " (" + detail + ")");
		this.error = error;
		this.detail = detail;
	}

	public CheckpointError error() {
		return this.error;
	}

	/** What the error is about: the limit passed, the name or section not found, the argument refused. */
	public String detail() {
		return this.detail;
	}

}
