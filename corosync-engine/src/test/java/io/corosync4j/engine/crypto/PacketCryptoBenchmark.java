package io.corosync4j.engine.crypto;

import java.util.Random;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import io.corosync4j.engine.config.CryptoModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The cost of knet crypto per packet, both implementations, aes256/sha256. Not a test:
 * {@code ./mvnw -pl corosync-engine test -Dtest=PacketCryptoBenchmark -Dcorosync4j.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "corosync4j.benchmark", matches = "true")
class PacketCryptoBenchmark {

	@Test
	void encryptAndDecrypt() {
		byte[] key = new byte[256];
		new Random(1).nextBytes(key);
		System.out.println("| model | packet | encrypt µs | decrypt µs | MB/s (encrypt + decrypt) |");
		System.out.println("|---|---:|---:|---:|---:|");
		for (CryptoModel model : new CryptoModel[] { CryptoModel.JCA, CryptoModel.BOUNCYCASTLE }) {
			PacketCrypto crypto = PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, model, key);
			for (int size : new int[] { 80, 1397, 65000 }) {
				byte[] plain = new byte[size];
				int rounds = Math.max(200, 20_000_000 / size);
				byte[] packet = null;
				for (int warm = 0; warm < rounds; warm++) {
					packet = crypto.encrypt(plain, 0, size);
					crypto.decrypt(packet, 0, packet.length);
				}
				long start = System.nanoTime();
				for (int i = 0; i < rounds; i++) {
					packet = crypto.encrypt(plain, 0, size);
				}
				long encrypt = System.nanoTime() - start;
				start = System.nanoTime();
				for (int i = 0; i < rounds; i++) {
					crypto.decrypt(packet, 0, packet.length);
				}
				long decrypt = System.nanoTime() - start;
				System.out.printf("| %s | %d B | %.2f | %.2f | %.0f |%n", model, size, encrypt / 1e3 / rounds,
						decrypt / 1e3 / rounds, (double) size * rounds / ((encrypt + decrypt) / 1e9) / 1e6);
			}
		}
	}

}
