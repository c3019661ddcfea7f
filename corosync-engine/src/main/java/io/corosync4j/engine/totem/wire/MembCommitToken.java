package io.corosync4j.engine.totem.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * The commit token that installs a new ring ({@code struct memb_commit_token}): 41 bytes plus 28 per
 * member (its node id and its {@link MembEntry}).
 *
 * @param nodeid the sender
 * @param targetNodeid the next member on knet, 0 on udp/udpu
 * @param tokenSeq incremented on every send
 * @param ringId the new ring
 * @param retransFlg unused, 0
 * @param membIndex entries filled in so far
 * @param addr the members' node ids, ascending (the ring order)
 * @param membList one entry per member, in the order of {@code addr}
 */
public record MembCommitToken(long nodeid, long targetNodeid, long tokenSeq, RingId ringId, int retransFlg,
		int membIndex, List<Long> addr, List<MembEntry> membList) implements TotemMessage {

	/** Size without the member lists. */
	public static final int BASE_SIZE = 41;

	public MembCommitToken {
		Wire.checkU32(nodeid, "nodeid");
		Wire.checkU32(targetNodeid, "targetNodeid");
		Wire.checkU32(tokenSeq, "tokenSeq");
		addr = Wire.checkNodeids(addr, "addr");
		membList = List.copyOf(membList);
		if (membList.size() != addr.size()) {
			throw new IllegalArgumentException(
					"a commit token needs one member entry per address, got " + membList.size() + " for " + addr.size());
		}
	}

	@Override
	public MessageType type() {
		return MessageType.MEMB_COMMIT_TOKEN;
	}

	@Override
	public int encodedLength() {
		return BASE_SIZE + (4 + MembEntry.SIZE) * this.addr.size();
	}

	@Override
	public void encode(ByteBuf out) {
		Wire.writeHeader(out, MessageType.MEMB_COMMIT_TOKEN, 0, this.nodeid, this.targetNodeid);
		out.writeIntLE((int) this.tokenSeq);
		this.ringId.encode(out);
		out.writeIntLE(this.retransFlg);
		out.writeIntLE(this.membIndex);
		out.writeIntLE(this.addr.size());
		Wire.writeNodeids(out, this.addr);
		for (MembEntry entry : this.membList) {
			entry.ringId().encode(out);
			out.writeIntLE((int) entry.aru());
			out.writeIntLE((int) entry.highDelivered());
			out.writeIntLE((int) entry.receivedFlg());
		}
	}

	static DecodeResult decode(WireReader in) {
		if (in.length() < BASE_SIZE) {
			return Rejection.TRUNCATED;
		}
		int members = in.i32(37);
		int membIndex = in.i32(33);
		if (members < 0 || members > Wire.PROCESSOR_COUNT_MAX) {
			return Rejection.TOO_MANY_ENTRIES;
		}
		if (membIndex < 0 || membIndex > members) {
			return Rejection.INCONSISTENT;
		}
		int expected = BASE_SIZE + (4 + MembEntry.SIZE) * members;
		if (in.length() != expected) {
			return (in.length() < expected) ? Rejection.TRUNCATED : Rejection.OVERSIZED;
		}
		MembEntry[] entries = new MembEntry[members];
		for (int i = 0; i < members; i++) {
			int offset = BASE_SIZE + 4 * members + MembEntry.SIZE * i;
			entries[i] = new MembEntry(RingId.decode(in, offset), in.u32(offset + 12), in.u32(offset + 16),
					in.u32(offset + 20));
		}
		return new MembCommitToken(in.u32(5), in.u32(9), in.u32(13), RingId.decode(in, 17), in.i32(29), membIndex,
				MembJoin.nodeids(in, BASE_SIZE, members), List.of(entries));
	}

}
