package io.corosync4j.engine.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import io.corosync4j.engine.config.CryptoModel;
import io.corosync4j.engine.fixtures.CapturedPackets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** knet's crypto framing against a real Corosync 3.1.7 capture, and each implementation against the other. */
class PacketCryptoTests {

	private static final List<CryptoModel> MODELS = List.of(CryptoModel.JCA, CryptoModel.BOUNCYCASTLE);

	@ParameterizedTest
	@EnumSource(value = CryptoModel.class, names = { "JCA", "BOUNCYCASTLE" })
	void everyCapturedPacketDecryptsToWhatCorosyncSent(CryptoModel model) throws IOException {
		byte[] key = authkey();
		List<byte[]> encrypted = CapturedPackets.payloads("knet-2node-aes256-sha256.packets.tsv.gz");
		List<byte[]> plain = CapturedPackets.payloads("knet-2node-aes256-sha256.decrypted.tsv.gz");
		assertThat(encrypted).hasSameSizeAs(plain).hasSizeGreaterThan(800);
		PacketCrypto crypto = PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, model, key);
		for (int i = 0; i < encrypted.size(); i++) {
			byte[] packet = encrypted.get(i);
			assertThat(crypto.decrypt(packet, 0, packet.length)).as("packet %d", i).isEqualTo(plain.get(i));
			// and our framing of the same plaintext has the captured size
			assertThat(crypto.encrypt(plain.get(i), 0, plain.get(i).length)).as("size of packet %d", i)
				.hasSameSizeAs(packet);
		}
		assertThat(crypto.rejected()).isZero();
	}

	@Test
	void aPingGrowsToCorosyncsEightyBytes() {
		byte[] ping = HexFormat.of().parseHex("018100010000007a0500000000000079eb4c0f000000000000" + "01");
		assertThat(ping).hasSize(26);
		for (CryptoModel model : MODELS) {
			PacketCrypto crypto = PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, model, key(256, 1));
			assertThat(crypto.encrypt(ping, 0, ping.length)).hasSize(80);
			assertThat(crypto.overhead(26)).isEqualTo(54);
			// a block-aligned packet gets a whole block of padding
			assertThat(crypto.overhead(32)).isEqualTo(16 + 16 + 32);
		}
	}

	@Test
	void everyCipherAndHashRoundTripsBetweenTheTwoImplementations() {
		byte[] key = key(512, 7);
		Random random = new Random(3);
		for (CryptoCipher cipher : CryptoCipher.values()) {
			for (CryptoHash hash : CryptoHash.values()) {
				if (hash == CryptoHash.NONE) {
					continue;
				}
				PacketCrypto jca = PacketCrypto.of(cipher, hash, CryptoModel.JCA, key);
				PacketCrypto bc = PacketCrypto.of(cipher, hash, CryptoModel.BOUNCYCASTLE, key);
				for (int length : new int[] { 1, 15, 16, 17, 1397, 65000 }) {
					byte[] plain = new byte[length];
					random.nextBytes(plain);
					byte[] byJca = jca.encrypt(plain, 0, length);
					byte[] byBc = bc.encrypt(plain, 0, length);
					assertThat(bc.decrypt(byJca, 0, byJca.length)).as("%s/%s %d", cipher, hash, length).isEqualTo(plain);
					assertThat(jca.decrypt(byBc, 0, byBc.length)).as("%s/%s %d", cipher, hash, length).isEqualTo(plain);
					assertThat(byJca).hasSize(length + jca.overhead(length));
				}
			}
		}
	}

	@Test
	void packetsOfAnotherKeyOrTamperedOnesAreCountedAndDropped() {
		for (CryptoModel model : MODELS) {
			PacketCrypto ours = PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, model, key(256, 1));
			PacketCrypto theirs = PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, model, key(256, 2));
			byte[] packet = theirs.encrypt(new byte[100], 0, 100);
			assertThat(ours.decrypt(packet, 0, packet.length)).isNull();
			byte[] good = ours.encrypt(new byte[100], 0, 100);
			good[20] ^= 1;
			assertThat(ours.decrypt(good, 0, good.length)).isNull();
			assertThat(ours.decrypt(new byte[10], 0, 10)).isNull();
			// a clear packet is not accepted once crypto is on
			assertThat(ours.decrypt(new byte[200], 0, 200)).isNull();
			assertThat(ours.rejected()).isEqualTo(4);
		}
	}

	@Test
	void aCipherNeedsAHashAndAKeyLongEnough() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PacketCrypto.of(CryptoCipher.AES128, CryptoHash.NONE, CryptoModel.JCA, key(256, 1)))
			.withMessageContaining("needs a crypto_hash");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA1, CryptoModel.JCA, new byte[20]))
			.withMessageContaining("needs 32");
		assertThat(PacketCrypto.of(CryptoCipher.NONE, CryptoHash.NONE, CryptoModel.JCA, new byte[0]))
			.isSameAs(PacketCrypto.none());
	}

	static byte[] authkey() throws IOException {
		try (InputStream in = PacketCryptoTests.class
			.getResourceAsStream("/corosync-3.1.7/captures/knet-2node-aes256-sha256.authkey")) {
			return in.readAllBytes();
		}
	}

	static byte[] key(int length, int seed) {
		byte[] key = new byte[length];
		new Random(seed).nextBytes(key);
		return key;
	}

}
