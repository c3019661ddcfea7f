package io.corosync4j.engine.transport.knet;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.corosync4j.engine.fixtures.CapturedPackets;
import io.corosync4j.engine.totem.wire.Rejection;
import io.corosync4j.engine.totem.wire.TotemCodec;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** knet onwire v1 against Corosync 3.1.7's knet captures (plain, and the aes256 one decrypted). */
class KnetPacketTests {

	@ParameterizedTest
	@ValueSource(strings = { "knet-2node-plain.packets.tsv.gz", "knet-2node-aes256-sha256.decrypted.tsv.gz" })
	void everyCapturedPacketDecodesAndEncodesBack(String capture) {
		Map<String, Integer> kinds = new TreeMap<>();
		List<byte[]> packets = CapturedPackets.payloads(capture);
		for (byte[] bytes : packets) {
			KnetPacket packet = KnetPacket.decode(bytes);
			assertThat(packet).as(HexFormat.of().formatHex(bytes, 0, Math.min(32, bytes.length))).isNotNull();
			kinds.merge(packet.getClass().getSimpleName() + ((packet instanceof KnetPacket.Ping ping && ping.pong())
					|| (packet instanceof KnetPacket.Pmtud pmtud && pmtud.reply()) ? " reply" : ""), 1, Integer::sum);
			assertThat(packet.node()).isIn(1, 2);
			byte[] encoded = packet.encode();
			if (packet instanceof KnetPacket.Pmtud) {
				// the probe's filler is not ours to copy
				assertThat(Arrays.copyOf(encoded, 9)).isEqualTo(Arrays.copyOf(bytes, 9));
				assertThat(encoded).hasSameSizeAs(bytes);
			}
			else {
				assertThat(encoded).isEqualTo(bytes);
			}
			if (packet instanceof KnetPacket.Data data) {
				assertThat(data.channel()).isZero();
				if (data.fragments() == 1) {
					// corosync's channel 0 carries Totem messages
					assertThat(TotemCodec.decode(Unpooled.wrappedBuffer(data.payload()))).isNotInstanceOf(Rejection.class);
				}
			}
		}
		System.out.println(capture + ": " + kinds);
		assertThat(kinds).containsKeys("Data", "Ping", "Ping reply", "Pmtud", "Pmtud reply");
	}

	@Test
	void theObservedHeadersAreOurs() {
		// corosync-wire.md 14.2: broadcast seq 1, and a unicast commit token seq 2, from node 1
		assertThat(new KnetPacket.Data(1, 1, true, 1, 0, 0, new byte[0]).encode())
			.isEqualTo(HexFormat.of().parseHex("0100000100000001000001010000"));
		assertThat(new KnetPacket.Data(1, 2, false, 1, 0, 0, new byte[0]).encode())
			.isEqualTo(HexFormat.of().parseHex("0100000100000002000000010000"));
		KnetPacket.Ping ping = (KnetPacket.Ping) KnetPacket
			.decode(HexFormat.of().parseHex("018100010000007a0500000000000079eb4c0f00000000000001"));
		assertThat(ping.answer(2).encode()).isEqualTo(HexFormat.of()
			.parseHex("018200020000007a0500000000000079eb4c0f00000000000001"));
	}

	@Test
	void whatIsNotAKnetPacketIsRejectedWithTheReason() {
		assertThat(KnetPacket.rejection(new byte[3])).isEqualTo(KnetPacket.Rejection.TRUNCATED);
		assertThat(KnetPacket.rejection(HexFormat.of().parseHex("02000001000000"))).isEqualTo(KnetPacket.Rejection.VERSION);
		assertThat(KnetPacket.rejection(HexFormat.of().parseHex("01420001000000"))).isEqualTo(KnetPacket.Rejection.TYPE);
		assertThat(KnetPacket.rejection(HexFormat.of().parseHex("01810001000000"))).isEqualTo(KnetPacket.Rejection.TRUNCATED);
		assertThat(KnetPacket.decode(new byte[3])).isNull();
	}

}
