package io.corosync4j.engine.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import org.jspecify.annotations.Nullable;

/** knet framing on the JDK's JCA (which uses the CPU's AES and SHA instructions where it has them). */
final class JcaCrypto extends FramedCrypto {

	private final Mac mac;

	private final Cipher aes;

	private final @Nullable SecretKeySpec cipherKey;

	JcaCrypto(CryptoCipher cipher, CryptoHash hash, byte[] key) {
		super(cipher, hash);
		try {
			String algorithm = switch (hash) {
				case MD5 -> "HmacMD5";
				case SHA1 -> "HmacSHA1";
				case SHA256 -> "HmacSHA256";
				case SHA384 -> "HmacSHA384";
				case SHA512 -> "HmacSHA512";
				case NONE -> throw new IllegalArgumentException("no hash");
			};
			this.mac = Mac.getInstance(algorithm);
			this.mac.init(new SecretKeySpec(key, algorithm));
			this.aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
			int keyLength = PacketCrypto.keyLength(cipher);
			this.cipherKey = (keyLength > 0) ? new SecretKeySpec(Arrays.copyOf(key, keyLength), "AES") : null;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("the JDK cannot do " + cipher + "/" + hash, ex);
		}
	}

	@Override
	int encrypt(byte[] iv, byte[] in, int offset, int length, byte[] out, int outOffset) {
		try {
			this.aes.init(Cipher.ENCRYPT_MODE, this.cipherKey, new IvParameterSpec(iv));
			return this.aes.doFinal(in, offset, length, out, outOffset);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES encryption failed", ex);
		}
	}

	@Override
	int decrypt(byte[] iv, byte[] in, int offset, int length, byte[] out) {
		try {
			this.aes.init(Cipher.DECRYPT_MODE, this.cipherKey, new IvParameterSpec(iv));
			return this.aes.doFinal(in, offset, length, out, 0);
		}
		catch (GeneralSecurityException ex) {
			return -1;
		}
	}

	@Override
	void mac(byte[] in, int offset, int length, byte[] out, int outOffset) {
		try {
			this.mac.update(in, offset, length);
			this.mac.doFinal(out, outOffset);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC failed", ex);
		}
	}

	@Override
	public String implementation() {
		return "jca " + this.aes.getProvider().getName() + " " + this.cipher + "/" + this.hash;
	}

}
