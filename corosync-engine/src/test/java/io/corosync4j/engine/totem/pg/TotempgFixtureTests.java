package io.corosync4j.engine.totem.pg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.corosync4j.engine.fixtures.CpgClientLog;
import io.corosync4j.engine.totem.pg.CapturedServiceMessages.Message;
import io.corosync4j.engine.totem.wire.Mcast;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * totempg against real Corosync 3.1.7 traffic: every MCAST of the udpu captures, in agreed order,
 * reassembles into the CPG messages the C test clients report delivering, and the fragmenter cuts the
 * same messages into byte-identical frames.
 */
class TotempgFixtureTests {

	private static final int UDPU_NET_MTU = 1500 - 90;

	private static final int CPG_MCAST = (2 << 16) | 3;

	private static final int CPG_MCAST_HEADER = 184;

	@ParameterizedTest
	@ValueSource(strings = { "udpu-3node-lifecycle", "udpu-recovery-encapsulated" })
	void framesReassembleToWhatTheClientsDelivered(String scenario) {
		List<Message> messages = CapturedServiceMessages.load(scenario);
		List<CpgClientLog.Delivery> cpg = new ArrayList<>();
		Map<String, Integer> sync = new HashMap<>();
		for (Message message : messages) {
			if (message.group().equals("sync")) {
				sync.merge(message.serviceId() + "/" + message.payload().length, 1, Integer::sum);
			}
			else if (message.group().equals("a") && message.serviceId() == CPG_MCAST) {
				cpg.add(cpgDelivery(message));
			}
		}
		// sync v2: barriers (fn 0, 32 bytes) and service_build (fn 1, 552 bytes), nothing else
		assertThat(sync.keySet()).containsExactlyInAnyOrder("0/32", "1/552");
		for (int node = 1; node <= 2; node++) {
			List<CpgClientLog.Delivery> delivered = CpgClientLog.load(scenario, node).deliveries();
			assertThat(delivered).isNotEmpty();
			assertThat(isSubsequence(delivered, cpg)).as("node %d's deliveries in agreed order", node).isTrue();
		}
		Set<CpgClientLog.Delivery> seen = new HashSet<>(CpgClientLog.load(scenario, 1).deliveries());
		seen.addAll(CpgClientLog.load(scenario, 2).deliveries());
		assertThat(seen).containsAll(cpg);
		System.out.printf("%s: %d messages, %d CPG multicasts (largest %d bytes), sync %s%n", scenario,
				messages.size(), cpg.size(),
				cpg.stream().mapToInt(CpgClientLog.Delivery::length).max().orElse(0), sync);
	}

	@ParameterizedTest
	@ValueSource(strings = { "udpu-3node-lifecycle", "udpu-recovery-encapsulated" })
	void fragmenterProducesCorosyncsFrames(String scenario) {
		Map<Long, List<byte[]>> framesBySender = new LinkedHashMap<>();
		for (Mcast frame : CapturedServiceMessages.agreedOrder(scenario)) {
			framesBySender.computeIfAbsent(frame.nodeid(), (key) -> new ArrayList<>()).add(frame.payload());
		}
		int compared = 0;
		for (Map.Entry<Long, List<byte[]>> entry : framesBySender.entrySet()) {
			List<byte[]> expected = entry.getValue();
			List<byte[]> messages = new ArrayList<>();
			Reassembler reassembler = new Reassembler();
			for (byte[] frame : expected) {
				reassembler.receive(entry.getKey(), frame, false, (nodeid, buffer, offset, length, bigEndian) -> messages
					.add(Arrays.copyOfRange(buffer, offset, offset + length)));
			}
			List<byte[]> produced = replay(messages, expected);
			assertThat(produced).as("frames of node %d", entry.getKey()).hasSize(expected.size());
			for (int i = 0; i < expected.size(); i++) {
				assertThat(produced.get(i)).as("frame %d of node %d", i, entry.getKey()).isEqualTo(expected.get(i));
			}
			compared += expected.size();
		}
		assertThat(compared).isGreaterThan(100);
	}

	/**
	 * Feeds the sender's messages to a fragmenter, flushing whenever the next captured frame is what a
	 * token arriving now would send: the only freedom the sender had was when the token came.
	 */
	private static List<byte[]> replay(List<byte[]> messages, List<byte[]> expected) {
		Fragmenter fragmenter = new Fragmenter(UDPU_NET_MTU);
		List<byte[]> produced = new ArrayList<>();
		for (byte[] message : messages) {
			flushIfDue(fragmenter, expected, produced);
			fragmenter.add(pieces(message), produced::add);
		}
		flushIfDue(fragmenter, expected, produced);
		return produced;
	}

	private static void flushIfDue(Fragmenter fragmenter, List<byte[]> expected, List<byte[]> produced) {
		byte[] pending = fragmenter.peek();
		if (pending != null && produced.size() < expected.size() && Arrays.equals(pending, expected.get(produced.size()))) {
			produced.add(fragmenter.flush());
		}
	}

	/** How Corosync hands the message to totempg: group header, group name, then the service's buffers. */
	private static List<byte[]> pieces(byte[] message) {
		int groupCount = PgFrame.u16(message, 0, false);
		int at = 2 + 2 * groupCount;
		List<byte[]> pieces = new ArrayList<>();
		pieces.add(Arrays.copyOfRange(message, 0, at));
		for (int i = 0; i < groupCount; i++) {
			int length = PgFrame.u16(message, 2 + 2 * i, false);
			pieces.add(Arrays.copyOfRange(message, at, at + length));
			at += length;
		}
		int service = ByteBuffer.wrap(message, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
		if (service == CPG_MCAST) {
			// cpg.c sends its exec header and the client's data as two buffers
			pieces.add(Arrays.copyOfRange(message, at, at + CPG_MCAST_HEADER));
			at += CPG_MCAST_HEADER;
		}
		pieces.add(Arrays.copyOfRange(message, at, message.length));
		return pieces;
	}

	private static <T> boolean isSubsequence(List<T> candidate, List<T> sequence) {
		int at = 0;
		for (T item : sequence) {
			if (at < candidate.size() && candidate.get(at).equals(item)) {
				at++;
			}
		}
		return at == candidate.size();
	}

	private static CpgClientLog.Delivery cpgDelivery(Message message) {
		ByteBuffer in = message.littleEndian();
		int length = in.getInt(152);
		assertThat(length).isEqualTo(message.payload().length - CPG_MCAST_HEADER);
		return new CpgClientLog.Delivery(Integer.toUnsignedLong(in.getInt(168)), Integer.toUnsignedLong(in.getInt(160)),
				length, CpgClientLog.fnv1a(message.payload(), CPG_MCAST_HEADER, length));
	}

}
