package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * One connection's libqb control file: three {@code {int32 sent; int32 flow_control}} pairs, for the
 * request, response and event channels, shared with the client through {@code mmap}. The client counts
 * requests up and reads {@code flow_control} before each send (at or below the call's limit, the send
 * fails with {@code EAGAIN}, which Corosync's libraries report as {@code CS_ERR_TRY_AGAIN}); the server counts
 * responses and events up and the client counts them down as it reads them.
 * <p>
 * The file sits in a directory made like libqb's {@code mkdtemp("qb-<server>-<client>-<n>-XXXXXX")},
 * owned by the client so it may remove both when it disconnects first.
 */
final class QbControl implements AutoCloseable {

	private static final int SIZE = 24;

	private static final int REQUEST_SENT = 0;

	private static final int REQUEST_FLOW_CONTROL = 4;

	private static final int RESPONSE_SENT = 8;

	private static final int EVENT_SENT = 16;

	private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

	private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Path directory;

	private final Path file;

	private final String baseName;

	private final ByteBuffer shared;

	private QbControl(Path directory, Path file, String baseName, MappedByteBuffer shared) {
		this.directory = directory;
		this.file = file;
		this.baseName = baseName;
		this.shared = shared;
	}

	/** Makes the directory and control file for a client of {@code service}, owned by the client. */
	static QbControl create(Path controlDirectory, long serverPid, long clientPid, long serial, String service, int uid,
			int gid) throws IOException {
		Path directory = uniqueDirectory(controlDirectory, "qb-" + serverPid + "-" + clientPid + "-" + serial + "-");
		try {
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwx---"));
			chown(directory, uid, gid);
			String description = directory.resolve("qb").toString();
			Path file = Path.of(description + "-control-" + service);
			MappedByteBuffer shared;
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
					StandardOpenOption.WRITE)) {
				channel.write(ByteBuffer.allocate(SIZE));
				shared = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
			}
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			chown(file, uid, gid);
			return new QbControl(directory, file, description + "-" + service, shared);
		}
		catch (IOException | RuntimeException ex) {
			deleteQuietly(directory);
			throw ex;
		}
	}

	/** The control file's path, sent to the client as the connection response's {@code request} name. */
	String controlName() {
		return this.file.toString();
	}

	/** The prefix of the connection's four socket names, sent as the response's {@code response} name. */
	String baseName() {
		return this.baseName;
	}

	void requestReceived() {
		INTS.getAndAdd(this.shared, REQUEST_SENT, -1);
	}

	void responseSent() {
		INTS.getAndAdd(this.shared, RESPONSE_SENT, 1);
	}

	void eventSent() {
		INTS.getAndAdd(this.shared, EVENT_SENT, 1);
	}

	/**
	 * The flow-control level: 0 lets every request go, 1 holds every request (its send fails with
	 * {@code EAGAIN}), 2 only those of calls that raised their limit to 2 (libcpg's multicasts).
	 */
	void flowControl(int level) {
		INTS.setVolatile(this.shared, REQUEST_FLOW_CONTROL, level);
	}

	/** Removes the file and its directory (the client may have removed them already). */
	@Override
	public void close() {
		deleteQuietly(this.file);
		deleteQuietly(this.directory);
	}

	private static Path uniqueDirectory(Path parent, String prefix) throws IOException {
		for (int attempt = 0; attempt < 100; attempt++) {
			StringBuilder name = new StringBuilder(prefix);
			for (int i = 0; i < 6; i++) {
				name.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
			}
			try {
				return Files.createDirectory(parent.resolve(name.toString()));
			}
			catch (FileAlreadyExistsException ex) {
				// another name, as mkdtemp would try
			}
		}
		throw new IOException("no free directory name " + prefix + "XXXXXX in " + parent);
	}

	private static void chown(Path path, int uid, int gid) throws IOException {
		// as libqb: the client owns its connection's files; this fails without privilege, which only
		// matters for clients of other users, and those need a privileged server anyway
		try {
			Files.setAttribute(path, "unix:uid", uid);
			Files.setAttribute(path, "unix:gid", gid);
		}
		catch (IOException | UnsupportedOperationException ex) {
			if (uid != currentUid()) {
				throw (ex instanceof IOException io) ? io : new IOException(ex);
			}
		}
	}

	private static int currentUid() {
		try {
			return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		}
		catch (IOException | UnsupportedOperationException ex) {
			return -1;
		}
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			// the client removes both too when it goes first, and may be removing them now
		}
	}

}
