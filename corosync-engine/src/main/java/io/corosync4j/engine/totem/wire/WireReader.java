package io.corosync4j.engine.totem.wire;

import io.netty.buffer.ByteBuf;

/**
 * Reads fields at absolute offsets in the sender's byte order, which the Totem magic reveals:
 * Corosync writes its native order and receivers swap when the magic reads {@code 0x70C0}.
 */
final class WireReader {

	private final ByteBuf buffer;

	private final int base;

	private final int length;

	private final boolean bigEndian;

	WireReader(ByteBuf buffer, int base, int length, boolean bigEndian) {
		this.buffer = buffer;
		this.base = base;
		this.length = length;
		this.bigEndian = bigEndian;
	}

	int length() {
		return this.length;
	}

	boolean bigEndian() {
		return this.bigEndian;
	}

	int u8(int offset) {
		return this.buffer.getUnsignedByte(this.base + offset);
	}

	long u32(int offset) {
		return this.bigEndian ? this.buffer.getUnsignedInt(this.base + offset)
				: this.buffer.getUnsignedIntLE(this.base + offset);
	}

	int i32(int offset) {
		return this.bigEndian ? this.buffer.getInt(this.base + offset) : this.buffer.getIntLE(this.base + offset);
	}

	long u64(int offset) {
		return this.bigEndian ? this.buffer.getLong(this.base + offset) : this.buffer.getLongLE(this.base + offset);
	}

	byte[] bytes(int offset, int count) {
		byte[] bytes = new byte[count];
		this.buffer.getBytes(this.base + offset, bytes);
		return bytes;
	}

	/** A reader over {@code [offset, offset + count)} of this one, in the same byte order. */
	WireReader slice(int offset, int count) {
		return new WireReader(this.buffer, this.base + offset, count, this.bigEndian);
	}

}
