package io.corosync4j.engine.lock;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.lock.LockMessage.Entry;
import io.corosync4j.engine.lock.LockMessage.GraceEnd;
import io.corosync4j.engine.lock.LockMessage.Purge;
import io.corosync4j.engine.lock.LockMessage.Release;
import io.corosync4j.engine.lock.LockMessage.Request;
import io.corosync4j.engine.lock.LockMessage.ResourceState;
import io.corosync4j.engine.replica.Member;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads {@link LockMessage}s (a version byte, a type byte, then the fields big-endian) and the
 * lock table a joining member receives. Only corosync4j members read these, so the format is ours; the
 * version lets a later one refuse it cleanly.
 */
final class LockCodec {

	static final int VERSION = 1;

	/** The longest resource name, in UTF-8 bytes ({@code SA_MAX_NAME_LENGTH}). */
	static final int MAX_NAME_BYTES = 256;

	private static final int REQUEST = 1;

	private static final int RELEASE = 2;

	private static final int PURGE = 3;

	private static final int GRACE_END = 7;

	private LockCodec() {
	}

	static byte[] encode(LockMessage message) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
		DataOutputStream out = new DataOutputStream(bytes);
		try {
			out.writeByte(VERSION);
			if (message instanceof Request request) {
				out.writeByte(REQUEST);
				out.writeLong(request.id());
				out.writeLong(request.owner());
				writeName(out, request.resource());
				out.writeByte(request.mode().code);
				out.writeByte(request.flags());
				out.writeInt(request.graceMillis());
			}
			else if (message instanceof GraceEnd end) {
				out.writeByte(GRACE_END);
				out.writeLong(end.epoch());
			}
			else if (message instanceof Release release) {
				out.writeByte(RELEASE);
				out.writeLong(release.id());
			}
			else if (message instanceof Purge purge) {
				out.writeByte(PURGE);
				writeName(out, purge.resource());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** {@code null} when the bytes are not a lock message of this version. */
	static @Nullable LockMessage decode(byte[] message) {
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(message));
		try {
			if (in.readUnsignedByte() != VERSION) {
				return null;
			}
			LockMessage decoded = switch (in.readUnsignedByte()) {
				case REQUEST -> new Request(in.readLong(), in.readLong(), readName(in), LockMode.of(in.readUnsignedByte()),
						in.readUnsignedByte(), nonNegative(in.readInt()));
				case GRACE_END -> new GraceEnd(in.readLong());
				case RELEASE -> new Release(in.readLong());
				case PURGE -> new Purge(readName(in));
				default -> null;
			};
			return (in.available() == 0) ? decoded : null;
		}
		catch (IOException | IllegalArgumentException ex) {
			return null;
		}
	}

	static void checkName(String resource) {
		int length = resource.getBytes(StandardCharsets.UTF_8).length;
		if (length == 0 || length > MAX_NAME_BYTES) {
			throw new IllegalArgumentException("a lock resource name has 1 to " + MAX_NAME_BYTES
					+ " bytes in UTF-8, not " + length + ": '" + abbreviate(resource) + "'");
		}
	}

	private static String abbreviate(String resource) {
		return (resource.length() > 40) ? resource.substring(0, 40) + "…" : resource;
	}

	private static void writeName(DataOutput out, String name) throws IOException {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		out.writeShort(bytes.length);
		out.write(bytes);
	}

	private static String readName(DataInput in) throws IOException {
		int length = in.readUnsignedShort();
		if (length == 0 || length > MAX_NAME_BYTES) {
			throw new IllegalArgumentException("name of " + length + " bytes");
		}
		byte[] bytes = new byte[length];
		in.readFully(bytes);
		try {
			return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("a name that is not UTF-8");
		}
	}

	/** A byte that is 0 or 1: anything else is not what {@link DataOutputStream#writeBoolean} wrote. */
	private static boolean readFlag(DataInput in) throws IOException {
		int value = in.readUnsignedByte();
		if (value > 1) {
			throw new IllegalArgumentException("flag " + value);
		}
		return value == 1;
	}

	private static void writeMember(DataOutput out, Member member) throws IOException {
		out.writeInt((int) member.nodeid());
		out.writeLong(member.pid());
	}

	private static Member readMember(DataInput in) throws IOException {
		return new Member(Integer.toUnsignedLong(in.readInt()), in.readLong());
	}

	/** The table a joining member receives, besides who holds it (the replica group's part). */
	record Table(long fence, long epoch, List<ResourceState> resources) {
	}

	static void writeTable(DataOutput out, long fence, long epoch, List<ResourceState> resources) throws IOException {
		out.writeLong(fence);
		out.writeLong(epoch);
		out.writeInt(resources.size());
		for (ResourceState resource : resources) {
			writeName(out, resource.name());
			writeEntries(out, resource.holders());
			writeEntries(out, resource.waiters());
		}
	}

	static Table readTable(DataInput in) throws IOException {
		try {
			long fence = in.readLong();
			long epoch = in.readLong();
			int resourceCount = bounded(in.readInt());
			List<ResourceState> resources = new ArrayList<>(resourceCount);
			for (int i = 0; i < resourceCount; i++) {
				resources.add(new ResourceState(readName(in), readEntries(in, bounded(in.readInt())),
						readEntries(in, bounded(in.readInt()))));
			}
			return new Table(fence, epoch, resources);
		}
		catch (IllegalArgumentException ex) {
			throw new IOException("A lock table that cannot be read: " + ex.getMessage(), ex);
		}
	}

	/** A count within what a table holds at most ({@link LockTable#MAX_LOCKS}). */
	private static int bounded(int count) {
		if (count < 0 || count > LockTable.MAX_LOCKS) {
			throw new IllegalArgumentException("count " + count);
		}
		return count;
	}

	private static void writeEntries(DataOutput out, List<Entry> entries) throws IOException {
		out.writeInt(entries.size());
		for (Entry entry : entries) {
			writeMember(out, entry.member());
			out.writeLong(entry.id());
			out.writeLong(entry.owner());
			out.writeByte(entry.mode().code);
			out.writeByte(entry.flags());
			out.writeInt(entry.graceMillis());
			out.writeLong(entry.fence());
			out.writeBoolean(entry.orphaned());
			out.writeLong(entry.departed());
		}
	}

	private static List<Entry> readEntries(DataInput in, int count) throws IOException {
		List<Entry> entries = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			entries.add(new Entry(readMember(in), in.readLong(), in.readLong(), LockMode.of(in.readUnsignedByte()),
					in.readUnsignedByte(), nonNegative(in.readInt()), in.readLong(), readFlag(in), in.readLong()));
		}
		return entries;
	}

	private static int nonNegative(int value) {
		if (value < 0) {
			throw new IllegalArgumentException("negative " + value);
		}
		return value;
	}

}
