package io.corosync4j.engine.totem.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * The ordering token ({@code struct orf_token}): 57 bytes plus 16 per retransmission request.
 *
 * @param nodeid the forwarder
 * @param targetNodeid the next hop on knet
 * @param seq highest message sequence number assigned in this ring
 * @param tokenSeq incremented on every hop; older tokens are retransmission duplicates
 * @param aru all-received-up-to
 * @param aruAddr node that last lowered {@code aru}, 0 when {@code aru == seq}
 * @param ringId the ring
 * @param backlog sum of the nodes' send backlogs (flow control)
 * @param fcc messages sent during the last rotation (flow control)
 * @param retransFlg recovery: 1 while some node still re-sends old-ring messages
 * @param rtrList retransmission requests, at most 30
 */
public record OrfToken(long nodeid, long targetNodeid, long seq, long tokenSeq, long aru, long aruAddr, RingId ringId,
		long backlog, long fcc, int retransFlg, List<RtrItem> rtrList) implements TotemMessage {

	/** Size without the rtr list. */
	public static final int BASE_SIZE = 57;

	public OrfToken {
		Wire.checkU32(nodeid, "nodeid");
		Wire.checkU32(targetNodeid, "targetNodeid");
		Wire.checkU32(seq, "seq");
		Wire.checkU32(tokenSeq, "tokenSeq");
		Wire.checkU32(aru, "aru");
		Wire.checkU32(aruAddr, "aruAddr");
		Wire.checkU32(backlog, "backlog");
		Wire.checkU32(fcc, "fcc");
		if (rtrList.size() > Wire.RETRANSMIT_ENTRIES_MAX) {
			throw new IllegalArgumentException(
					"rtr list has " + rtrList.size() + " entries, at most " + Wire.RETRANSMIT_ENTRIES_MAX + " are sent");
		}
		rtrList = List.copyOf(rtrList);
	}

	/** The same token with another {@code aru}. */
	public OrfToken withAru(long newAru) {
		return new OrfToken(this.nodeid, this.targetNodeid, this.seq, this.tokenSeq, newAru, this.aruAddr, this.ringId,
				this.backlog, this.fcc, this.retransFlg, this.rtrList);
	}

	@Override
	public MessageType type() {
		return MessageType.ORF_TOKEN;
	}

	@Override
	public int encodedLength() {
		return BASE_SIZE + RtrItem.SIZE * this.rtrList.size();
	}

	@Override
	public void encode(ByteBuf out) {
		Wire.writeHeader(out, MessageType.ORF_TOKEN, 0, this.nodeid, this.targetNodeid);
		out.writeIntLE((int) this.seq);
		out.writeIntLE((int) this.tokenSeq);
		out.writeIntLE((int) this.aru);
		out.writeIntLE((int) this.aruAddr);
		this.ringId.encode(out);
		out.writeIntLE((int) this.backlog);
		out.writeIntLE((int) this.fcc);
		out.writeIntLE(this.retransFlg);
		out.writeIntLE(this.rtrList.size());
		for (RtrItem item : this.rtrList) {
			item.ringId().encode(out);
			out.writeIntLE((int) item.seq());
		}
	}

	static DecodeResult decode(WireReader in) {
		if (in.length() < BASE_SIZE) {
			return Rejection.TRUNCATED;
		}
		int entries = in.i32(53);
		if (entries < 0 || entries > Wire.RETRANSMIT_ENTRIES_MAX) {
			return Rejection.TOO_MANY_ENTRIES;
		}
		if (in.length() != BASE_SIZE + RtrItem.SIZE * entries) {
			return (in.length() < BASE_SIZE + RtrItem.SIZE * entries) ? Rejection.TRUNCATED : Rejection.OVERSIZED;
		}
		RtrItem[] rtr = new RtrItem[entries];
		for (int i = 0; i < entries; i++) {
			int offset = BASE_SIZE + RtrItem.SIZE * i;
			rtr[i] = new RtrItem(RingId.decode(in, offset), in.u32(offset + RingId.SIZE));
		}
		return new OrfToken(in.u32(5), in.u32(9), in.u32(13), in.u32(17), in.u32(21), in.u32(25), RingId.decode(in, 29),
				in.u32(41), in.u32(45), in.i32(49), List.of(rtr));
	}

}
