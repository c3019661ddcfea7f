package io.corosync4j.engine.sam;

/** Where a component is. The CMAP names are Corosync's ({@code resources.process.*.state}). */
public enum SamState {

	/** Registered, checking not started (or stopped). */
	STOPPED("stopped"),

	/** {@code start()} was called with the QUORUM flag and the partition is not quorate. */
	WAITING_FOR_QUORUM("waiting for quorum"),

	/** Checked every interval. */
	RUNNING("running"),

	/** Missed an interval (or lost quorum): warned; the next miss recovers it. */
	WARNED("running"),

	/** Quit after a failure (policy QUIT, or {@code markFailed()}). */
	FAILED("failed");

	private final String cmapName;

	SamState(String cmapName) {
		this.cmapName = cmapName;
	}

	public String cmapName() {
		return this.cmapName;
	}

}
