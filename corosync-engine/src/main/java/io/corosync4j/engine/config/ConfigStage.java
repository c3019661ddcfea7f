package io.corosync4j.engine.config;

/**
 * The stage of Corosync's start-up that reports a configuration problem, which decides the exit
 * status of the daemon (and of our launcher).
 */
public enum ConfigStage {

	/** The file cannot be read, or its syntax or a value type is wrong ({@code coroparse.c}). */
	PARSE(8),

	/** The {@code logging} section has an invalid value ({@code logconfig.c}). */
	LOGGING(7),

	/** The totem, nodelist, crypto or key settings are invalid ({@code totemconfig.c}). */
	TOTEM(8),

	/**
	 * A service engine refuses its settings: the quorum provider or votequorum's rules. Corosync
	 * reports these only at a real start, never with {@code corosync -t}; we report them always.
	 */
	SERVICES(20);

	private final int exitStatus;

	ConfigStage(int exitStatus) {
		this.exitStatus = exitStatus;
	}

	/** The exit status Corosync 3.1.7 uses for a problem of this stage. */
	public int exitStatus() {
		return this.exitStatus;
	}

}
