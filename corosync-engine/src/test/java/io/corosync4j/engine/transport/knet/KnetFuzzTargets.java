package io.corosync4j.engine.transport.knet;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import io.corosync4j.engine.config.CryptoModel;
import io.corosync4j.engine.crypto.PacketCrypto;
import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.Seeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * knet packets: plain ({@link KnetPacket#decode}, {@code null} on reject, with the in-place readers the
 * transport uses), and encrypted (aes256/sha256 with the capture's authkey: {@link PacketCrypto#decrypt}
 * returns {@code null} on reject, then the plain packet is decoded).
 */
public final class KnetFuzzTargets {

	private KnetFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		List<byte[]> plain = new ArrayList<>(Seeds.payloads("knet-2node-plain.packets.tsv.gz"));
		plain.addAll(Seeds.payloads("knet-2node-aes256-sha256.decrypted.tsv.gz"));
		byte[] key = Seeds.authkey();
		List<PacketCrypto> cryptos = List.of(
				PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, CryptoModel.JCA, key),
				PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, CryptoModel.BOUNCYCASTLE, key));
		return List.of(
				FuzzTarget.of("knet-plain", "KnetPacket.decode(byte[]): a packet or null", plain,
						KnetFuzzTargets::decodePlain),
				FuzzTarget.of("knet-encrypted",
						"PacketCrypto.decrypt (JCA and Bouncy Castle, aes256/sha256): plain bytes or null; then KnetPacket.decode",
						Seeds.payloads("knet-2node-aes256-sha256.packets.tsv.gz"),
						(input) -> decodeEncrypted(cryptos, input)));
	}

	private static boolean decodePlain(byte[] input) {
		KnetPacket packet = KnetPacket.decode(input);
		ByteBuf buffer = Unpooled.wrappedBuffer(input);
		KnetPacket.Rejection rejection = KnetPacket.rejection(buffer);
		if ((packet == null) != (rejection != null)) {
			throw new IllegalStateException("decode and rejection disagree: " + packet + " / " + rejection);
		}
		if (packet == null) {
			return false;
		}
		// the in-place readers the transport runs on an accepted packet
		switch (KnetPacket.type(buffer)) {
			case KnetPacket.TYPE_DATA -> {
				KnetPacket.dataSeq(buffer);
				KnetPacket.dataFragments(buffer);
				KnetPacket.dataFragment(buffer);
				KnetPacket.dataChannel(buffer);
			}
			case KnetPacket.TYPE_PING, KnetPacket.TYPE_PONG -> {
				KnetPacket.pingTime(buffer);
				KnetPacket.pingSeq(buffer);
				KnetPacket.pingTimed(buffer);
			}
			default -> KnetPacket.pmtudReply(buffer);
		}
		return true;
	}

	private static boolean decodeEncrypted(List<PacketCrypto> cryptos, byte[] input) {
		boolean accepted = false;
		for (PacketCrypto crypto : cryptos) {
			byte[] plain = crypto.decrypt(input, 0, input.length);
			accepted |= plain != null && KnetPacket.decode(plain) != null;
		}
		return accepted;
	}

}
