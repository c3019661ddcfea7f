package io.corosync4j.engine.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The input format of stateful targets, which take several packets per input: a flags byte, then
 * records of a little-endian u16 length and that many bytes. A record cut short by the input's end
 * keeps what is there, so every byte string is a valid sequence and mutations stay meaningful.
 */
public final class Records {

	private Records() {
	}

	/** The records after the flags byte. */
	public static List<byte[]> split(byte[] input) {
		List<byte[]> records = new ArrayList<>();
		int at = 1;
		while (at + 2 <= input.length) {
			int length = (input[at] & 0xFF) | (input[at + 1] & 0xFF) << 8;
			at += 2;
			int end = Math.min(input.length, at + length);
			byte[] record = new byte[end - at];
			System.arraycopy(input, at, record, 0, record.length);
			records.add(record);
			at = end;
		}
		return records;
	}

	/** The flags byte, 0 for an empty input. */
	public static int flags(byte[] input) {
		return (input.length == 0) ? 0 : input[0] & 0xFF;
	}

	/** An input of {@code flags} and {@code records} (each at most 65535 bytes). */
	public static byte[] join(int flags, List<byte[]> records) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(flags);
		for (byte[] record : records) {
			out.write(record.length);
			out.write(record.length >>> 8);
			out.write(record, 0, record.length);
		}
		return out.toByteArray();
	}

}
