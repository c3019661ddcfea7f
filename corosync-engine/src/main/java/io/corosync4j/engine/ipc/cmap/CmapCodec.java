package io.corosync4j.engine.ipc.cmap;

import java.nio.charset.StandardCharsets;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * The structures of {@code ipc_cmap.h}, little-endian, at the offsets gcc gives them on x86-64 (printed
 * with {@code sizeof}/{@code offsetof} from Corosync 3.1.7's headers): every field is 8-aligned, and a
 * {@code mar_name_t} is 264 bytes, its {@code u16} length at 0 and 256 bytes of name at 8.
 */
final class CmapCodec {

	/** Request ids ({@code MESSAGE_REQ_CMAP_*}); each answer's id is the same number. */
	static final int SET = 0;

	static final int DELETE = 1;

	static final int GET = 2;

	static final int ADJUST_INT = 3;

	static final int ITER_INIT = 4;

	static final int ITER_NEXT = 5;

	static final int ITER_FINALIZE = 6;

	static final int TRACK_ADD = 7;

	static final int TRACK_DELETE = 8;

	static final int SET_CURRENT_MAP = 9;

	/** {@code MESSAGE_RES_CMAP_NOTIFY_CALLBACK}, the one event. */
	static final int NOTIFY_CALLBACK = 9;

	/** The answer to {@code SET_CURRENT_MAP} ({@code MESSAGE_RES_CMAP_SET_CURRENT_MAP}), off by one from its request. */
	static final int SET_CURRENT_MAP_ANSWER = 10;

	/** {@code CMAP_SETMAP_DEFAULT} and {@code CMAP_SETMAP_STATS}. */
	static final int MAP_DEFAULT = 0;

	static final int MAP_STATS = 1;

	/** {@code CMAP_TRACK_*}. */
	static final int TRACK_DELETE_FLAG = 1;

	static final int TRACK_MODIFY_FLAG = 2;

	static final int TRACK_ADD_FLAG = 4;

	static final int TRACK_PREFIX_FLAG = 8;

	/** {@code CS_MAX_NAME_LENGTH}: the bytes of a {@code mar_name_t}'s value. */
	static final int NAME_BYTES = 256;

	/** {@code sizeof(mar_name_t)}; its value starts 8 bytes in. */
	static final int NAME_SIZE = 264;

	private static final int NAME_VALUE = 8;

	/** Every request's name field ({@code key_name} or {@code prefix}) follows the 16-byte header. */
	static final int REQUEST_NAME = 16;

	/** {@code req_lib_cmap_set}: {@code value_len} (u64), {@code type} (u8), then the value. */
	static final int SET_VALUE_LENGTH = 280;

	static final int SET_TYPE = 288;

	static final int SET_SIZE = 296;

	static final int DELETE_SIZE = 280;

	/** {@code req_lib_cmap_get}: the {@code value_len} the client has room for. */
	static final int GET_VALUE_LENGTH = 280;

	static final int GET_SIZE = 288;

	/** {@code req_lib_cmap_adjust_int}: {@code step} (i32). */
	static final int ADJUST_STEP = 280;

	static final int ADJUST_SIZE = 288;

	static final int ITER_INIT_SIZE = 280;

	/** {@code iter_handle} or {@code track_handle} of the iter_next, iter_finalize and track_delete requests. */
	static final int REQUEST_HANDLE = 16;

	static final int HANDLE_REQUEST_SIZE = 24;

	/** {@code req_lib_cmap_track_add}: {@code track_type} (i32), {@code track_inst_handle} (u64). */
	static final int TRACK_TYPE = 280;

	static final int TRACK_INSTANCE = 288;

	static final int TRACK_ADD_SIZE = 296;

	/** {@code req_lib_cmap_set_current_map}: {@code map} (i32). */
	static final int MAP = 16;

	static final int SET_CURRENT_MAP_SIZE = 24;

	/** {@code res_lib_cmap_get}: {@code value_len} (u64), {@code type} (u8), then the value. */
	private static final int GET_ANSWER_VALUE_LENGTH = 24;

	private static final int GET_ANSWER_TYPE = 32;

	static final int GET_ANSWER_SIZE = 40;

	/** {@code res_lib_cmap_iter_init}, {@code res_lib_cmap_track_add}, {@code res_lib_cmap_track_delete}: a u64 handle. */
	private static final int ANSWER_HANDLE = 24;

	static final int HANDLE_ANSWER_SIZE = 32;

	/** {@code res_lib_cmap_iter_next}: {@code key_name}, {@code value_len} (u64), {@code type} (u8). */
	private static final int NEXT_NAME = 24;

	private static final int NEXT_VALUE_LENGTH = 288;

	private static final int NEXT_TYPE = 296;

	static final int NEXT_ANSWER_SIZE = 304;

	/** {@code res_lib_cmap_notify_callback}: then the new value and right after it the old one. */
	private static final int NOTIFY_INSTANCE = 24;

	private static final int NOTIFY_NAME = 32;

	private static final int NOTIFY_EVENT = 296;

	private static final int NOTIFY_NEW_TYPE = 304;

	private static final int NOTIFY_OLD_TYPE = 312;

	private static final int NOTIFY_NEW_LENGTH = 320;

	private static final int NOTIFY_OLD_LENGTH = 328;

	static final int NOTIFY_SIZE = 336;

	private CmapCodec() {
	}

	// ---------------------------------------------------------------------------------------------
	// Reading requests

	/**
	 * The name in a request's {@code mar_name_t} as the daemon reads it: a C string, up to its first zero
	 * (the length field only says whether a name is there at all). Bytes map one to one to characters, so
	 * anything but CMAP's ASCII name characters fails the map's name check.
	 */
	static String name(ByteBuf request, int offset) {
		int start = request.readerIndex() + offset + NAME_VALUE;
		int end = request.indexOf(start, start + NAME_BYTES, (byte) 0);
		int length = (end < 0) ? NAME_BYTES : end - start;
		return request.toString(start, length, StandardCharsets.ISO_8859_1);
	}

	/** Whether the name field's length is above zero, which the daemon takes for "a name is given". */
	static boolean hasName(ByteBuf request, int offset) {
		return request.getUnsignedShortLE(request.readerIndex() + offset) > 0;
	}

	static long u64(ByteBuf request, int offset) {
		return request.getLongLE(request.readerIndex() + offset);
	}

	static int i32(ByteBuf request, int offset) {
		return request.getIntLE(request.readerIndex() + offset);
	}

	static int u8(ByteBuf request, int offset) {
		return request.getUnsignedByte(request.readerIndex() + offset);
	}

	// ---------------------------------------------------------------------------------------------
	// Values

	/** {@code cmap_value_types_t} of a type: INT8 is 1 ... BINARY is 12. */
	static int typeCode(ValueType type) {
		return switch (type) {
			case INT8 -> 1;
			case UINT8 -> 2;
			case INT16 -> 3;
			case UINT16 -> 4;
			case INT32 -> 5;
			case UINT32 -> 6;
			case INT64 -> 7;
			case UINT64 -> 8;
			case FLOAT -> 9;
			case DOUBLE -> 10;
			case STRING -> 11;
			case BINARY -> 12;
		};
	}

	/** The type of a {@code cmap_value_types_t}, or null for a number that is none. */
	static @Nullable ValueType type(int code) {
		ValueType[] types = ValueType.values();
		for (ValueType type : types) {
			if (typeCode(type) == code) {
				return type;
			}
		}
		return null;
	}

	/** {@code icmap_get_valuetype_len}: the fixed size of a number type, 0 for strings and binaries. */
	static int fixedLength(ValueType type) {
		return switch (type) {
			case INT8, UINT8 -> 1;
			case INT16, UINT16 -> 2;
			case INT32, UINT32, FLOAT -> 4;
			case INT64, UINT64, DOUBLE -> 8;
			case STRING, BINARY -> 0;
		};
	}

	/**
	 * A value's bytes as icmap holds them: numbers in their C size, a string with its terminating zero
	 * (so its length is one more than its bytes), a binary as it is.
	 */
	static byte[] valueBytes(ConfigEntry entry) {
		Object value = entry.value();
		return switch (entry.type()) {
			case INT8, UINT8 -> new byte[] { (byte) entry.longValue() };
			case INT16, UINT16 -> littleEndian(entry.longValue(), 2);
			case INT32, UINT32 -> littleEndian(entry.longValue(), 4);
			case INT64, UINT64 -> littleEndian(entry.longValue(), 8);
			case FLOAT -> littleEndian(Float.floatToRawIntBits(((Number) value).floatValue()), 4);
			case DOUBLE -> littleEndian(Double.doubleToRawLongBits(((Number) value).doubleValue()), 8);
			case STRING -> {
				byte[] text = ((String) value).getBytes(StandardCharsets.UTF_8);
				byte[] terminated = new byte[text.length + 1];
				System.arraycopy(text, 0, terminated, 0, text.length);
				yield terminated;
			}
			case BINARY -> ((byte[]) value).clone();
		};
	}

	/**
	 * The value of {@code length} bytes at {@code offset} as the map's Java value: a {@code Long} for
	 * integers (sign-extended or not as the type is), {@code Float}, {@code Double}, a {@code String} (the
	 * bytes before the first zero, UTF-8) or a {@code byte[]}. The length must already be checked against
	 * the type ({@link #lengthFits}).
	 */
	static Object value(ValueType type, ByteBuf bytes, int offset, int length) {
		return switch (type) {
			case INT8 -> (long) bytes.getByte(offset);
			case UINT8 -> (long) bytes.getUnsignedByte(offset);
			case INT16 -> (long) bytes.getShortLE(offset);
			case UINT16 -> (long) bytes.getUnsignedShortLE(offset);
			case INT32 -> (long) bytes.getIntLE(offset);
			case UINT32 -> bytes.getUnsignedIntLE(offset);
			case INT64, UINT64 -> bytes.getLongLE(offset);
			case FLOAT -> Float.intBitsToFloat(bytes.getIntLE(offset));
			case DOUBLE -> Double.longBitsToDouble(bytes.getLongLE(offset));
			case STRING -> {
				int zero = bytes.indexOf(offset, offset + length, (byte) 0);
				yield bytes.toString(offset, (zero < 0) ? length : zero - offset, StandardCharsets.UTF_8);
			}
			case BINARY -> {
				byte[] copy = new byte[length];
				bytes.getBytes(offset, copy);
				yield copy;
			}
		};
	}

	/**
	 * {@code icmap_check_value_len}: a number must be exactly its size; a string may stop short of its
	 * zero but not run past it, so a zero inside its length other than the last byte is refused.
	 */
	static boolean lengthFits(ValueType type, ByteBuf bytes, int offset, int length) {
		return switch (type) {
			case STRING -> {
				int zero = bytes.indexOf(offset, offset + length, (byte) 0);
				yield zero < 0 || length <= zero - offset + 1;
			}
			case BINARY -> true;
			default -> length == fixedLength(type);
		};
	}

	private static byte[] littleEndian(long value, int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) (value >>> (8 * i));
		}
		return bytes;
	}

	// ---------------------------------------------------------------------------------------------
	// Writing answers and events

	/**
	 * {@code res_lib_cmap_get}: {@code 40 + room} bytes, where {@code room} is what the client asked
	 * for; the value is copied only when the client gave room ({@code value} non-null).
	 */
	static ByteBuf get(ByteBufAllocator alloc, long room, ValueType type, int valueLength, byte @Nullable [] value) {
		ByteBuf answer = IpcMessages.response(alloc, GET, GET_ANSWER_SIZE + (int) room, CsError.OK);
		answer.setLongLE(GET_ANSWER_VALUE_LENGTH, valueLength);
		answer.setByte(GET_ANSWER_TYPE, typeCode(type));
		if (value != null) {
			answer.setBytes(GET_ANSWER_SIZE, value);
		}
		return IpcMessages.finish(answer);
	}

	/** A get refused: the 40-byte structure, zero but for the header. */
	static ByteBuf getRefused(ByteBufAllocator alloc, CsError error) {
		return IpcMessages.finish(IpcMessages.response(alloc, GET, GET_ANSWER_SIZE, error));
	}

	/** An answer carrying one u64 handle: iter_init, track_add, track_delete. */
	static ByteBuf handle(ByteBufAllocator alloc, int id, CsError error, long handle) {
		ByteBuf answer = IpcMessages.response(alloc, id, HANDLE_ANSWER_SIZE, error);
		answer.setLongLE(ANSWER_HANDLE, handle);
		return IpcMessages.finish(answer);
	}

	/** {@code res_lib_cmap_iter_next} with a key; without one ({@code key} null) only the header is set. */
	static ByteBuf iterNext(ByteBufAllocator alloc, CsError error, @Nullable String key, long valueLength,
			@Nullable ValueType type) {
		ByteBuf answer = IpcMessages.response(alloc, ITER_NEXT, NEXT_ANSWER_SIZE, error);
		if (key != null && type != null) {
			writeName(answer, NEXT_NAME, key);
			answer.setLongLE(NEXT_VALUE_LENGTH, valueLength);
			answer.setByte(NEXT_TYPE, typeCode(type));
		}
		return IpcMessages.finish(answer);
	}

	/**
	 * {@code res_lib_cmap_notify_callback}: the structure, then the new value's bytes and right after them
	 * the old value's. A missing value (the new one of a delete, the old one of an add) is type 0, length 0.
	 */
	static ByteBuf notify(ByteBufAllocator alloc, long instance, String key, int event, @Nullable ValueType newType,
			byte[] newValue, @Nullable ValueType oldType, byte[] oldValue) {
		ByteBuf message = IpcMessages.response(alloc, NOTIFY_CALLBACK, NOTIFY_SIZE + newValue.length + oldValue.length,
				CsError.OK);
		message.setLongLE(NOTIFY_INSTANCE, instance);
		writeName(message, NOTIFY_NAME, key);
		message.setIntLE(NOTIFY_EVENT, event);
		message.setByte(NOTIFY_NEW_TYPE, (newType == null) ? 0 : typeCode(newType));
		message.setByte(NOTIFY_OLD_TYPE, (oldType == null) ? 0 : typeCode(oldType));
		message.setLongLE(NOTIFY_NEW_LENGTH, newValue.length);
		message.setLongLE(NOTIFY_OLD_LENGTH, oldValue.length);
		message.setBytes(NOTIFY_SIZE, newValue);
		message.setBytes(NOTIFY_SIZE + newValue.length, oldValue);
		return IpcMessages.finish(message);
	}

	private static void writeName(ByteBuf buffer, int offset, String name) {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		buffer.setShortLE(offset, bytes.length);
		buffer.setBytes(offset + NAME_VALUE, bytes, 0, Math.min(bytes.length, NAME_BYTES));
	}

}
