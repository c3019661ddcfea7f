package io.corosync4j.engine.crypto;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import org.jspecify.annotations.Nullable;

/**
 * knet framing on the JDK's JCA, which uses the CPU's AES and SHA instructions where it has them. The
 * ciphers are initialized once; the HMAC is computed over a {@link MessageDigest} (RFC 2104), because the
 * JDK's {@code Mac} allocates its inner digest on every call; salts come from AES-CTR under a random key
 * (a CTR_DRBG), because {@link SecureRandom} allocates on every call.
 */
final class JcaCrypto extends FramedCrypto {

	private final MessageDigest digest;

	private final byte[] innerPad;

	private final byte[] outerPad;

	private final byte[] inner;

	private final @Nullable Cipher encryptor;

	private final @Nullable Cipher decryptor;

	private final @Nullable Cipher salts;

	private final byte[] zeros = new byte[BLOCK];

	JcaCrypto(CryptoCipher cipher, CryptoHash hash, byte[] key) {
		super(cipher, hash);
		try {
			this.digest = MessageDigest.getInstance(switch (hash) {
				case MD5 -> "MD5";
				case SHA1 -> "SHA-1";
				case SHA256 -> "SHA-256";
				case SHA384 -> "SHA-384";
				case SHA512 -> "SHA-512";
				case NONE -> throw new IllegalArgumentException("no hash");
			});
			int block = (hash == CryptoHash.SHA384 || hash == CryptoHash.SHA512) ? 128 : 64;
			byte[] macKey = (key.length > block) ? this.digest.digest(key) : key;
			this.innerPad = new byte[block];
			this.outerPad = new byte[block];
			for (int i = 0; i < block; i++) {
				byte k = (i < macKey.length) ? macKey[i] : 0;
				this.innerPad[i] = (byte) (k ^ 0x36);
				this.outerPad[i] = (byte) (k ^ 0x5c);
			}
			this.inner = new byte[this.digest.getDigestLength()];
			int keyLength = PacketCrypto.keyLength(cipher);
			if (keyLength > 0) {
				SecretKeySpec cipherKey = new SecretKeySpec(Arrays.copyOf(key, keyLength), "AES");
				IvParameterSpec zeroIv = new IvParameterSpec(new byte[BLOCK]);
				this.encryptor = Cipher.getInstance("AES/CBC/NoPadding");
				this.encryptor.init(Cipher.ENCRYPT_MODE, cipherKey, zeroIv);
				this.decryptor = Cipher.getInstance("AES/CBC/NoPadding");
				this.decryptor.init(Cipher.DECRYPT_MODE, cipherKey, zeroIv);
				SecureRandom seed = new SecureRandom();
				byte[] saltKey = new byte[32];
				byte[] saltIv = new byte[BLOCK];
				seed.nextBytes(saltKey);
				seed.nextBytes(saltIv);
				this.salts = Cipher.getInstance("AES/CTR/NoPadding");
				this.salts.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(saltKey, "AES"), new IvParameterSpec(saltIv));
			}
			else {
				this.encryptor = null;
				this.decryptor = null;
				this.salts = null;
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK cannot do " + cipher + "/" + hash, ex);
		}
	}

	@Override
	void nextSalt(byte[] salt) {
		try {
			cipher(this.salts).update(this.zeros, 0, BLOCK, salt, 0);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-CTR failed", ex);
		}
	}

	@Override
	void encrypt(byte[] in, int offset, int length, byte[] out, int outOffset, boolean end) {
		try {
			Cipher aes = cipher(this.encryptor);
			if (end) {
				// doFinal returns the cipher to its initial state: IV zeros
				aes.doFinal(in, offset, length, out, outOffset);
			}
			else {
				aes.update(in, offset, length, out, outOffset);
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES encryption failed", ex);
		}
	}

	@Override
	void decrypt(byte[] in, int offset, int length, byte[] out, int outOffset) {
		try {
			cipher(this.decryptor).doFinal(in, offset, length, out, outOffset);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES decryption failed", ex);
		}
	}

	@Override
	void mac(byte[] in, int offset, int length, byte[] out, int outOffset) {
		try {
			this.digest.update(this.innerPad);
			this.digest.update(in, offset, length);
			this.digest.digest(this.inner, 0, this.inner.length);
			this.digest.update(this.outerPad);
			this.digest.update(this.inner);
			this.digest.digest(out, outOffset, this.inner.length);
		}
		catch (DigestException ex) {
			throw new IllegalStateException("HMAC failed", ex);
		}
	}

	private static Cipher cipher(@Nullable Cipher cipher) {
		if (cipher == null) {
			throw new IllegalStateException("no cipher configured");
		}
		return cipher;
	}

	@Override
	public String implementation() {
		String provider = (this.encryptor != null) ? this.encryptor.getProvider().getName()
				: this.digest.getProvider().getName();
		return "jca " + provider + " " + this.cipher + "/" + this.hash;
	}

}
