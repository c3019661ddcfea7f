package io.corosync4j.engine.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.corosync4j.engine.checkpoint.CheckpointOperation.Close;
import io.corosync4j.engine.checkpoint.CheckpointOperation.CreateSection;
import io.corosync4j.engine.checkpoint.CheckpointOperation.DeleteSection;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Expire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Open;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Overwrite;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Retire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Synchronize;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Unlink;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Write;
import io.corosync4j.engine.checkpoint.CheckpointState.Opener;
import io.corosync4j.engine.checkpoint.CheckpointState.Replica;
import io.corosync4j.engine.checkpoint.CheckpointState.Section;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.Utf8Names;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads {@link CheckpointOperation}s and the state's snapshot: a version byte, a type byte,
 * the request number, then the fields big-endian; names are UTF-8 behind a 16-bit length, data behind a
 * 32-bit one. Only corosync4j members read these, so the format is ours. Decoding is strict: anything
 * out of range, left over or cut short makes it {@code null}, and every member drops the same bytes the
 * same way (a member of a later version that writes another version byte is dropped cleanly).
 */
final class CheckpointCodec {

	static final int VERSION = 1;

	static final int SNAPSHOT_VERSION = 1;

	private static final int OPEN = 1;

	private static final int CLOSE = 2;

	private static final int UNLINK = 3;

	private static final int CREATE_SECTION = 4;

	private static final int DELETE_SECTION = 5;

	private static final int WRITE = 6;

	private static final int OVERWRITE = 7;

	private static final int SYNCHRONIZE = 8;

	private static final int RETIRE = 9;

	private static final int EXPIRE = 10;

	/** Bytes before an operation's fields: version, type, request. */
	static final int HEADER = 10;

	/** The most a section's data buffer in a snapshot starts with before its bytes have been read. */
	private static final int PIECE = 64 * 1024;

	private CheckpointCodec() {
	}

	// ---------------------------------------------------------------------------------------------
	// Operations

