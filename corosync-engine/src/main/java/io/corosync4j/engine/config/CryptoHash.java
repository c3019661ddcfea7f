package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/** The knet packet authentication hash ({@code totem.crypto_hash}). */
public enum CryptoHash {

	NONE("none"),

	MD5("md5"),

	SHA1("sha1"),

	SHA256("sha256"),

	SHA384("sha384"),

	SHA512("sha512");

	private final String configName;

	CryptoHash(String configName) {
		this.configName = configName;
	}

	/** The word used in {@code corosync.conf}. */
	public String configName() {
		return this.configName;
	}

	/** The constant for a {@code corosync.conf} word, or {@code null} when there is none. */
	public static @Nullable CryptoHash fromConfigName(String name) {
		for (CryptoHash value : values()) {
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
