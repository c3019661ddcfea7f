package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * Packet encryption and authentication of the knet transport.
 *
 * @param cipher the cipher; {@link CryptoCipher#NONE} for none
 * @param hash the authentication hash; {@link CryptoHash#NONE} for none
 * @param model which implementation does the work
 * @param keyfile {@code totem.keyfile} as configured, or {@code null}
 * @param inlineKey {@code totem.key} as configured, or {@code null}
 */
public record CryptoConfig(CryptoCipher cipher, CryptoHash hash, CryptoModel model, @Nullable String keyfile,
		@Nullable String inlineKey) {

	/** The default when nothing is configured: no encryption, as in Corosync 3.1.7. */
	public static final CryptoConfig NONE = new CryptoConfig(CryptoCipher.NONE, CryptoHash.NONE, CryptoModel.NSS,
			null, null);

	/** Whether packets are encrypted or authenticated, and so a key is needed. */
	public boolean enabled() {
		return this.cipher != CryptoCipher.NONE || this.hash != CryptoHash.NONE;
	}

	@Override
	public String toString() {
		// never print the inline key
		return "CryptoConfig[" + this.model + "/" + this.cipher + "/" + this.hash + ", keyfile=" + this.keyfile
				+ ((this.inlineKey != null) ? ", inline key" : "") + "]";
	}

}