	static byte[] encode(CheckpointOperation operation) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payloadSize(operation));
		DataOutputStream out = new DataOutputStream(bytes);
		try {
			out.writeByte(VERSION);
			out.writeByte(type(operation));
			out.writeLong(operation.request());
			if (operation instanceof Open open) {
				out.writeLong(open.handle());
				writeName(out, open.name());
				CheckpointAttributes attributes = open.attributes();
				out.writeBoolean(attributes != null);
				if (attributes != null) {
					writeAttributes(out, attributes);
				}
			}
			else if (operation instanceof Close close) {
				out.writeLong(close.checkpoint());
				out.writeLong(close.handle());
			}
			else if (operation instanceof Unlink unlink) {
				writeName(out, unlink.name());
			}
			else if (operation instanceof CreateSection create) {
				out.writeLong(create.checkpoint());
				out.writeLong(create.handle());
				SectionId id = create.id();
				out.writeBoolean(id != null);
				if (id != null) {
					writeId(out, id);
				}
				out.writeLong(create.expiration());
				writeData(out, create.data());
			}
			else if (operation instanceof DeleteSection delete) {
				out.writeLong(delete.checkpoint());
				out.writeLong(delete.handle());
				writeId(out, delete.id());
			}
			else if (operation instanceof Write write) {
				out.writeLong(write.checkpoint());
				out.writeLong(write.handle());
				out.writeInt(write.writes().size());
				for (SectionWrite part : write.writes()) {
					writeId(out, part.section());
					out.writeInt(part.offset());
					writeData(out, part.data());
				}
			}
			else if (operation instanceof Overwrite overwrite) {
				out.writeLong(overwrite.checkpoint());
				out.writeLong(overwrite.handle());
				writeId(out, overwrite.id());
				writeData(out, overwrite.data());
			}
			else if (operation instanceof Synchronize synchronize) {
				out.writeLong(synchronize.checkpoint());
				out.writeLong(synchronize.handle());
			}
			else if (operation instanceof Retire retire) {
				writeName(out, retire.name());
				out.writeLong(retire.generation());
			}
			else {
				out.writeLong(((Expire) operation).now());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** The data bytes an operation carries, to size its buffer and to count what was written. */
	static int payloadSize(CheckpointOperation operation) {
		if (operation instanceof CreateSection create) {
			return create.data().length;
		}
		if (operation instanceof Overwrite overwrite) {
			return overwrite.data().length;
		}
		if (operation instanceof Write write) {
			long total = 0;
			for (SectionWrite part : write.writes()) {
				total += part.data().length + part.section().length() + 10;
			}
			return (int) Math.min(Integer.MAX_VALUE - 64, total);
		}
		return 0;
	}

	/** The request number of an encoded operation without reading the rest, or -1 if there is none. */
	static long request(byte[] operation) {
		if (operation.length < HEADER || operation[0] != VERSION) {
			return -1;
		}
		return ByteBuffer.wrap(operation, 2, 8).getLong();
	}

	/** The operation, or {@code null} if it is not one this version reads. */
	static @Nullable CheckpointOperation decode(byte[] bytes) {
		try {
			ByteBuffer in = ByteBuffer.wrap(bytes);
			if (in.get() != VERSION) {
				return null;
			}
			int type = in.get();
			long request = in.getLong();
			CheckpointOperation operation = switch (type) {
				case OPEN -> {
					long handle = in.getLong();
					String name = readName(in);
					CheckpointAttributes attributes = null;
					int present = in.get();
					if (present == 1) {
						attributes = readAttributes(in);
						if (attributes == null) {
							yield null;
						}
					}
					else if (present != 0) {
						yield null;
					}
					yield (name == null) ? null : new Open(request, handle, name, attributes);
				}
				case CLOSE -> new Close(request, in.getLong(), in.getLong());
				case UNLINK -> {
					String name = readName(in);
					yield (name == null) ? null : new Unlink(request, name);
				}
				case CREATE_SECTION -> {
					long checkpoint = in.getLong();
					long handle = in.getLong();
					int present = in.get();
					SectionId id = null;
					if (present == 1) {
						id = readId(in);
						if (id == null) {
							yield null;
						}
					}
					else if (present != 0) {
						yield null;
					}
					long expiration = in.getLong();
					byte[] data = readData(in);
					yield (data == null) ? null : new CreateSection(request, checkpoint, handle, id, expiration, data);
				}
				case DELETE_SECTION -> {
					long checkpoint = in.getLong();
					long handle = in.getLong();
					SectionId id = readId(in);
					yield (id == null) ? null : new DeleteSection(request, checkpoint, handle, id);
				}
				case WRITE -> {
					long checkpoint = in.getLong();
					long handle = in.getLong();
					int count = in.getInt();
					// each part takes at least 10 bytes: a count beyond what is left is a lie
					if (count < 1 || count > in.remaining() / 10) {
						yield null;
					}
					List<SectionWrite> writes = new ArrayList<>(count);
					for (int i = 0; i < count; i++) {
						SectionId id = readId(in);
						int offset = in.getInt();
						byte[] data = readData(in);
						if (id == null || offset < 0 || data == null) {
							yield null;
						}
						writes.add(new SectionWrite(id, offset, data));
					}
					yield new Write(request, checkpoint, handle, List.copyOf(writes));
				}
				case OVERWRITE -> {
					long checkpoint = in.getLong();
					long handle = in.getLong();
					SectionId id = readId(in);
					byte[] data = readData(in);
					yield (id == null || data == null) ? null : new Overwrite(request, checkpoint, handle, id, data);
				}
				case SYNCHRONIZE -> new Synchronize(request, in.getLong(), in.getLong());
				case RETIRE -> {
					String name = readName(in);
					long generation = in.getLong();
					yield (name == null) ? null : new Retire(request, name, generation);
				}
				case EXPIRE -> new Expire(request, in.getLong());
				default -> null;
			};
			return (operation == null || in.hasRemaining()) ? null : operation;
		}
		catch (BufferUnderflowException truncated) {
			return null;
		}
	}

	private static int type(CheckpointOperation operation) {
		if (operation instanceof Open) {
			return OPEN;
		}
		if (operation instanceof Close) {
			return CLOSE;
		}
		if (operation instanceof Unlink) {
			return UNLINK;
		}
		if (operation instanceof CreateSection) {
			return CREATE_SECTION;
		}
		if (operation instanceof DeleteSection) {
			return DELETE_SECTION;
		}
		if (operation instanceof Write) {
			return WRITE;
		}
		if (operation instanceof Overwrite) {
			return OVERWRITE;
		}
		if (operation instanceof Synchronize) {
			return SYNCHRONIZE;
		}
		if (operation instanceof Retire) {
			return RETIRE;
		}
		return EXPIRE;
	}

	// ---------------------------------------------------------------------------------------------
	// Names, ids, data, attributes

	/** Whether {@code name} is a checkpoint name: 1 to {@value CheckpointService#MAX_NAME_BYTES} bytes of UTF-8. */
	static boolean validName(String name) {
		return Utf8Names.valid(name, CheckpointService.MAX_NAME_BYTES);
	}

	private static void writeName(DataOutput out, String name) throws IOException {
		Utf8Names.write(out, name, 1, CheckpointService.MAX_NAME_BYTES, "checkpoint name");
	}

	private static @Nullable String readName(ByteBuffer in) {
		return Utf8Names.read(in, 1, CheckpointService.MAX_NAME_BYTES);
	}

	private static void writeId(DataOutput out, SectionId id) throws IOException {
		if (id.length() > CheckpointService.MAX_SECTION_ID_BYTES) {
			throw new IllegalArgumentException("a section id of " + id.length() + " bytes");
		}
		out.writeShort(id.length());
		out.write(id.raw());
	}

	private static @Nullable SectionId readId(ByteBuffer in) {
		int length = Short.toUnsignedInt(in.getShort());
		if (length > CheckpointService.MAX_SECTION_ID_BYTES) {
			return null;
		}
		byte[] bytes = new byte[length];
		in.get(bytes);
		return SectionId.wrap(bytes);
	}

	private static void writeData(DataOutput out, byte[] data) throws IOException {
		out.writeInt(data.length);
		out.write(data);
	}

	private static byte @Nullable [] readData(ByteBuffer in) {
		int length = in.getInt();
		if (length < 0 || length > in.remaining()) {
			return null;
		}
		byte[] data = new byte[length];
		in.get(data);
		return data;
	}

	private static void writeAttributes(DataOutput out, CheckpointAttributes attributes) throws IOException {
		out.writeByte(attributes.updateMode().ordinal());
		out.writeLong(attributes.maxSize());
		out.writeInt(attributes.maxSections());
		out.writeInt(attributes.maxSectionSize());
		out.writeInt(attributes.maxSectionIdSize());
		out.writeLong(attributes.retentionMillis());
	}

	private static @Nullable CheckpointAttributes readAttributes(ByteBuffer in) {
		int mode = in.get();
		long maxSize = in.getLong();
		int maxSections = in.getInt();
		int maxSectionSize = in.getInt();
		int maxSectionIdSize = in.getInt();
		long retention = in.getLong();
		return attributes(mode, maxSize, maxSections, maxSectionSize, maxSectionIdSize, retention);
	}

	/** Attributes as read, or {@code null} if a field cannot be one (the state refuses merely large limits itself). */
	private static @Nullable CheckpointAttributes attributes(int mode, long maxSize, int maxSections,
			int maxSectionSize, int maxSectionIdSize, long retention) {
		UpdateMode[] modes = UpdateMode.values();
		if (mode < 0 || mode >= modes.length || retention < 0) {
			return null;
		}
		return new CheckpointAttributes(modes[mode], maxSize, maxSections, maxSectionSize, maxSectionIdSize,
				Duration.ofMillis(retention));
	}

	// ---------------------------------------------------------------------------------------------
	// The snapshot

	/** What a snapshot holds besides the checkpoints' own fields. */
	record Snapshot(long nextCheckpoint, long generation, List<Replica> checkpoints) {
	}

	static void writeSnapshot(DataOutput out, Snapshot snapshot) throws IOException {
		out.writeByte(SNAPSHOT_VERSION);
		out.writeLong(snapshot.nextCheckpoint());
		out.writeLong(snapshot.generation());
		out.writeInt(snapshot.checkpoints().size());
		for (Replica replica : snapshot.checkpoints()) {
			out.writeLong(replica.id);
			out.writeBoolean(!replica.unlinked);
			writeName(out, replica.name);
			writeAttributes(out, replica.attributes);
			out.writeLong(replica.idleGeneration);
			out.writeLong(replica.nextGenerated);
			out.writeInt(replica.openers.size());
			for (Opener opener : replica.openers) {
				out.writeLong(opener.member().nodeid());
				out.writeLong(opener.member().pid());
				out.writeLong(opener.handle());
			}
			out.writeInt(replica.sections.size());
			for (var entry : replica.sections.entrySet()) {
				writeId(out, entry.getKey());
				out.writeLong(entry.getValue().expiration);
				writeData(out, entry.getValue().data);
			}
		}
	}

	/**
	 * {@code length} bytes, read in pieces: a length that promises more than follows fails at the end of
	 * the input, having allocated about what was there, not what it promised.
	 */
	private static byte[] readBytes(DataInput in, int length) throws IOException {
		byte[] bytes = new byte[Math.min(length, PIECE)];
		in.readFully(bytes);
		while (bytes.length < length) {
			int read = bytes.length;
			bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * read));
			in.readFully(bytes, read, bytes.length - read);
		}
		return bytes;
	}

	/**
	 * Reads a snapshot, checking everything a state holds to (limits, unique names and ids, sorted
	 * openers and sections), before any large array is allocated: whatever it accepts writes back to the
	 * same bytes.
	 * @return the snapshot, or {@code null} if it breaks a rule
	 * @throws IOException if it cannot be read (cut short)
	 */
	static @Nullable Snapshot readSnapshot(DataInput in) throws IOException {
		if (in.readByte() != SNAPSHOT_VERSION) {
			return null;
		}
		long nextCheckpoint = in.readLong();
		long generation = in.readLong();
		int count = in.readInt();
		if (count < 0 || count > CheckpointService.MAX_CHECKPOINTS || nextCheckpoint < 1 || generation < 0) {
			return null;
		}
		List<Replica> checkpoints = new ArrayList<>(count);
		Set<String> names = new HashSet<>();
		long lastId = 0;
		long totalBytes = 0;
		long totalSections = 0;
		long totalOpeners = 0;
		for (int i = 0; i < count; i++) {
			long id = in.readLong();
			int linkedByte = in.readUnsignedByte();
			boolean linked = linkedByte == 1;
			int nameLength = in.readUnsignedShort();
			if (id <= lastId || id >= nextCheckpoint || linkedByte > 1 || nameLength < 1
					|| nameLength > CheckpointService.MAX_NAME_BYTES) {
				return null;
			}
			lastId = id;
			byte[] nameBytes = new byte[nameLength];
			in.readFully(nameBytes);
			String name = Utf8Names.decode(nameBytes);
			CheckpointAttributes attributes = attributes(in.readByte(), in.readLong(), in.readInt(), in.readInt(),
					in.readInt(), in.readLong());
			if (name == null || attributes == null || attributes.problem() != null || (linked && !names.add(name))) {
				return null;
			}
			Replica replica = new Replica(id, name, attributes);
			replica.unlinked = !linked;
			replica.idleGeneration = in.readLong();
			replica.nextGenerated = in.readLong();
			int openers = in.readInt();
			totalOpeners += openers;
			if (openers < 0 || totalOpeners > CheckpointService.MAX_OPENERS || replica.idleGeneration < 0
					|| replica.idleGeneration > generation) {
				return null;
			}
			for (int o = 0; o < openers; o++) {
				// in the order they are written, each once
				Opener opener = new Opener(new Member(in.readLong(), in.readLong()), in.readLong());
				if (!replica.openers.isEmpty() && replica.openers.last().compareTo(opener) >= 0) {
					return null;
				}
				replica.openers.add(opener);
			}
			// an unlinked checkpoint without openers is gone; one with openers is not idle
			if ((replica.unlinked && openers == 0) || (openers > 0) == (replica.idleGeneration > 0)) {
				return null;
			}
			int sections = in.readInt();
			totalSections += sections;
			if (sections < 0 || sections > attributes.maxSections() || totalSections > CheckpointService.MAX_SECTIONS) {
				return null;
			}
			SectionId previous = null;
			for (int s = 0; s < sections; s++) {
				int idLength = in.readUnsignedShort();
				if (idLength > attributes.maxSectionIdSize()) {
					return null;
				}
				byte[] idBytes = new byte[idLength];
				in.readFully(idBytes);
				SectionId sectionId = SectionId.wrap(idBytes);
				long expiration = in.readLong();
				int size = in.readInt();
				if ((previous != null && previous.compareTo(sectionId) >= 0) || size < 0
						|| size > attributes.maxSectionSize() || replica.bytes + size > attributes.maxSize()
						|| totalBytes + size > CheckpointService.MAX_TOTAL_BYTES
						|| (idLength == 0) != (attributes.maxSections() == 1)) {
					return null;
				}
				previous = sectionId;
				byte[] data = readBytes(in, size);
				replica.sections.put(sectionId, new Section(expiration, data));
				replica.bytes += size;
				totalBytes += size;
			}
			if (attributes.maxSections() == 1 && sections != 1) {
				return null;
			}
			checkpoints.add(replica);
		}
		return new Snapshot(nextCheckpoint, generation, List.copyOf(checkpoints));
	}

}
