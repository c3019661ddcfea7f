package io.corosync4j.engine.service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 16-byte {@code qb_ipc_request_header} in front of every service message: {@code i32 id} at 0 and
 * {@code i32 size} at 8, the rest padding.
 */
public final class ServiceHeader {

	public static final int SIZE = 16;

	private ServiceHeader() {
	}

	/** A little-endian buffer of {@code size} bytes with the header written. */
	public static ByteBuffer allocate(int service, int function, int size) {
		ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
		out.putInt(0, (service << 16) | function);
		out.putInt(8, size);
		return out;
	}

	/** A view of a received message in its sender's byte order. */
	public static ByteBuffer read(byte[] message, boolean bigEndian) {
		return read(message, 0, message.length, bigEndian);
	}

	/** A view of a received message that is {@code length} bytes of {@code buffer} from {@code offset}. */
	public static ByteBuffer read(byte[] buffer, int offset, int length, boolean bigEndian) {
		return ByteBuffer.wrap(buffer, offset, length)
			.slice()
			.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
	}

}
