package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/** {@code logging.timestamp}. */
public enum TimestampMode {

	OFF("off"),

	ON("on"),

	/** Milliseconds. */
	HIRES("hires");

	private final String configName;

	TimestampMode(String configName) {
		this.configName = configName;
	}

	/** The word used in {@code corosync.conf}. */
	public String configName() {
		return this.configName;
	}

	/** The constant for a {@code corosync.conf} word, or {@code null} when there is none. */
	public static @Nullable TimestampMode fromConfigName(String name) {
		for (TimestampMode value : values()) {
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
