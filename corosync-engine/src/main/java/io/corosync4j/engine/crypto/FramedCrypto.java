package io.corosync4j.engine.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import org.jspecify.annotations.Nullable;

/** knet's framing around two primitives, AES-CBC with PKCS#7 padding and an HMAC, that subclasses supply. */
abstract class FramedCrypto implements PacketCrypto {

	private static final int BLOCK = 16;

	final CryptoCipher cipher;

	final CryptoHash hash;

	final int macLength;

	private final SecureRandom random = new SecureRandom();

	private final byte[] salt = new byte[SALT_LENGTH];

	private long rejected;

	FramedCrypto(CryptoCipher cipher, CryptoHash hash) {
		this.cipher = cipher;
		this.hash = hash;
		this.macLength = PacketCrypto.macLength(hash);
	}

	/** AES-CBC with PKCS#7 padding of {@code length} bytes into {@code out} at {@code outOffset}; the bytes written. */
	abstract int encrypt(byte[] iv, byte[] in, int offset, int length, byte[] out, int outOffset);

	/** The reverse into {@code out}; the plain length, or -1 when the padding is wrong. */
	abstract int decrypt(byte[] iv, byte[] in, int offset, int length, byte[] out);

	/** The HMAC of {@code length} bytes at {@code offset}, written at {@code outOffset}. */
	abstract void mac(byte[] in, int offset, int length, byte[] out, int outOffset);

	@Override
	public int overhead(int plainLength) {
		if (this.cipher == CryptoCipher.NONE) {
			return this.macLength;
		}
		// CBC pads to the next block, a whole block when already aligned
		int padded = (plainLength / BLOCK + 1) * BLOCK;
		return SALT_LENGTH + (padded - plainLength) + this.macLength;
	}

	@Override
	public synchronized byte[] encrypt(byte[] plain, int offset, int length) {
		byte[] packet = new byte[length + overhead(length)];
		if (this.cipher == CryptoCipher.NONE) {
			System.arraycopy(plain, offset, packet, 0, length);
			mac(packet, 0, length, packet, length);
			return packet;
		}
		this.random.nextBytes(this.salt);
		System.arraycopy(this.salt, 0, packet, 0, SALT_LENGTH);
		int encrypted = encrypt(this.salt, plain, offset, length, packet, SALT_LENGTH);
		mac(packet, 0, SALT_LENGTH + encrypted, packet, SALT_LENGTH + encrypted);
		return packet;
	}

	@Override
	public synchronized @Nullable byte[] decrypt(byte[] packet, int offset, int length) {
		int minimum = (this.cipher == CryptoCipher.NONE) ? this.macLength : SALT_LENGTH + BLOCK + this.macLength;
		if (length < minimum) {
			return reject();
		}
		int signed = length - this.macLength;
		byte[] expected = new byte[this.macLength];
		mac(packet, offset, signed, expected, 0);
		byte[] received = Arrays.copyOfRange(packet, offset + signed, offset + length);
		if (!MessageDigest.isEqual(expected, received)) {
			return reject();
		}
		if (this.cipher == CryptoCipher.NONE) {
			return Arrays.copyOfRange(packet, offset, offset + signed);
		}
		int ciphertext = signed - SALT_LENGTH;
		if (ciphertext % BLOCK != 0) {
			return reject();
		}
		byte[] iv = Arrays.copyOfRange(packet, offset, offset + SALT_LENGTH);
		byte[] plain = new byte[ciphertext];
		int plainLength = decrypt(iv, packet, offset + SALT_LENGTH, ciphertext, plain);
		if (plainLength < 0) {
			return reject();
		}
		return (plainLength == plain.length) ? plain : Arrays.copyOf(plain, plainLength);
	}

	@Override
	public synchronized long rejected() {
		return this.rejected;
	}

	private @Nullable byte[] reject() {
		this.rejected++;
		return null;
	}

}
