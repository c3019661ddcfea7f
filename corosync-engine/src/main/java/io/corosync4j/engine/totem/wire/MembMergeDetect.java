package io.corosync4j.engine.totem.wire;

import io.netty.buffer.ByteBuf;

/**
 * Sent by an idle representative so that foreign rings notice each other ({@code struct
 * memb_merge_detect}, 29 bytes).
 *
 * @param nodeid the sender
 * @param targetNodeid unused (may hold anything on udp/udpu)
 * @param systemFrom the sender
 * @param ringId the sender's ring
 */
public record MembMergeDetect(long nodeid, long targetNodeid, long systemFrom, RingId ringId) implements TotemMessage {

	public static final int SIZE = 29;

	public MembMergeDetect {
		Wire.checkU32(nodeid, "nodeid");
		Wire.checkU32(targetNodeid, "targetNodeid");
		Wire.checkU32(systemFrom, "systemFrom");
	}

	@Override
	public MessageType type() {
		return MessageType.MEMB_MERGE_DETECT;
	}

	@Override
	public int encodedLength() {
		return SIZE;
	}

	@Override
	public void encode(ByteBuf out) {
		Wire.writeHeader(out, MessageType.MEMB_MERGE_DETECT, 0, this.nodeid, this.targetNodeid);
		out.writeIntLE((int) this.systemFrom);
		this.ringId.encode(out);
	}

	static DecodeResult decode(WireReader in) {
		if (in.length() != SIZE) {
			return (in.length() < SIZE) ? Rejection.TRUNCATED : Rejection.OVERSIZED;
		}
		return new MembMergeDetect(in.u32(5), in.u32(9), in.u32(13), RingId.decode(in, 17));
	}

}
