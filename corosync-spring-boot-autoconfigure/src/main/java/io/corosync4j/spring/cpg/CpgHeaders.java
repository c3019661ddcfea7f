package io.corosync4j.spring.cpg;

/** Header names of the messages {@link CpgListener} methods receive. */
public final class CpgHeaders {

	/** The group the message was sent to ({@code String}). */
	public static final String GROUP = "cpg_group";

	/** The sender's node id ({@code Long}). */
	public static final String NODE_ID = "cpg_nodeId";

	/** The sender's process id on its node ({@code Long}). */
	public static final String PID = "cpg_pid";

	private CpgHeaders() {
	}

}
