package io.corosync4j.engine.lock;

/** A lock request that failed, naming the {@link LockError} and the resource. */
public final class LockException extends Exception {

	private static final long serialVersionUID = 1L;

	private final LockError error;

	private final String resource;

	public LockException(LockError error, String resource) {
		super("lock '" + resource + "': " + error.description() + " (" + error + ")");
		this.error = error;
		this.resource = resource;
	}

	public LockError error() {
		return this.error;
	}

	public String resource() {
		return this.resource;
	}

}
