package io.corosync4j.engine.servicegroup;

/** A service group request that failed, naming the {@link ServiceGroupError} and the group. */
public final class ServiceGroupException extends Exception {

	private static final long serialVersionUID = 1L;

	private final ServiceGroupError error;

	private final String group;

	public ServiceGroupException(ServiceGroupError error, String group) {
		super("service group '" + group + "': " + error.description() + " (" + error + ")");
		this.error = error;
		this.group = group;
	}

	public ServiceGroupError error() {
		return this.error;
	}

	public String group() {
		return this.group;
	}

}
