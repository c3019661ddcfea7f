package io.corosync4j.engine.ipc.cmap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * Requests as {@code libcmap} 3.1.7 builds them (zeroed structures, the name's length and bytes, the
 * value after the structure), and readers for the answers' fields, at the offsets of
 * {@code ipc_cmap.h} as gcc lays them out on x86-64.
 */
final class CmapRequests {

	private CmapRequests() {
	}

	static ByteBuf set(String key, int type, byte[] value) {
		ByteBuffer out = request(0, 296 + value.length);
		name(out, 16, key);
		out.putLong(280, value.length);
		out.put(288, (byte) type);
		out.put(296, value);
		return wrap(out);
	}

	static ByteBuf delete(String key) {
		ByteBuffer out = request(1, 280);
		name(out, 16, key);
		return wrap(out);
	}

	static ByteBuf get(String key, long room) {
		ByteBuffer out = request(2, 288);
		name(out, 16, key);
		out.putLong(280, room);
		return wrap(out);
	}

	static ByteBuf adjust(String key, int step) {
		ByteBuffer out = request(3, 288);
		name(out, 16, key);
		out.putInt(280, step);
		return wrap(out);
	}

	/** {@code prefix} null as {@code cmap_iter_init(handle, NULL, ...)}: length 0. */
	static ByteBuf iterInit(@Nullable String prefix) {
		ByteBuffer out = request(4, 280);
		if (prefix != null) {
			name(out, 16, prefix);
		}
		return wrap(out);
	}

	static ByteBuf iterNext(long handle) {
		return handleRequest(5, handle);
	}

	static ByteBuf iterFinalize(long handle) {
		return handleRequest(6, handle);
	}

	static ByteBuf trackAdd(@Nullable String key, int flags, long instance) {
		ByteBuffer out = request(7, 296);
		if (key != null) {
			name(out, 16, key);
		}
		out.putInt(280, flags);
		out.putLong(288, instance);
		return wrap(out);
	}

	static ByteBuf trackDelete(long handle) {
		return handleRequest(8, handle);
	}

	static ByteBuf setCurrentMap(int map) {
		ByteBuffer out = request(9, 24);
		out.putInt(16, map);
		return wrap(out);
	}

	private static ByteBuf handleRequest(int id, long handle) {
		ByteBuffer out = request(id, 24);
		out.putLong(16, handle);
		return wrap(out);
	}

	private static ByteBuffer request(int id, int size) {
		ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
		out.putInt(0, id);
		out.putInt(8, size);
		return out;
	}

	private static void name(ByteBuffer out, int offset, String name) {
		byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
		out.putShort(offset, (short) bytes.length);
		out.put(offset + 8, bytes);
	}

	private static ByteBuf wrap(ByteBuffer out) {
		return Unpooled.wrappedBuffer(out.array());
	}

	// ---------------------------------------------------------------------------------------------
	// Answers

	static ByteBuffer read(byte[] answer) {
		return ByteBuffer.wrap(answer).order(ByteOrder.LITTLE_ENDIAN);
	}

	static int id(byte[] answer) {
		return read(answer).getInt(0);
	}

	static int size(byte[] answer) {
		return read(answer).getInt(8);
	}

	static int error(byte[] answer) {
		return read(answer).getInt(16);
	}

	/** The u64 handle of iter_init, track_add and track_delete answers. */
	static long handle(byte[] answer) {
		return read(answer).getLong(24);
	}

	static String name(byte[] message, int offset) {
		int length = read(message).getShort(offset) & 0xFFFF;
		return new String(message, offset + 8, length, StandardCharsets.US_ASCII);
	}

}
