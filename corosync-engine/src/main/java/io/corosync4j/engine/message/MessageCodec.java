package io.corosync4j.engine.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import io.corosync4j.engine.message.MessageOperation.Ack;
import io.corosync4j.engine.message.MessageOperation.Close;
import io.corosync4j.engine.message.MessageOperation.CreateGroup;
import io.corosync4j.engine.message.MessageOperation.DeleteGroup;
import io.corosync4j.engine.message.MessageOperation.Open;
import io.corosync4j.engine.message.MessageOperation.Reply;
import io.corosync4j.engine.message.MessageOperation.Retire;
import io.corosync4j.engine.message.MessageOperation.Send;
import io.corosync4j.engine.message.MessageOperation.Synchronize;
import io.corosync4j.engine.replica.Utf8Names;
import org.jspecify.annotations.Nullable;

/**
 * The wire form of {@link MessageOperation}s: a tag byte, the request number, then the fields, big-endian.
 * Decoding is strict (names must be 1 to 256 bytes of well-formed UTF-8, priorities and policies in range,
 * nothing left over), so a malformed operation is refused the same way by every member.
 */
final class MessageCodec {

	private static final int CREATE_GROUP = 1;

	private static final int DELETE_GROUP = 2;

	private static final int OPEN = 3;

	private static final int CLOSE = 4;

	private static final int SEND = 5;

	private static final int ACK = 6;

	private static final int REPLY = 7;

	private static final int RETIRE = 8;

	private static final int SYNCHRONIZE = 9;

	/** The most a payload's buffer starts with before its bytes have been read. */
	private static final int PIECE = 64 * 1024;

	private MessageCodec() {
	}

