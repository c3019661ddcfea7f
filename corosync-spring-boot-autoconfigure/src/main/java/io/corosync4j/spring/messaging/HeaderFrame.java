package io.corosync4j.spring.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The frame a message with headers travels in (a CPG message, an event's data, a queued message): a
 * mark, the headers as text, then the payload. Messages without headers travel bare, as C programs
 * send and expect them. A payload that does not parse as a frame in every detail is read as bare.
 *
 * <pre>
 * 00 63 34 6a 68 64 72 01   mark "\0c4jhdr\1"
 * u16 count                 headers, big-endian lengths
 * { u16 name length, name (UTF-8), u32 value length, value (UTF-8) } × count
 * payload                   the rest
 * </pre>
 */
public final class HeaderFrame {

	static final byte[] MARK = { 0x00, 'c', '4', 'j', 'h', 'd', 'r', 0x01 };

	static final int MAX_HEADERS = 64;

	/** A payload and the headers it came with. */
	public record Decoded(Map<String, String> headers, byte[] payload) {
	}

	private HeaderFrame() {
	}

	public static byte[] encode(Map<String, String> headers, byte[] payload) {
		if (headers.size() > MAX_HEADERS) {
			throw new IllegalArgumentException("at most " + MAX_HEADERS + " headers travel with a message, not " + headers.size());
		}
		int size = MARK.length + 2 + payload.length;
		Map<byte[], byte[]> encoded = new LinkedHashMap<>();
		for (Map.Entry<String, String> header : headers.entrySet()) {
			byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
			byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
			if (name.length == 0 || name.length > 0xffff) {
				throw new IllegalArgumentException("a header name is 1 to 65535 bytes: '" + header.getKey() + "'");
			}
			encoded.put(name, value);
			size += 2 + name.length + 4 + value.length;
		}
		ByteBuffer out = ByteBuffer.allocate(size).put(MARK).putShort((short) encoded.size());
		encoded.forEach((name, value) -> out.putShort((short) name.length).put(name).putInt(value.length).put(value));
		return out.put(payload).array();
	}

	/** The frame's headers and payload, or {@code null} when {@code message} is bare. */
	public static @Nullable Decoded decode(byte[] message) {
		if (message.length < MARK.length + 2 || !Arrays.equals(message, 0, MARK.length, MARK, 0, MARK.length)) {
			return null;
		}
		ByteBuffer in = ByteBuffer.wrap(message, MARK.length, message.length - MARK.length);
		int count = Short.toUnsignedInt(in.getShort());
		if (count > MAX_HEADERS) {
			return null;
		}
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			if (in.remaining() < 2) {
				return null;
			}
			int nameLength = Short.toUnsignedInt(in.getShort());
			if (nameLength == 0 || in.remaining() < nameLength + 4) {
				return null;
			}
			String name = text(in, nameLength);
			int valueLength = in.getInt();
			if (valueLength < 0 || in.remaining() < valueLength) {
				return null;
			}
			headers.put(name, text(in, valueLength));
		}
		byte[] payload = new byte[in.remaining()];
		in.get(payload);
		return new Decoded(headers, payload);
	}

	private static String text(ByteBuffer in, int length) {
		String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
		in.position(in.position() + length);
		return text;
	}

}
