package io.corosync4j.engine.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * knet framing on Bouncy Castle's lightweight API: one CBC cipher per direction, keyed once; salts from
 * AES-CTR under a random key.
 */
final class BouncyCastleCrypto extends FramedCrypto {

	private final HMac mac;

	private final BlockCipher encryptor;

	private final BlockCipher decryptor;

	private final BlockCipher salts;

	private final byte[] zeros = new byte[BLOCK];

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
		int keyLength = PacketCrypto.keyLength(cipher);
		KeyParameter cipherKey = new KeyParameter(Arrays.copyOf(key, Math.max(keyLength, 16)));
		this.encryptor = CBCBlockCipher.newInstance(AESEngine.newInstance());
		this.encryptor.init(true, new ParametersWithIV(cipherKey, new byte[BLOCK]));
		this.decryptor = CBCBlockCipher.newInstance(AESEngine.newInstance());
		this.decryptor.init(false, new ParametersWithIV(cipherKey, new byte[BLOCK]));
		SecureRandom seed = new SecureRandom();
		byte[] saltKey = new byte[32];
		byte[] saltIv = new byte[BLOCK];
		seed.nextBytes(saltKey);
		seed.nextBytes(saltIv);
		this.salts = SICBlockCipher.newInstance(AESEngine.newInstance());
		this.salts.init(true, new ParametersWithIV(new KeyParameter(saltKey), saltIv));
	}

	@Override
	void nextSalt(byte[] salt) {
		this.salts.processBlock(this.zeros, 0, salt, 0);
	}

	@Override
	void encrypt(byte[] in, int offset, int length, byte[] out, int outOffset, boolean end) {
		for (int at = 0; at < length; at += BLOCK) {
			this.encryptor.processBlock(in, offset + at, out, outOffset + at);
		}
		if (end) {
			// back to the IV of zeros
			this.encryptor.reset();
		}
	}

	@Override
	void decrypt(byte[] in, int offset, int length, byte[] out, int outOffset) {
		for (int at = 0; at < length; at += BLOCK) {
			this.decryptor.processBlock(in, offset + at, out, outOffset + at);
		}
		this.decryptor.reset();
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
