package io.corosync4j.engine.crypto;

import java.util.Arrays;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/** knet framing on Bouncy Castle's lightweight API. */
final class BouncyCastleCrypto extends FramedCrypto {

	private final HMac mac;

	private final BufferedBlockCipher aes;

	private final KeyParameter cipherKey;

	BouncyCastleCrypto(CryptoCipher cipher, CryptoHash hash, byte[] key) {
		super(cipher, hash);
		Digest digest = switch (hash) {
			case MD5 -> new MD5Digest();
			case SHA1 -> new SHA1Digest();
			case SHA256 -> new SHA256Digest();
			case SHA384 -> new SHA384Digest();
			case SHA512 -> new SHA512Digest();
			case NONE -> throw new IllegalArgumentException("no hash");
		};
		this.mac = new HMac(digest);
		this.mac.init(new KeyParameter(key));
		this.aes = new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(AESEngine.newInstance()), new PKCS7Padding());
		int keyLength = PacketCrypto.keyLength(cipher);
		this.cipherKey = new KeyParameter(Arrays.copyOf(key, Math.max(keyLength, 16)));
	}

	@Override
	int encrypt(byte[] iv, byte[] in, int offset, int length, byte[] out, int outOffset) {
		this.aes.init(true, new ParametersWithIV(this.cipherKey, iv));
		int written = this.aes.processBytes(in, offset, length, out, outOffset);
		try {
			return written + this.aes.doFinal(out, outOffset + written);
		}
		catch (InvalidCipherTextException ex) {
			throw new IllegalStateException("AES encryption failed", ex);
		}
	}

	@Override
	int decrypt(byte[] iv, byte[] in, int offset, int length, byte[] out) {
		this.aes.init(false, new ParametersWithIV(this.cipherKey, iv));
		int written = this.aes.processBytes(in, offset, length, out, 0);
		try {
			return written + this.aes.doFinal(out, written);
		}
		catch (InvalidCipherTextException | RuntimeException ex) {
			return -1;
		}
	}

	@Override
	void mac(byte[] in, int offset, int length, byte[] out, int outOffset) {
		this.mac.update(in, offset, length);
		this.mac.doFinal(out, outOffset);
	}

	@Override
	public String implementation() {
		return "bouncycastle " + this.cipher + "/" + this.hash;
	}

}
