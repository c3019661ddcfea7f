package io.corosync4j.engine.service.cfg;

/** How a shutdown request treats the registered shutdown listeners ({@code corosync_cfg_shutdown_flags_t}). */
public enum ShutdownFlag {

	/** Every listener must agree within {@code cfg.shutdown_timeout}; an undecided one counts as no. */
	REQUEST,

	/** The listeners are asked, but the node goes down whatever they answer. */
	REGARDLESS,

	/** Nobody is asked. */
	IMMEDIATE

}
