package io.corosync4j.engine.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import io.corosync4j.engine.config.CryptoModel;
import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.Seeds;

/**
 * knet's crypto framing behind the HMAC: a mutated packet almost never passes the HMAC, so this target
 * signs each input with the authkey first, and {@link PacketCrypto#open} must then reject a bad length
 * or padding by returning -1. Both implementations, aes256/sha256.
 */
public final class CryptoFuzzTargets {

	private CryptoFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		byte[] key = Seeds.authkey();
		List<FramedCrypto> cryptos = List.of(
				(FramedCrypto) PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, CryptoModel.JCA, key),
				(FramedCrypto) PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, CryptoModel.BOUNCYCASTLE, key));
		List<byte[]> unsigned = new ArrayList<>();
		for (byte[] packet : Seeds.payloads("knet-2node-aes256-sha256.packets.tsv.gz")) {
			unsigned.add(Arrays.copyOf(packet, packet.length - PacketCrypto.macLength(CryptoHash.SHA256)));
		}
		return List.of(FuzzTarget.of("knet-crypto-signed",
				"PacketCrypto.open of a correctly signed packet (JCA and Bouncy Castle): the plain length or -1",
				unsigned, (input) -> open(cryptos, input)));
	}

	private static boolean open(List<FramedCrypto> cryptos, byte[] input) {
		boolean accepted = false;
		for (FramedCrypto crypto : cryptos) {
			byte[] packet = Arrays.copyOf(input, input.length + crypto.macLength);
			crypto.mac(input, 0, input.length, packet, input.length);
			byte[] plain = new byte[packet.length];
			int opened = crypto.open(packet, 0, packet.length, plain, 0);
			if (opened < -1 || opened > packet.length) {
				throw new IllegalStateException("open returned " + opened + " for " + packet.length + " bytes");
			}
			accepted |= opened >= 0;
		}
		return accepted;
	}

}
