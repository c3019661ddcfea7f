package io.corosync4j.engine.crypto;

import java.util.Arrays;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;

/**
 * knet's framing around the primitives subclasses supply: AES-CBC, an HMAC and a source of salts. Nothing
 * is allocated per packet: the salt is not given to the cipher as its IV (which would mean initializing
 * it, and copying key and IV, for every packet); the cipher runs with an IV of zeros and the salt is
 * folded into the first block instead, which is the same CBC. Padding (PKCS#7) is added and checked here,
 * because the ciphers' padding modes copy the input to append it.
 */
abstract class FramedCrypto implements PacketCrypto {

	static final int BLOCK = 16;

	final CryptoCipher cipher;

	final CryptoHash hash;

	final int macLength;

	private final byte[] salt = new byte[SALT_LENGTH];

	private final byte[] first = new byte[BLOCK];

	private final byte[] last = new byte[BLOCK];

	private final byte[] expected;

	private long rejected;

	FramedCrypto(CryptoCipher cipher, CryptoHash hash) {
		this.cipher = cipher;
		this.hash = hash;
		this.macLength = PacketCrypto.macLength(hash);
		this.expected = new byte[this.macLength];
	}

	/** Fills {@code salt} with fresh unpredictable bytes. */
	abstract void nextSalt(byte[] salt);

	/**
	 * AES-CBC encryption of {@code length} bytes (whole blocks), chained to what came before since the
	 * last {@code end}; with {@code end} the chain starts over from an IV of zeros.
	 */
	abstract void encrypt(byte[] in, int offset, int length, byte[] out, int outOffset, boolean end);

	/** AES-CBC decryption of {@code length} bytes (whole blocks) with an IV of zeros. */
	abstract void decrypt(byte[] in, int offset, int length, byte[] out, int outOffset);

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
	public synchronized int seal(byte[] plain, int offset, int length, byte[] out, int outOffset) {
		if (this.cipher == CryptoCipher.NONE) {
			System.arraycopy(plain, offset, out, outOffset, length);
			mac(out, outOffset, length, out, outOffset + length);
			return length + this.macLength;
		}
		nextSalt(this.salt);
		System.arraycopy(this.salt, 0, out, outOffset, SALT_LENGTH);
		int whole = length - length % BLOCK;
		int rest = length - whole;
		System.arraycopy(plain, offset + whole, this.last, 0, rest);
		Arrays.fill(this.last, rest, BLOCK, (byte) (BLOCK - rest));
		int at = outOffset + SALT_LENGTH;
		if (whole > 0) {
			for (int i = 0; i < BLOCK; i++) {
				this.first[i] = (byte) (plain[offset + i] ^ this.salt[i]);
			}
			encrypt(this.first, 0, BLOCK, out, at, false);
			if (whole > BLOCK) {
				encrypt(plain, offset + BLOCK, whole - BLOCK, out, at + BLOCK, false);
			}
		}
		else {
			for (int i = 0; i < BLOCK; i++) {
				this.last[i] ^= this.salt[i];
			}
		}
		encrypt(this.last, 0, BLOCK, out, at + whole, true);
		int encrypted = whole + BLOCK;
		mac(out, outOffset, SALT_LENGTH + encrypted, out, outOffset + SALT_LENGTH + encrypted);
		return SALT_LENGTH + encrypted + this.macLength;
	}

	@Override
	public synchronized int open(byte[] packet, int offset, int length, byte[] out, int outOffset) {
		int minimum = (this.cipher == CryptoCipher.NONE) ? this.macLength : SALT_LENGTH + BLOCK + this.macLength;
		if (length < minimum) {
			return reject();
		}
		int signed = length - this.macLength;
		mac(packet, offset, signed, this.expected, 0);
		if (!equal(this.expected, packet, offset + signed, this.macLength)) {
			return reject();
		}
		if (this.cipher == CryptoCipher.NONE) {
			System.arraycopy(packet, offset, out, outOffset, signed);
			return signed;
		}
		int ciphertext = signed - SALT_LENGTH;
		if (ciphertext % BLOCK != 0) {
			return reject();
		}
		decrypt(packet, offset + SALT_LENGTH, ciphertext, out, outOffset);
		for (int i = 0; i < BLOCK; i++) {
			out[outOffset + i] ^= packet[offset + i];
		}
		// the MAC was right, so a bad padding means a sender that frames differently, not an attack
		int padding = out[outOffset + ciphertext - 1] & 0xFF;
		if (padding < 1 || padding > BLOCK) {
			return reject();
		}
		for (int i = ciphertext - padding; i < ciphertext; i++) {
			if ((out[outOffset + i] & 0xFF) != padding) {
				return reject();
			}
		}
		return ciphertext - padding;
	}

	/** Compares in time independent of where the bytes differ, as {@code MessageDigest.isEqual} does. */
	private static boolean equal(byte[] expected, byte[] packet, int at, int length) {
		int difference = 0;
		for (int i = 0; i < length; i++) {
			difference |= expected[i] ^ packet[at + i];
		}
		return difference == 0;
	}

	@Override
	public synchronized long rejected() {
		return this.rejected;
	}

	private int reject() {
		this.rejected++;
		return -1;
	}

}
