package io.corosync4j.engine.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * libqb's message headers. Every field of {@code qb_ipc_request_header} and
 * {@code qb_ipc_response_header} is aligned to 8 bytes, so a request header is 16 bytes ({@code id} at
 * 0, {@code size} at 8) and a response header 24 ({@code id}, {@code size}, {@code error} at 0, 8, 16);
 * the padding is zero. {@code size} counts the whole message, header included.
 */
public final class IpcMessages {

	public static final int REQUEST_HEADER_SIZE = 16;

	public static final int RESPONSE_HEADER_SIZE = 24;

	private IpcMessages() {
	}

	/** A request's id, from its header. */
	public static int requestId(ByteBuf message) {
		return message.getIntLE(message.readerIndex());
	}

	/** A request's size as its header states it. */
	public static int requestSize(ByteBuf message) {
		return message.getIntLE(message.readerIndex() + 8);
	}

	/**
	 * A response or event of {@code size} bytes in all (at least the header), its header written and the
	 * rest zero; the writer index is just past the header, so the body is written after it.
	 */
	public static ByteBuf response(ByteBufAllocator alloc, int id, int size, CsError error) {
		if (size < RESPONSE_HEADER_SIZE) {
			throw new IllegalArgumentException("a response is at least its header: " + size);
		}
		ByteBuf buffer = alloc.buffer(size);
		buffer.writeZero(size);
		buffer.setIntLE(0, id);
		buffer.setIntLE(8, size);
		buffer.setIntLE(16, error.code());
		buffer.writerIndex(RESPONSE_HEADER_SIZE);
		return buffer;
	}

	/** A response of only the header, such as a refusal. */
	public static ByteBuf header(ByteBufAllocator alloc, int id, CsError error) {
		return finish(response(alloc, id, RESPONSE_HEADER_SIZE, error));
	}

	/**
	 * Checks a finished response: its writer index must be where its header's size says, so a body
	 * written short or long is caught here instead of by a C client reading garbage.
	 */
	public static ByteBuf finish(ByteBuf response) {
		int size = response.getIntLE(8);
		if (response.writerIndex() > size) {
			throw new IllegalStateException("response body " + response.writerIndex() + " past its size " + size);
		}
		response.writerIndex(size);
		return response;
	}

}
