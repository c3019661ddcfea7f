package io.corosync4j.engine.chaos;

import java.util.SplittableRandom;

/**
 * The chaos clients' messages, the same in Java and in {@code chaosclient.c}: sender node id and pid
 * (u32 each), the sender's message number (u64), all big-endian, then byte {@code i} =
 * {@code seq * 131 + i * 7 + nodeid}, so a receiver can tell a message whose bytes were mixed up.
 */
final class ChaosPayload {

	static final int HEADER = 16;

	private ChaosPayload() {
	}

	static byte[] make(long nodeid, long pid, long seq, int size) {
		byte[] bytes = new byte[Math.max(HEADER, size)];
		put(bytes, 0, nodeid, 4);
		put(bytes, 4, pid, 4);
		put(bytes, 8, seq, 8);
		for (int i = HEADER; i < bytes.length; i++) {
			bytes[i] = (byte) (seq * 131 + i * 7L + nodeid);
		}
		return bytes;
	}

	/** The message's number, or -1 when its bytes are not what {@code nodeid}/{@code pid} sent. */
	static long check(long nodeid, long pid, byte[] bytes) {
		if (bytes.length < HEADER || get(bytes, 0, 4) != nodeid || get(bytes, 4, 4) != pid) {
			return -1;
		}
		long seq = get(bytes, 8, 8);
		for (int i = HEADER; i < bytes.length; i++) {
			if (bytes[i] != (byte) (seq * 131 + i * 7L + nodeid)) {
				return -1;
			}
		}
		return seq;
	}

	/** The number in a message's header, whatever its other bytes. */
	static long seq(byte[] bytes) {
		return (bytes.length < HEADER) ? -1 : get(bytes, 8, 8);
	}

	/**
	 * A message size up to {@code max}: 70 % of 16-256 bytes (packed several to a frame), 20 % of 257-4096
	 * (a few frames), 10 % of 4097-max (fragmented over many frames).
	 */
	static int size(SplittableRandom random, int max) {
		int r = random.nextInt(100);
		int low;
		int high;
		if (r < 70) {
			low = 16;
			high = 256;
		}
		else if (r < 90) {
			low = 257;
			high = 4096;
		}
		else {
			low = 4097;
			high = max;
		}
		high = Math.min(high, max);
		low = Math.min(low, high);
		return low + random.nextInt(high - low + 1);
	}

	private static void put(byte[] bytes, int offset, long value, int length) {
		for (int i = length - 1; i >= 0; i--) {
			bytes[offset + i] = (byte) value;
			value >>>= 8;
		}
	}

	private static long get(byte[] bytes, int offset, int length) {
		long value = 0;
		for (int i = 0; i < length; i++) {
			value = (value << 8) | (bytes[offset + i] & 0xFF);
		}
		return value;
	}

}
