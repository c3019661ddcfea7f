package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/** {@code logging.debug}. */
public enum DebugLevel {

	OFF("off"),

	ON("on"),

	TRACE("trace");

	private final String configName;

	DebugLevel(String configName) {
		this.configName = configName;
	}

	/** The word used in {@code corosync.conf}. */
	public String configName() {
		return this.configName;
	}

	/** The constant for a {@code corosync.conf} word, or {@code null} when there is none. */
	public static @Nullable DebugLevel fromConfigName(String name) {
		for (DebugLevel value : values()) {
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
