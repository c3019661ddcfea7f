package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/** A log priority as Corosync names it ({@code logfile_priority}, {@code syslog_priority}). */
public enum LogPriority {

	EMERG("emerg"),

	ALERT("alert"),

	CRIT("crit"),

	ERR("err"),

	WARNING("warning"),

	NOTICE("notice"),

	INFO("info"),

	DEBUG("debug");

	private final String configName;

	LogPriority(String configName) {
		this.configName = configName;
	}

	/** The word used in {@code corosync.conf}. */
	public String configName() {
		return this.configName;
	}

	/** The constant for a {@code corosync.conf} word, or {@code null} when there is none. */
	public static @Nullable LogPriority fromConfigName(String name) {
		for (LogPriority value : values()) {
			if (value.configName.equals(name)) {
				return value;
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return this.configName;
	}

}
