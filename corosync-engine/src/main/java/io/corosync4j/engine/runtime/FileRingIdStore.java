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
 * As Corosync does, the write is not followed by an fsync. The sequence has to outlive the process, and
 * a write in the page cache does; it only has to outlive the machine when every member loses power at
 * once, and then no message of an old ring is left to confuse with a new one. An fsync would put a disk
 * flush on the protocol thread of every member at every membership change, where a contended disk
 * stalls the token for as long as the flush takes (Corosync issue #520).
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
		try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING))) {
			while (bytes.hasRemaining()) {
				channel.write(bytes);
			}
		}
	}

}
