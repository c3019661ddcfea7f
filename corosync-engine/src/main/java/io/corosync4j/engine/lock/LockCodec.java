package io.corosync4j.engine.lock;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
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
import io.corosync4j.engine.lock.LockMessage.LockTableState;
import io.corosync4j.engine.lock.LockMessage.PendingSync;
import io.corosync4j.engine.lock.LockMessage.Purge;
import io.corosync4j.engine.lock.LockMessage.Release;
import io.corosync4j.engine.lock.LockMessage.Request;
import io.corosync4j.engine.lock.LockMessage.ResourceState;
import io.corosync4j.engine.lock.LockMessage.Settle;
import io.corosync4j.engine.lock.LockMessage.Snapshot;
import io.corosync4j.engine.lock.LockMessage.Status;
import io.corosync4j.engine.lock.LockMessage.SyncRequest;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads {@link LockMessage}s: a version byte, a type byte, then the fields big-endian. Only
 * corosync4j members read these, so the format is ours; the version lets a later one refuse it cleanly.
 */
final class LockCodec {

	static final int VERSION = 1;

	/** The longest resource name, in UTF-8 bytes ({@code SA_MAX_NAME_LENGTH}). */
	static final int MAX_NAME_BYTES = 256;

	private static final int REQUEST = 1;

	private static final int RELEASE = 2;

	private static final int PURGE = 3;

	private static final int SETTLE = 4;

	private static final int SYNC_REQUEST = 5;

	private static final int SNAPSHOT = 6;

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
			else if (message instanceof Settle settle) {
				out.writeByte(SETTLE);
				out.writeLong(settle.view());
				out.writeLong(settle.confirmed());
				out.writeLong(settle.digest());
			}
			else if (message instanceof SyncRequest request) {
				out.writeByte(SYNC_REQUEST);
				out.writeLong(request.nonce());
				out.writeLong(request.view());
				out.writeLong(request.fence());
			}
			else if (message instanceof Snapshot snapshot) {
				out.writeByte(SNAPSHOT);
				writeMember(out, snapshot.target());
				out.writeLong(snapshot.nonce());
				writeState(out, snapshot.state());
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
				case SETTLE -> new Settle(in.readLong(), in.readLong(), in.readLong());
				case SYNC_REQUEST -> new SyncRequest(in.readLong(), in.readLong(), in.readLong());
				case SNAPSHOT -> new Snapshot(readMember(in), in.readLong(), readState(in));
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

	private static void writeName(DataOutputStream out, String name) throws IOException {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		out.writeShort(bytes.length);
		out.write(bytes);
	}

	private static String readName(DataInputStream in) throws IOException {
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
	private static boolean readFlag(DataInputStream in) throws IOException {
		int value = in.readUnsignedByte();
		if (value > 1) {
			throw new IllegalArgumentException("flag " + value);
		}
		return value == 1;
	}

	private static void writeMember(DataOutputStream out, Member member) throws IOException {
		out.writeInt((int) member.nodeid());
		out.writeLong(member.pid());
	}

	private static Member readMember(DataInputStream in) throws IOException {
		return new Member(Integer.toUnsignedLong(in.readInt()), in.readLong());
	}

	private static void writeMembers(DataOutputStream out, List<Member> members) throws IOException {
		out.writeInt(members.size());
		for (Member member : members) {
			writeMember(out, member);
		}
	}

	private static List<Member> readMembers(DataInputStream in) throws IOException {
		int count = count(in, 12);
		List<Member> members = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			members.add(readMember(in));
		}
		return members;
	}

	private static void writeState(DataOutputStream out, LockTableState state) throws IOException {
		writeMembers(out, state.members());
		writeMembers(out, state.synced());
		out.writeInt(state.requesters().size());
		for (PendingSync pending : state.requesters()) {
			writeMember(out, pending.member());
			out.writeLong(pending.nonce());
			out.writeLong(pending.fence());
		}
		out.writeInt(state.statuses().size());
		for (Status status : state.statuses()) {
			writeMember(out, status.member());
			out.writeLong(status.confirmed());
			out.writeLong(status.digest());
		}
		out.writeBoolean(state.settled());
		out.writeLong(state.confirmed());
		out.writeLong(state.fence());
		out.writeLong(state.epoch());
		out.writeInt(state.resources().size());
		for (ResourceState resource : state.resources()) {
			writeName(out, resource.name());
			writeEntries(out, resource.holders());
			writeEntries(out, resource.waiters());
		}
	}

	private static LockTableState readState(DataInputStream in) throws IOException {
		List<Member> members = readMembers(in);
		List<Member> synced = readMembers(in);
		int pendingCount = count(in, 28);
		List<PendingSync> requesters = new ArrayList<>(pendingCount);
		for (int i = 0; i < pendingCount; i++) {
			requesters.add(new PendingSync(readMember(in), in.readLong(), in.readLong()));
		}
		int statusCount = count(in, 28);
		List<Status> statuses = new ArrayList<>(statusCount);
		for (int i = 0; i < statusCount; i++) {
			statuses.add(new Status(readMember(in), in.readLong(), in.readLong()));
		}
		boolean settled = readFlag(in);
		long confirmed = in.readLong();
		long fence = in.readLong();
		long epoch = in.readLong();
		int resourceCount = count(in, 11);
		List<ResourceState> resources = new ArrayList<>(resourceCount);
		for (int i = 0; i < resourceCount; i++) {
			resources.add(new ResourceState(readName(in), readEntries(in), readEntries(in)));
		}
		return new LockTableState(members, synced, requesters, statuses, settled, confirmed, fence, epoch, resources);
	}

	private static void writeEntries(DataOutputStream out, List<Entry> entries) throws IOException {
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

	private static List<Entry> readEntries(DataInputStream in) throws IOException {
		int count = count(in, 51);
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

	/** A count of items of at least {@code minBytes} each, no more than the bytes left could hold. */
	private static int count(DataInputStream in, int minBytes) throws IOException {
		int count = in.readInt();
		if (count < 0 || (long) count * minBytes > in.available()) {
			throw new IllegalArgumentException("count " + count);
		}
		return count;
	}

}
