package io.corosync4j.engine.totem.wire;

import io.netty.buffer.ByteBuf;

/**
 * A ring's identity ({@code struct memb_ring_id}, 12 bytes packed): the representative's node id and
 * the ring sequence number. Printed as Corosync prints it: {@code <rep hex>.<seq hex>}, e.g. {@code 1.9}.
 *
 * @param rep the representative's node id (u32)
 * @param seq the ring sequence (u64)
 */
public record RingId(long rep, long seq) {

	public static final int SIZE = 12;

	public RingId {
		Wire.checkU32(rep, "rep");
	}

	void encode(ByteBuf out) {
		out.writeIntLE((int) this.rep);
		out.writeLongLE(this.seq);
	}

	static RingId decode(WireReader in, int offset) {
		return new RingId(in.u32(offset), in.u64(offset + 4));
	}

	@Override
	public String toString() {
		return Long.toHexString(this.rep) + "." + Long.toHexString(this.seq);
	}

}
