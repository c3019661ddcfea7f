package io.corosync4j.engine.totem.pg;

import org.jspecify.annotations.Nullable;

/**
 * The totempg header at the start of every Totem MCAST payload ({@code struct totempg_mcast} and the
 * length table after it): 8 bytes (version and type, both 0; the fragment tags; the message count),
 * one u16 length per packed chunk, then the chunks back to back. Written little-endian; read in the
 * originator's byte order.
 *
 * @param fragmented 0 when the last chunk completes its message, else the tag under which the message
 * continues in the originator's next frame
 * @param continuation 0 when the first chunk starts a message, else the tag of the chain it continues
 * @param lengths the chunk lengths
 * @param data the buffer holding the chunks
 * @param dataOffset where the first chunk starts in {@code data}
 */
record PgFrame(int fragmented, int continuation, int[] lengths, byte[] data, int dataOffset) {

	/** {@code sizeof (struct totempg_mcast)}. */
	static final int HEADER_SIZE = 8;

	int count() {
		return this.lengths.length;
	}

	int dataLength() {
		int total = 0;
		for (int length : this.lengths) {
			total += length;
		}
		return total;
	}

	/** The frame as the MCAST payload Corosync would send. */
	byte[] encode() {
		int dataLength = dataLength();
		byte[] out = new byte[HEADER_SIZE + 2 * this.lengths.length + dataLength];
		out[4] = (byte) this.fragmented;
		out[5] = (byte) this.continuation;
		putU16(out, 6, this.lengths.length);
		int at = HEADER_SIZE;
		for (int length : this.lengths) {
			putU16(out, at, length);
			at += 2;
		}
		System.arraycopy(this.data, this.dataOffset, out, at, dataLength);
		return out;
	}

	/**
	 * Reads a frame without copying its data; {@code null} when the payload is shorter than its header
	 * and length table say, or longer (Corosync: "doesn't have expected length").
	 */
	static @Nullable PgFrame decode(byte[] payload, boolean bigEndian) {
		if (payload.length < HEADER_SIZE) {
			return null;
		}
		int count = u16(payload, 6, bigEndian);
		int at = HEADER_SIZE + 2 * count;
		if (payload.length < at) {
			return null;
		}
		int[] lengths = new int[count];
		long expected = at;
		for (int i = 0; i < count; i++) {
			lengths[i] = u16(payload, HEADER_SIZE + 2 * i, bigEndian);
			expected += lengths[i];
		}
		if (expected != payload.length) {
			return null;
		}
		return new PgFrame(payload[4] & 0xFF, payload[5] & 0xFF, lengths, payload, at);
	}

	static int u16(byte[] bytes, int offset, boolean bigEndian) {
		int first = bytes[offset] & 0xFF;
		int second = bytes[offset + 1] & 0xFF;
		return bigEndian ? (first << 8) | second : (second << 8) | first;
	}

	static void putU16(byte[] bytes, int offset, int value) {
		bytes[offset] = (byte) value;
		bytes[offset + 1] = (byte) (value >>> 8);
	}

}
