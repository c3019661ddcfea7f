package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/** The knet packet cipher ({@code totem.crypto_cipher}). */
public enum CryptoCipher {

	NONE("none"),

	AES128("aes128"),

	AES192("aes192"),

	AES256("aes256");

	private final String configName;

	CryptoCipher(String configName) {
		this.configName = configName;
	}

	/** The word used in {@code corosync.conf}. */
	public String configName() {
		return this.configName;
	}

	/** The constant for a {@code corosync.conf} word, or {@code null} when there is none. */
	public static @Nullable CryptoCipher fromConfigName(String name) {
		for (CryptoCipher value : values()) {
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
