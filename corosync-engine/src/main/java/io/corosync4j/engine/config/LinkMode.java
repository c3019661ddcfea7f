package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/** How knet uses several links ({@code totem.link_mode}). */
public enum LinkMode {

	/** One link at a time: highest priority, ties to the lowest link number. */
	PASSIVE("passive"),

	/** All links at once. */
	ACTIVE("active"),

	/** Round robin over the links. */
	RR("rr");

	private final String configName;

	LinkMode(String configName) {
		this.configName = configName;
	}

	/** The word used in {@code corosync.conf}. */
	public String configName() {
		return this.configName;
	}

	/** The constant for a {@code corosync.conf} word, or {@code null} when there is none. */
	public static @Nullable LinkMode fromConfigName(String name) {
		for (LinkMode value : values()) {
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
