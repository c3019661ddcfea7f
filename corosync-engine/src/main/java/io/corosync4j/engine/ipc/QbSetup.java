package io.corosync4j.engine.ipc;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * libqb's connection set-up on the service's stream socket: the client's
 * {@code qb_ipc_connection_request} and the server's {@code qb_ipc_connection_response}, as a
 * symmetric pair. Sizes and offsets are those of libqb 2.0 on 64-bit Linux, where every header field
 * is aligned to 8 and the three names are {@code PATH_MAX} (4096) bytes each.
 */
final class QbSetup {

	/** {@code QB_IPC_MSG_AUTHENTICATE}: the id of both set-up messages. */
	static final int AUTHENTICATE = -1;

	/** {@code QB_IPC_MSG_DISCONNECT}: a request asking the server to close the connection. */
	static final int DISCONNECT = -3;

	/** {@code QB_IPC_SOCKET}: the transport the server chooses, datagram sockets and a control file. */
	static final int SOCKET_TRANSPORT = 0;

	/** {@code QB_IPC_SHM}: three shared-memory ring buffers, with the set-up socket to wake either side. */
	static final int SHM_TRANSPORT = 1;

	/** {@code sizeof(struct qb_ipc_connection_request)}: header 16, {@code max_msg_size} at 16, padded to 8. */
	static final int REQUEST_SIZE = 24;

	private static final int NAME_SIZE = 4096;

	private static final int CONNECTION_TYPE_AT = 24;

	private static final int MAX_MSG_SIZE_AT = 28;

	private static final int CONNECTION_AT = 32;

	private static final int REQUEST_NAME_AT = 40;

	private static final int RESPONSE_NAME_AT = REQUEST_NAME_AT + NAME_SIZE;

	private static final int EVENT_NAME_AT = RESPONSE_NAME_AT + NAME_SIZE;

	/** {@code sizeof(struct qb_ipc_connection_response)}. */
	static final int RESPONSE_SIZE = EVENT_NAME_AT + NAME_SIZE;

	private QbSetup() {
	}

	/** The client's request: which id it says it is, and the largest message it asks for. */
	record Request(int id, int size, long maxMessageSize) {

		static Request read(ByteBuf in) {
			int at = in.readerIndex();
			return new Request(in.getIntLE(at), in.getIntLE(at + 8), in.getUnsignedIntLE(at + 16));
		}

		void write(ByteBuf out) {
			int at = out.writerIndex();
			out.writeZero(REQUEST_SIZE);
			out.setIntLE(at, this.id);
			out.setIntLE(at + 8, this.size);
			out.setIntLE(at + 16, (int) this.maxMessageSize);
		}

	}

	/**
	 * The server's answer. {@code error} is 0 or a negated errno ({@code -EACCES} refuses the client).
	 * On success the three names are those of the transport: for sockets, the control file's path, the
	 * prefix of the four datagram socket names ({@code -request}, {@code -response}, {@code -event},
	 * {@code -event-tx}) and nothing; for shared memory, the request, response and event rings.
	 */
	record Response(int error, int connectionType, int maxMessageSize, long connection, String requestName,
			String responseName, String eventName) {

		static Response refusal(int errno) {
			return new Response(-errno, 0, 0, 0, "", "", "");
		}

		void write(ByteBuf out) {
			int at = out.writerIndex();
			out.writeZero(RESPONSE_SIZE);
			out.setIntLE(at, AUTHENTICATE);
			out.setIntLE(at + 8, RESPONSE_SIZE);
			out.setIntLE(at + 16, this.error);
			out.setIntLE(at + CONNECTION_TYPE_AT, this.connectionType);
			out.setIntLE(at + MAX_MSG_SIZE_AT, this.maxMessageSize);
			out.setLongLE(at + CONNECTION_AT, this.connection);
			writeName(out, at + REQUEST_NAME_AT, this.requestName);
			writeName(out, at + RESPONSE_NAME_AT, this.responseName);
			writeName(out, at + EVENT_NAME_AT, this.eventName);
		}

		static Response read(ByteBuf in) {
			int at = in.readerIndex();
			return new Response(in.getIntLE(at + 16), in.getIntLE(at + CONNECTION_TYPE_AT),
					in.getIntLE(at + MAX_MSG_SIZE_AT), in.getLongLE(at + CONNECTION_AT), readName(in, at + REQUEST_NAME_AT),
					readName(in, at + RESPONSE_NAME_AT), readName(in, at + EVENT_NAME_AT));
		}

	}

	private static void writeName(ByteBuf out, int at, String name) {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		if (bytes.length >= NAME_SIZE) {
			throw new IllegalArgumentException("name longer than " + (NAME_SIZE - 1) + " bytes: " + name);
		}
		out.setBytes(at, bytes);
	}

	private static String readName(ByteBuf in, int at) {
		int end = at;
		while (end < at + NAME_SIZE && in.getByte(end) != 0) {
			end++;
		}
		return in.toString(at, end - at, StandardCharsets.UTF_8);
	}

}
