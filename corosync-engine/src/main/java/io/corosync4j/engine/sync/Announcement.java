package io.corosync4j.engine.sync;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;

/**
 * A corosync4j node's word, at the start of each synchronization round, that it runs corosync4j's
 * agreed rules: {@code "C4J"}, a version byte, then the ring it is for (u32 representative, u64
 * sequence), little-endian.
 */
record Announcement(RingId ringId) {

	static final int SIZE = 16;

	private static final int MAGIC = 'C' | 'J' << 8 | '4' << 16;

	private static final int VERSION = 1;

	byte[] encode() {
		ByteBuffer out = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
		out.putInt(0, MAGIC | VERSION << 24);
		out.putInt(4, (int) this.ringId.rep());
		out.putLong(8, this.ringId.seq());
		return out.array();
	}

	/** {@code null} for anything else, including a later version this node does not know. */
	static @Nullable Announcement decode(byte[] bytes, int offset, int length) {
		if (length != SIZE) {
			return null;
		}
		ByteBuffer in = ByteBuffer.wrap(bytes, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
		if (in.getInt(0) != (MAGIC | VERSION << 24)) {
			return null;
		}
		return new Announcement(new RingId(Integer.toUnsignedLong(in.getInt(4)), in.getLong(8)));
	}

}
