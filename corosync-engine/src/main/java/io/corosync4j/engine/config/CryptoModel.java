package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * Which implementation does the cryptography ({@code totem.crypto_model}). Corosync's names
 * {@code nss} and {@code openssl} are accepted and mean the default implementation.
 */
public enum CryptoModel {

	/** Corosync's default name; the default implementation. */
	NSS("nss"),

	/** Corosync's other name; the default implementation. */
	OPENSSL("openssl"),

	/** Bouncy Castle's lightweight API. */
	BOUNCYCASTLE("bouncycastle"),

	/** The JDK's JCA providers (AES-NI and SHA intrinsics). */
	JCA("jca");

	private final String configName;

	CryptoModel(String configName) {
		this.configName = configName;
	}

	/** The word used in {@code corosync.conf}. */
	public String configName() {
		return this.configName;
	}

	/** The constant for a {@code corosync.conf} word, or {@code null} when there is none. */
	public static @Nullable CryptoModel fromConfigName(String name) {
		for (CryptoModel value : values()) {
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
