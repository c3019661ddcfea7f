package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/** The Totem transport ({@code totem.transport}). */
public enum Transport {

	/** Kronosnet: up to 8 links, encryption; Corosync 3's default. */
	KNET("knet"),

	/** UDP unicast to every nodelist member. */
	UDPU("udpu"),

	/** UDP multicast. */
	UDP("udp");

	private final String configName;

	Transport(String configName) {
		this.configName = configName;
	}

	/** The word used in {@code corosync.conf}. */
	public String configName() {
		return this.configName;
	}

	/** The constant for a {@code corosync.conf} word, or {@code null} when there is none. */
	public static @Nullable Transport fromConfigName(String name) {
		for (Transport value : values()) {
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
