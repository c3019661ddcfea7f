package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/** Address family preference for resolving node addresses ({@code totem.ip_version}). */
public enum IpVersion {

	IPV4("ipv4"),

	IPV6("ipv6"),

	/** Prefer IPv4, fall back to IPv6. */
	IPV4_6("ipv4-6"),

	/** Prefer IPv6, fall back to IPv4. */
	IPV6_4("ipv6-4");

	private final String configName;

	IpVersion(String configName) {
		this.configName = configName;
	}

	/** The word used in {@code corosync.conf}. */
	public String configName() {
		return this.configName;
	}

	/** The constant for a {@code corosync.conf} word, or {@code null} when there is none. */
	public static @Nullable IpVersion fromConfigName(String name) {
		for (IpVersion value : values()) {
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
