package io.corosync4j.engine.replica;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Names in the replicated services' operations (checkpoints, channels, queues): UTF-8, checked both
 * ways, with a two-byte length before them. Strict because every member must read the same name from the
 * same bytes: a lenient decoder would turn a malformed sequence into U+FFFD, and two different byte
 * strings into one name.
 */
public final class Utf8Names {

	private Utf8Names() {
	}

	/** The text's UTF-8 bytes, or {@code null} if it is not well-formed text (a lone surrogate). */
	public static byte @Nullable [] encode(String text) {
		try {
			ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(text));
			byte[] bytes = new byte[encoded.remaining()];
			encoded.get(bytes);
			return bytes;
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	/** The text these bytes encode, or {@code null} if they are not well-formed UTF-8. */
	public static @Nullable String decode(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	/** Whether {@code name} is well-formed text of 1 to {@code maxBytes} bytes of UTF-8. */
	public static boolean valid(String name, int maxBytes) {
		byte[] bytes = encode(name);
		return bytes != null && bytes.length >= 1 && bytes.length <= maxBytes;
	}

	/**
	 * Writes a name of {@code minBytes} to {@code maxBytes} bytes (0 allows the empty name).
	 * @throws IllegalArgumentException if it is not one, naming {@code what} it is
	 */
	public static void write(DataOutput out, String name, int minBytes, int maxBytes, String what) throws IOException {
		byte[] bytes = encode(name);
		if (bytes == null || bytes.length < minBytes || bytes.length > maxBytes) {
			throw new IllegalArgumentException("not a " + what + " of " + minBytes + " to " + maxBytes
					+ " bytes of UTF-8: '" + name + "'");
		}
		out.writeShort(bytes.length);
		out.write(bytes);
	}

	/** Reads a name of {@code minBytes} to {@code maxBytes} bytes, or {@code null} if there is none. */
	public static @Nullable String read(ByteBuffer in, int minBytes, int maxBytes) {
		if (in.remaining() < 2) {
			return null;
		}
		int length = Short.toUnsignedInt(in.getShort());
		if (length < minBytes || length > maxBytes || length > in.remaining()) {
			return null;
		}
		byte[] bytes = new byte[length];
		in.get(bytes);
		return decode(bytes);
	}

	/**
	 * Reads a name of {@code minBytes} to {@code maxBytes} bytes.
	 * @throws IOException if there is none
	 */
	public static String read(DataInput in, int minBytes, int maxBytes) throws IOException {
		int length = in.readUnsignedShort();
		if (length < minBytes || length > maxBytes) {
			throw new IOException("a name of " + length + " bytes, not " + minBytes + " to " + maxBytes);
		}
		byte[] bytes = new byte[length];
		in.readFully(bytes);
		String name = decode(bytes);
		if (name == null) {
			throw new IOException("a name that is not UTF-8");
		}
		return name;
	}

}
