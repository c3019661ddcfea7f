package io.corosync4j.engine.totem.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * A join message ({@code struct memb_join}): 33 bytes plus 4 per proc and failed entry. With header
 * {@code nodeid} 0 it is a leave message, whose last failed entry is the leaving node.
 *
 * @param nodeid the sender, or 0 for a leave
 * @param targetNodeid unused (may hold anything on udp/udpu)
 * @param systemFrom the sender (also in a leave)
 * @param procList node ids the sender believes reachable
 * @param failedList node ids the sender considers failed
 * @param ringSeq the sender's current ring sequence
 */
public record MembJoin(long nodeid, long targetNodeid, long systemFrom, List<Long> procList, List<Long> failedList,
		long ringSeq) implements TotemMessage {

	/** Size without the lists. */
	public static final int BASE_SIZE = 33;

	public MembJoin {
		Wire.checkU32(nodeid, "nodeid");
		Wire.checkU32(targetNodeid, "targetNodeid");
		Wire.checkU32(systemFrom, "systemFrom");
		procList = Wire.checkNodeids(procList, "procList");
		failedList = Wire.checkNodeids(failedList, "failedList");
	}

	/** Whether this is a leave message (header node id 0). */
	public boolean isLeave() {
		return this.nodeid == 0;
	}

	@Override
	public MessageType type() {
		return MessageType.MEMB_JOIN;
	}

	@Override
	public int encodedLength() {
		return BASE_SIZE + 4 * (this.procList.size() + this.failedList.size());
	}

	@Override
	public void encode(ByteBuf out) {
		Wire.writeHeader(out, MessageType.MEMB_JOIN, 0, this.nodeid, this.targetNodeid);
		out.writeIntLE((int) this.systemFrom);
		out.writeIntLE(this.procList.size());
		out.writeIntLE(this.failedList.size());
		out.writeLongLE(this.ringSeq);
		Wire.writeNodeids(out, this.procList);
		Wire.writeNodeids(out, this.failedList);
	}

	static DecodeResult decode(WireReader in) {
		if (in.length() < BASE_SIZE) {
			return Rejection.TRUNCATED;
		}
		long procs = in.u32(17);
		long failed = in.u32(21);
		if (procs > Wire.PROCESSOR_COUNT_MAX || failed > Wire.PROCESSOR_COUNT_MAX) {
			return Rejection.TOO_MANY_ENTRIES;
		}
		long expected = BASE_SIZE + 4 * (procs + failed);
		if (in.length() != expected) {
			return (in.length() < expected) ? Rejection.TRUNCATED : Rejection.OVERSIZED;
		}
		return new MembJoin(in.u32(5), in.u32(9), in.u32(13), nodeids(in, BASE_SIZE, (int) procs),
				nodeids(in, BASE_SIZE + 4 * (int) procs, (int) failed), in.u64(25));
	}

	static List<Long> nodeids(WireReader in, int offset, int count) {
		Long[] nodeids = new Long[count];
		for (int i = 0; i < count; i++) {
			nodeids[i] = in.u32(offset + 4 * i);
		}
		return List.of(nodeids);
	}

}
