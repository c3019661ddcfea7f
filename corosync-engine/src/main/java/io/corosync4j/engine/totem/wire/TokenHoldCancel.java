package io.corosync4j.engine.totem.wire;

import io.netty.buffer.ByteBuf;

/**
 * Asks the representative to stop holding the token because the sender has messages to send
 * ({@code struct token_hold_cancel}, 25 bytes).
 *
 * @param nodeid the sender
 * @param targetNodeid unused (may hold anything on udp/udpu)
 * @param ringId the ring
 */
public record TokenHoldCancel(long nodeid, long targetNodeid, RingId ringId) implements TotemMessage {

	public static final int SIZE = 25;

	public TokenHoldCancel {
		Wire.checkU32(nodeid, "nodeid");
		Wire.checkU32(targetNodeid, "targetNodeid");
	}

	@Override
	public MessageType type() {
		return MessageType.TOKEN_HOLD_CANCEL;
	}

	@Override
	public int encodedLength() {
		return SIZE;
	}

	@Override
	public void encode(ByteBuf out) {
		Wire.writeHeader(out, MessageType.TOKEN_HOLD_CANCEL, 0, this.nodeid, this.targetNodeid);
		this.ringId.encode(out);
	}

	static DecodeResult decode(WireReader in) {
		if (in.length() != SIZE) {
			return (in.length() < SIZE) ? Rejection.TRUNCATED : Rejection.OVERSIZED;
		}
		return new TokenHoldCancel(in.u32(5), in.u32(9), RingId.decode(in, 13));
	}

}
