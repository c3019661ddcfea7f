package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One connection's libqb control file: three {@code {int32 sent; int32 flow_control}} pairs, for the
 * request, response and event channels, shared with the client through {@code mmap}. The client counts
 * requests up and reads {@code flow_control} before each send (at or below the call's limit, the send
 * fails with {@code EAGAIN}, which Corosync's libraries report as {@code CS_ERR_TRY_AGAIN}); the server counts
 * responses and events up and the client counts them down as it reads them.
 * <p>
 * The file sits in a connection directory of its own ({@link QbFiles}).
 */
final class QbControl implements AutoCloseable {

	private static final int SIZE = 24;

	private static final int REQUEST_SENT = 0;

	private static final int REQUEST_FLOW_CONTROL = 4;

	private static final int RESPONSE_SENT = 8;

	private static final int EVENT_SENT = 16;

	private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

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
		Path directory = QbFiles.connectionDirectory(controlDirectory, serverPid, clientPid, serial, uid, gid);
		try {
			String description = directory.resolve("qb").toString();
			Path file = Path.of(description + "-control-" + service);
			MappedByteBuffer shared;
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
					StandardOpenOption.WRITE)) {
				channel.write(ByteBuffer.allocate(SIZE));
				shared = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
			}
			QbFiles.restrictTo(file, uid, gid);
			return new QbControl(directory, file, description + "-" + service, shared);
		}
		catch (IOException | RuntimeException ex) {
			QbFiles.deleteQuietly(directory);
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
		QbFiles.deleteQuietly(this.file);
		QbFiles.deleteQuietly(this.directory);
	}

}
