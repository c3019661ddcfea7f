package io.corosync4j.engine.totem.pg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.corosync4j.engine.fixtures.CapturedPackets;
import io.corosync4j.engine.totem.wire.DecodeResult;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.RingId;
import io.corosync4j.engine.totem.wire.TotemCodec;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/** The totempg messages of a capture, reassembled in agreed order, for tests of the layers above. */
public final class CapturedServiceMessages {

	private CapturedServiceMessages() {
	}

	/**
	 * A reassembled totempg message: its (single) group and the service payload.
	 *
	 * @param nodeid the sender
	 * @param ringId the ring it was delivered in
	 * @param group the group name
	 * @param payload the service message, header included
	 */
	public record Message(long nodeid, RingId ringId, String group, byte[] payload) {

		/** The header's id: service in the high 16 bits, function in the low. */
		public int serviceId() {
			return littleEndian().getInt(0);
		}

		public ByteBuffer littleEndian() {
			return ByteBuffer.wrap(this.payload).order(ByteOrder.LITTLE_ENDIAN);
		}

	}

	/** Every message of {@code scenario}, reassembled in agreed order. */
	public static List<Message> load(String scenario) {
		List<Message> messages = new ArrayList<>();
		Reassembler reassembler = new Reassembler();
		for (Mcast frame : agreedOrder(scenario)) {
			reassembler.receive(frame.nodeid(), frame.payload(), frame.bigEndian(),
					(nodeid, buffer, offset, length, bigEndian) -> messages
						.add(parse(nodeid, frame.ringId(), Arrays.copyOfRange(buffer, offset, offset + length))));
		}
		assertThat(reassembler.drops(Reassembler.Drop.MALFORMED)).isZero();
		return messages;
	}

	/** Distinct regular MCASTs (udpu sends each once per member), by ring in order of appearance, then seq. */
	static List<Mcast> agreedOrder(String scenario) {
		Map<RingId, Map<Long, Mcast>> rings = new LinkedHashMap<>();
		for (CapturedPackets.Packet packet : CapturedPackets.load(scenario)) {
			DecodeResult result = TotemCodec.decode(Unpooled.wrappedBuffer(packet.payload()));
			if (result instanceof Mcast mcast && !mcast.isEncapsulated()) {
				rings.computeIfAbsent(mcast.ringId(), (key) -> new TreeMap<>()).putIfAbsent(mcast.seq(), mcast);
			}
		}
		List<Mcast> ordered = new ArrayList<>();
		rings.values().forEach((ring) -> ordered.addAll(ring.values()));
		return ordered;
	}

	private static Message parse(long nodeid, RingId ringId, byte[] bytes) {
		int groupCount = PgFrame.u16(bytes, 0, false);
		assertThat(groupCount).isEqualTo(1);
		int length = PgFrame.u16(bytes, 2, false);
		String group = new String(bytes, 4, length, StandardCharsets.US_ASCII);
		return new Message(nodeid, ringId, group, Arrays.copyOfRange(bytes, 4 + length, bytes.length));
	}

}