	static byte[] encode(MessageOperation operation) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		try {
			if (operation instanceof CreateGroup create) {
				head(out, CREATE_GROUP, create.request());
				writeName(out, create.group());
				out.writeByte(create.policy().ordinal());
			}
			else if (operation instanceof DeleteGroup delete) {
				head(out, DELETE_GROUP, delete.request());
				writeName(out, delete.group());
			}
			else if (operation instanceof Open open) {
				head(out, OPEN, open.request());
				writeName(out, open.queue());
				writeAttributes(out, open.attributes());
				writeOptionalName(out, open.group());
			}
			else if (operation instanceof Close close) {
				head(out, CLOSE, close.request());
				writeName(out, close.queue());
			}
			else if (operation instanceof Send send) {
				head(out, SEND, send.request());
				writeName(out, send.target());
				out.writeBoolean(send.toGroup());
				out.writeByte(send.priority());
				out.writeByte(send.flags());
				writeBytes(out, send.payload());
			}
			else if (operation instanceof Ack ack) {
				head(out, ACK, ack.request());
				writeName(out, ack.queue());
				out.writeLong(ack.id());
			}
			else if (operation instanceof Reply reply) {
				head(out, REPLY, reply.request());
				writeName(out, reply.queue());
				out.writeLong(reply.id());
				writeBytes(out, reply.payload());
			}
			else if (operation instanceof Retire retire) {
				head(out, RETIRE, retire.request());
				writeName(out, retire.queue());
				out.writeLong(retire.generation());
			}
			else if (operation instanceof Synchronize synchronize) {
				head(out, SYNCHRONIZE, synchronize.request());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** The operation, or {@code null} if the bytes are not one. */
	static @Nullable MessageOperation decode(byte[] bytes) {
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
		try {
			int tag = in.readUnsignedByte();
			long request = in.readLong();
			MessageOperation operation = switch (tag) {
				case CREATE_GROUP -> {
					String group = readName(in);
					int policy = in.readUnsignedByte();
					if (policy >= GroupPolicy.values().length) {
						yield null;
					}
					yield new CreateGroup(request, group, GroupPolicy.values()[policy]);
				}
				case DELETE_GROUP -> new DeleteGroup(request, readName(in));
				case OPEN -> {
					String queue = readName(in);
					QueueAttributes attributes = readAttributes(in);
					String group = readOptionalName(in);
					yield (attributes == null) ? null : new Open(request, queue, attributes, group);
				}
				case CLOSE -> new Close(request, readName(in));
				case SEND -> {
					String target = readName(in);
					boolean toGroup = readBoolean(in);
					int priority = in.readUnsignedByte();
					int flags = in.readUnsignedByte();
					byte[] payload = readBytes(in);
					if (priority >= QueueAttributes.PRIORITIES || (flags & ~3) != 0) {
						yield null;
					}
					yield new Send(request, target, toGroup, priority, flags, payload);
				}
				case ACK -> new Ack(request, readName(in), in.readLong());
				case REPLY -> new Reply(request, readName(in), in.readLong(), readBytes(in));
				case RETIRE -> new Retire(request, readName(in), in.readLong());
				case SYNCHRONIZE -> new Synchronize(request);
				default -> null;
			};
			if (in.available() != 0) {
				return null;
			}
			return operation;
		}
		catch (IOException | IllegalArgumentException ex) {
			return null;
		}
	}

	/** The request number of an encoded operation, 0 if it has none or cannot be read. */
	static long request(byte[] bytes) {
		return (bytes.length >= 9) ? ByteBuffer.wrap(bytes, 1, 8).getLong() : 0;
	}

	static boolean validName(String name) {
		return Utf8Names.valid(name, MessageService.MAX_NAME_BYTES);
	}

	// ---------------------------------------------------------------------------------------------

	private static void head(DataOutput out, int tag, long request) throws IOException {
		out.writeByte(tag);
		out.writeLong(request);
	}

	static void writeName(DataOutput out, String name) throws IOException {
		Utf8Names.write(out, name, 1, MessageService.MAX_NAME_BYTES, "name");
	}

	static String readName(DataInput in) throws IOException {
		return Utf8Names.read(in, 1, MessageService.MAX_NAME_BYTES);
	}

	private static void writeOptionalName(DataOutput out, String name) throws IOException {
		if (name.isEmpty()) {
			out.writeShort(0);
		}
		else {
			writeName(out, name);
		}
	}

	private static String readOptionalName(DataInputStream in) throws IOException {
		in.mark(2);
		if (in.readUnsignedShort() == 0) {
			return "";
		}
		in.reset();
		return readName(in);
	}

	/** A boolean as {@code writeBoolean} writes it: 0 or 1; any other byte would encode back differently. */
	static boolean readBoolean(DataInput in) throws IOException {
		int value = in.readUnsignedByte();
		if (value > 1) {
			throw new IOException("a boolean of " + value);
		}
		return value == 1;
	}

	static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	static byte[] readBytes(DataInput in) throws IOException {
		int length = in.readInt();
		if (length < 0 || length > MessageService.MAX_OPERATION_BYTES) {
			throw new IOException("a payload of " + length + " bytes");
		}
		// in pieces: a length that promises more than follows fails at the end of the input, having
		// allocated about what was there, not what it promised
		byte[] bytes = new byte[Math.min(length, PIECE)];
		in.readFully(bytes);
		while (bytes.length < length) {
			int read = bytes.length;
			bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * read));
			in.readFully(bytes, read, bytes.length - read);
		}
		return bytes;
	}

	static void writeAttributes(DataOutput out, QueueAttributes attributes) throws IOException {
		out.writeBoolean(attributes.persistent());
		out.writeLong(attributes.retentionMillis());
		for (int p = 0; p < QueueAttributes.PRIORITIES; p++) {
			out.writeInt(attributes.maxMessages(p));
			out.writeLong(attributes.maxBytes(p));
		}
		out.writeInt(attributes.prefetch());
	}

	static @Nullable QueueAttributes readAttributes(DataInput in) throws IOException {
		boolean persistent = readBoolean(in);
		long retention = in.readLong();
		int[] messages = new int[QueueAttributes.PRIORITIES];
		long[] bytes = new long[QueueAttributes.PRIORITIES];
		for (int p = 0; p < QueueAttributes.PRIORITIES; p++) {
			messages[p] = in.readInt();
			bytes[p] = in.readLong();
		}
		QueueAttributes attributes = new QueueAttributes(persistent, retention, messages, bytes, in.readInt());
		return (attributes.problem() == null) ? attributes : null;
	}

}
