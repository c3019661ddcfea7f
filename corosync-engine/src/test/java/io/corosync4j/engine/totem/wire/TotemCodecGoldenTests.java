package io.corosync4j.engine.totem.wire;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.corosync4j.engine.fixtures.CapturedPackets;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Totem packet of the real Corosync 3.1.7 udpu captures decodes to the fields the fixture's
 * annotations give, re-encodes to the same bytes, and a message built from those fields with a zero
 * {@code target_nodeid} differs from the capture only in that field (udpu leaves it uninitialised).
 */
class TotemCodecGoldenTests {

	@ParameterizedTest
	@ValueSource(strings = { "udpu-3node-lifecycle", "udpu-recovery-encapsulated" })
	void everyCapturedPacketDecodesAndEncodesByteForByte(String scenario) {
		List<CapturedPackets.Packet> packets = CapturedPackets.load(scenario);
		Map<MessageType, Integer> counts = new EnumMap<>(MessageType.class);
		int encapsulated = 0;
		for (CapturedPackets.Packet packet : packets) {
			DecodeResult result = TotemCodec.decode(Unpooled.wrappedBuffer(packet.payload()));
			assertThat(result).as("%s", packet).isInstanceOf(TotemMessage.class);
			TotemMessage message = (TotemMessage) result;
			counts.merge(message.type(), 1, Integer::sum);
			String description = describe(message);
			if (message instanceof Mcast) {
				assertThat(packet.annotation()).as("%s", packet).startsWith(description);
				encapsulated += ((Mcast) message).isEncapsulated() ? 1 : 0;
			}
			else {
				assertThat(description).as("%s", packet).isEqualTo(packet.annotation());
			}
			assertThat(message.encodedLength()).isEqualTo(packet.payload().length);
			assertThat(TotemCodec.encode(message)).as("%s", packet).isEqualTo(packet.payload());
			byte[] rebuilt = TotemCodec.encode(withoutTarget(message));
			byte[] expected = packet.payload().clone();
			Arrays.fill(expected, 9, 13, (byte) 0);
			assertThat(rebuilt).as("%s", packet).isEqualTo(expected);
		}
		// the captures hold every message type, and the recovery one its encapsulated copies
		assertThat(counts).containsOnlyKeys(MessageType.values());
		if (scenario.equals("udpu-recovery-encapsulated")) {
			assertThat(encapsulated).isEqualTo(405);
		}
		System.out.println(scenario + ": " + packets.size() + " packets " + counts);
	}

	/** The same message with {@code target_nodeid} 0, built from the decoded fields. */
	private static TotemMessage withoutTarget(TotemMessage message) {
		if (message instanceof OrfToken t) {
			return new OrfToken(t.nodeid(), 0, t.seq(), t.tokenSeq(), t.aru(), t.aruAddr(), t.ringId(), t.backlog(),
					t.fcc(), t.retransFlg(), t.rtrList());
		}
		if (message instanceof Mcast m) {
			return new Mcast(m.nodeid(), 0, m.encapsulation(), m.systemFrom(), m.seq(), m.thisSeqno(), m.ringId(),
					m.nodeIdField(), m.guarantee(), m.payload());
		}
		if (message instanceof MembMergeDetect d) {
			return new MembMergeDetect(d.nodeid(), 0, d.systemFrom(), d.ringId());
		}
		if (message instanceof MembJoin j) {
			return new MembJoin(j.nodeid(), 0, j.systemFrom(), j.procList(), j.failedList(), j.ringSeq());
		}
		if (message instanceof MembCommitToken c) {
			return new MembCommitToken(c.nodeid(), 0, c.tokenSeq(), c.ringId(), c.retransFlg(), c.membIndex(), c.addr(),
					c.membList());
		}
		TokenHoldCancel h = (TokenHoldCancel) message;
		return new TokenHoldCancel(h.nodeid(), 0, h.ringId());
	}

	/** The fixture decoder's description ({@code annotate.py}), up to where it goes into the payload. */
	static String describe(TotemMessage message) {
		if (message instanceof OrfToken t) {
			return "TOKEN from=" + t.nodeid() + " ring=" + t.ringId() + " seq=" + t.seq() + " token_seq=" + t.tokenSeq()
					+ " aru=" + t.aru() + " aru_addr=" + t.aruAddr() + " backlog=" + t.backlog() + " fcc=" + t.fcc()
					+ " retrans_flg=" + t.retransFlg() + " rtr=" + t.rtrList().size()
					+ (t.rtrList().isEmpty() ? "" : t.rtrList().stream().limit(8)
						.map((item) -> item.ringId() + ":" + item.seq()).collect(Collectors.joining(",", " [", "]")));
		}
		if (message instanceof Mcast m) {
			return "MCAST" + (m.isEncapsulated() ? " ENCAPSULATED" : "") + " nodeid=" + m.nodeid() + " from="
					+ m.systemFrom() + " ring=" + m.ringId() + " seq=" + m.seq() + " this_seqno=" + m.thisSeqno()
					+ (m.isEncapsulated() ? " inner(nodeid=" + m.inner().nodeid() + " ring=" + m.inner().ringId()
							+ " seq=" + m.inner().seq() + "): " : " ");
		}
		if (message instanceof MembMergeDetect d) {
			return "MERGE_DETECT from=" + d.systemFrom() + " ring=" + d.ringId();
		}
		if (message instanceof MembJoin j) {
			return (j.isLeave() ? "JOIN(LEAVE)" : "JOIN") + " nodeid=" + j.nodeid() + " from=" + j.systemFrom()
					+ " ring_seq=" + j.ringSeq() + " proc=" + j.procList() + " failed=" + j.failedList();
		}
		if (message instanceof MembCommitToken c) {
			return "COMMIT_TOKEN from=" + c.nodeid() + " target=" + c.targetNodeid() + " token_seq=" + c.tokenSeq()
					+ " ring=" + c.ringId() + " memb_index=" + c.membIndex() + " addr=" + c.addr() + " memb=["
					+ c.membList().stream().map((e) -> (e.ringId().rep() == 0) ? "-" : e.ringId() + "/aru=" + e.aru()
							+ "/hd=" + e.highDelivered() + "/rf=" + e.receivedFlg()).collect(Collectors.joining(" "))
					+ "]";
		}
		TokenHoldCancel h = (TokenHoldCancel) message;
		return "HOLD_CANCEL from=" + h.nodeid() + " ring=" + h.ringId();
	}

}
