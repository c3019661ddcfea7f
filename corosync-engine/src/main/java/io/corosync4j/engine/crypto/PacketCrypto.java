package io.corosync4j.engine.crypto;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import io.corosync4j.engine.config.CryptoModel;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts and authenticates whole knet packets, and checks and decrypts received ones. Framing
 * ({@code corosync-wire.md} §15): {@code salt(16) ‖ AES-CBC(PKCS#7) ciphertext ‖ HMAC(salt ‖ ciphertext)}
 * with the cipher keyed by the first 16/24/32 bytes of the authkey and the HMAC by the whole authkey;
 * with a hash and no cipher, {@code plaintext ‖ HMAC(plaintext)}. A packet that fails the check is
 * counted and yields {@code null}, never an exception. Instances are safe from one thread at a time.
 */
public interface PacketCrypto {

	/** knet's salt, also the CBC initialization vector. */
	int SALT_LENGTH = 16;

	/** What is added to a packet of {@code plainLength} bytes. */
	int overhead(int plainLength);

	/** Whether packets travel as they are (no cipher, no hash). */
	default boolean passesThrough() {
		return false;
	}

	/**
	 * Seals {@code length} plain bytes at {@code offset} into {@code out} at {@code outOffset}, which has
	 * room for {@code length + overhead(length)} bytes.
	 * @return the sealed packet's length
	 */
	int seal(byte[] plain, int offset, int length, byte[] out, int outOffset);

	/**
	 * Checks and opens the packet of {@code length} bytes at {@code offset} into {@code out} at
	 * {@code outOffset}, which has room for {@code length} bytes.
	 * @return the plain length, or -1 when the packet fails authentication (another key, a corrupted or
	 * forged packet) or decryption; counted in {@link #rejected()}
	 */
	int open(byte[] packet, int offset, int length, byte[] out, int outOffset);

	/** The framed packet for {@code length} plain bytes at {@code offset}. */
	default byte[] encrypt(byte[] plain, int offset, int length) {
		byte[] packet = new byte[length + overhead(length)];
		int sealed = seal(plain, offset, length, packet, 0);
		return (sealed == packet.length) ? packet : java.util.Arrays.copyOf(packet, sealed);
	}

	/** The plain packet, or {@code null} when it fails authentication or decryption. */
	default @Nullable byte[] decrypt(byte[] packet, int offset, int length) {
		byte[] plain = new byte[length];
		int opened = open(packet, offset, length, plain, 0);
		return (opened < 0) ? null : java.util.Arrays.copyOf(plain, opened);
	}

	/** Packets that failed authentication or decryption so far. */
	long rejected();

	/** Which implementation runs, for logs and status. */
	String implementation();

	/** No crypto: packets travel as they are. */
	static PacketCrypto none() {
		return NoCrypto.INSTANCE;
	}

	/**
	 * The crypto a configuration asks for.
	 * @param key the authkey (128 to 4096 bytes)
	 * @throws IllegalArgumentException for a cipher without a hash (Corosync refuses it too) or a key too short
	 */
	static PacketCrypto of(CryptoCipher cipher, CryptoHash hash, CryptoModel model, byte[] key) {
		if (cipher == CryptoCipher.NONE && hash == CryptoHash.NONE) {
			return none();
		}
		if (hash == CryptoHash.NONE) {
			throw new IllegalArgumentException("crypto_cipher " + cipher + " needs a crypto_hash");
		}
		if (key.length < keyLength(cipher)) {
			throw new IllegalArgumentException("the authkey has " + key.length + " bytes; " + cipher + " needs "
					+ keyLength(cipher));
		}
		return (model == CryptoModel.BOUNCYCASTLE) ? new BouncyCastleCrypto(cipher, hash, key)
				: new JcaCrypto(cipher, hash, key);
	}

	/** The cipher key's length: 0, 16, 24 or 32 bytes. */
	static int keyLength(CryptoCipher cipher) {
		return switch (cipher) {
			case NONE -> 0;
			case AES128 -> 16;
			case AES192 -> 24;
			case AES256 -> 32;
		};
	}

	/** The HMAC's length. */
	static int macLength(CryptoHash hash) {
		return switch (hash) {
			case NONE -> 0;
			case MD5 -> 16;
			case SHA1 -> 20;
			case SHA256 -> 32;
			case SHA384 -> 48;
			case SHA512 -> 64;
		};
	}

}
