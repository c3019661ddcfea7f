package io.corosync4j.engine.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import io.corosync4j.engine.totem.srp.RingIdStore;

/**
 * Corosync's ring id file: {@code <state_dir>/ringid_<nodeid>}, the ring sequence as 8 bytes in host
 * byte order, mode 0600, written before the protocol goes on. A missing or short file counts as
 * sequence 0 and is created.
 * <p>
 * As Corosync does, the 8 bytes overwrite the file in place (no truncation, so a lost writeback leaves
 * the old sequence, never an empty file) and no fsync follows. The sequence has to outlive the process,
 * and a write in the page cache does; after a power loss a member joins with whatever it read, and the
 * new ring's sequence is the highest of all members' plus four. Even Corosync's unsynced write stalled
 * its main loop for seconds on a busy disk (Corosync issue #520); an fsync would wait for the flush at
 * every membership change on every member.
 */
public final class FileRingIdStore implements RingIdStore {

	private final Path directory;

	public FileRingIdStore(Path directory) {
		this.directory = directory;
	}

	public Path file(long nodeid) {
		return this.directory.resolve("ringid_" + nodeid);
	}

	@Override
	public long loadOrCreate(long nodeid) throws IOException {
		Path file = file(nodeid);
		if (Files.isRegularFile(file) && Files.size(file) >= Long.BYTES) {
			ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
			return bytes.getLong(0);
		}
		Files.createDirectories(this.directory);
		store(nodeid, 0);
		return 0;
	}

	@Override
	public void store(long nodeid, long ringSeq) throws IOException {
		Path file = file(nodeid);
		ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder()).putLong(0, ringSeq);
		boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
		if (posix && !Files.exists(file)) {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
			while (bytes.hasRemaining()) {
				channel.write(bytes);
			}
		}
	}

}
