package io.corosync4j.spring.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.MessageBuilder;

/** Payloads to bytes and back through the message converter, and the headers that travel with them. */
public final class Payloads {

	private Payloads() {
	}

	/**
	 * {@code payload} as bytes: {@code byte[]} as is, anything else through {@code converter}.
	 * @param where what the bytes are for, for the error
	 * @throws MessageConversionException when the converter cannot write it
	 */
	public static byte[] toBytes(MessageConverter converter, Object payload, String where) {
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		Message<?> message = converter.toMessage(payload, null);
		if (message == null || !(message.getPayload() instanceof byte[] bytes)) {
			throw new MessageConversionException("cannot convert a " + payload.getClass().getName() + " to bytes for "
					+ where);
		}
		return bytes;
	}

	/**
	 * {@code bytes} as a {@code type}: {@code byte[]} as is, anything else through {@code converter}.
	 * @throws MessageConversionException when the converter cannot read it
	 */
	@SuppressWarnings("unchecked")
	public static <T> T fromBytes(MessageConverter converter, byte[] bytes, Class<T> type) {
		if (type == byte[].class) {
			return (T) bytes;
		}
		Object converted = converter.fromMessage(MessageBuilder.withPayload(bytes).build(), type);
		if (converted == null) {
			throw new MessageConversionException("cannot convert " + bytes.length + " bytes to a " + type.getName());
		}
		return (T) converted;
	}

	/**
	 * The headers of {@code message} that travel with it, as text, leaving out Spring's own and
	 * {@code local} ones (those the receiving side sets).
	 * @throws IllegalArgumentException for a header value that is not text, a number, a boolean, a UUID or
	 * an enum
	 */
	public static Map<String, String> travellingHeaders(Message<?> message, Set<String> local, String where) {
		Map<String, String> headers = new LinkedHashMap<>();
		message.getHeaders().forEach((name, value) -> {
			if (!local.contains(name) && !name.equals(MessageHeaders.ID) && !name.equals(MessageHeaders.TIMESTAMP)
					&& !name.equals(MessageHeaders.CONTENT_TYPE) && value != null) {
				headers.put(name, text(name, value, where));
			}
		});
		return headers;
	}

	/** {@code payload} framed with {@code headers}, or bare when there are none. */
	public static byte[] frame(Map<String, String> headers, byte[] payload) {
		return headers.isEmpty() ? payload : HeaderFrame.encode(headers, payload);
	}

	/**
	 * A message of what arrived: the payload (unframed) and the headers it travelled with, which cannot
	 * replace Spring's own.
	 */
	public static MessageBuilder<byte[]> unframe(byte[] received) {
		HeaderFrame.@Nullable Decoded frame = HeaderFrame.decode(received);
		MessageBuilder<byte[]> message = MessageBuilder.withPayload((frame != null) ? frame.payload() : received);
		if (frame != null) {
			frame.headers().forEach((header, value) -> {
				if (!header.equals(MessageHeaders.ID) && !header.equals(MessageHeaders.TIMESTAMP)) {
					message.setHeader(header, value);
				}
			});
		}
		return message;
	}

	/** A header value as the text it travels as. */
	public static String text(String name, Object value, String where) {
		if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean
				|| value instanceof Character || value instanceof UUID || value instanceof Enum<?>) {
			return value.toString();
		}
		throw new IllegalArgumentException("header '" + name + "' is a " + value.getClass().getName()
				+ ": only text, numbers, booleans, UUIDs and enums travel with " + where);
	}

}
