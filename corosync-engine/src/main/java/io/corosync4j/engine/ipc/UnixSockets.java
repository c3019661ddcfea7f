package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.jspecify.annotations.Nullable;

/**
 * The few libc calls libqb's socket names need. libqb binds and connects every abstract name with the
 * whole {@code sockaddr_un} (110 bytes, the name padded with zeros), and the kernel compares all of it;
 * Netty's native bind and connect check a path of exactly that length by reading one byte past it, so
 * sockets are made, bound and connected here and only then handed to Netty's epoll channels, which need
 * no name to read and write.
 */
final class UnixSockets {

	private static final int AF_UNIX = 1;

	private static final int SOCK_STREAM = 1;

	private static final int SOCK_DGRAM = 2;

	private static final int SOCK_NONBLOCK = 0x800;

	private static final int SOCK_CLOEXEC = 0x80000;

	private static final int O_RDONLY_CLOEXEC = 0x80000;

	private static final int CLONE_NEWNET = 0x40000000;

	/** {@code sizeof(sun_path)} on Linux. */
	static final int PATH_MAX = 108;

	private static final int SOCKADDR_SIZE = 2 + PATH_MAX;

	private static final int BACKLOG = 128;

	private static final Libc LIBC = Native.load("c", Libc.class);

	private UnixSockets() {
	}

	/** A listening stream socket: abstract {@code name}, or {@code directory/name} when a directory is given. */
	static int listen(String name, @Nullable Path directory) throws IOException {
		int fd = socket(SOCK_STREAM);
		try {
			byte[] address;
			if (directory == null) {
				address = abstractAddress(name);
			}
			else {
				Path path = directory.resolve(name);
				java.nio.file.Files.deleteIfExists(path);
				address = pathAddress(path.toString());
			}
			call("bind " + describe(name, directory), () -> LIBC.bind(fd, address, address.length));
			if (directory != null) {
				// everybody may connect: access is decided from the peer's credentials, as libqb does
				java.nio.file.Files.setPosixFilePermissions(directory.resolve(name),
						java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
			}
			call("listen " + name, () -> LIBC.listen(fd, BACKLOG));
			return fd;
		}
		catch (IOException | RuntimeException ex) {
			close(fd);
			throw ex;
		}
	}

	/** A datagram socket bound to the abstract {@code name}. */
	static int datagram(String name) throws IOException {
		int fd = socket(SOCK_DGRAM);
		try {
			byte[] address = abstractAddress(name);
			call("bind " + name, () -> LIBC.bind(fd, address, address.length));
			return fd;
		}
		catch (IOException | RuntimeException ex) {
			close(fd);
			throw ex;
		}
	}

	/** Connects a datagram socket to the abstract {@code name}: from then on only that peer can send to it. */
	static void connect(int fd, String name) throws IOException {
		byte[] address = abstractAddress(name);
		call("connect " + name, () -> LIBC.connect(fd, address, address.length));
	}

	static void close(int fd) {
		try {
			LIBC.close(fd);
		}
		catch (LastErrorException ex) {
			// closing is best effort: the descriptor is gone either way
		}
	}

	/**
	 * Moves the calling thread into the network namespace at {@code file}; sockets it makes afterwards
	 * belong there whatever thread uses them.
	 */
	static void enterNetworkNamespace(Path file) throws IOException {
		int fd;
		try {
			fd = LIBC.open(file.toString(), O_RDONLY_CLOEXEC);
		}
		catch (LastErrorException ex) {
			throw new IOException("cannot open network namespace " + file + ": errno " + ex.getErrorCode(), ex);
		}
		try {
			call("setns " + file, () -> LIBC.setns(fd, CLONE_NEWNET));
		}
		finally {
			close(fd);
		}
	}

	static byte[] abstractAddress(String name) {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > PATH_MAX - 1) {
			throw new IllegalArgumentException("socket name longer than " + (PATH_MAX - 1) + " bytes: " + name);
		}
		byte[] address = new byte[SOCKADDR_SIZE];
		address[0] = AF_UNIX;
		System.arraycopy(bytes, 0, address, 3, bytes.length);
		return address;
	}

	private static byte[] pathAddress(String path) {
		byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > PATH_MAX - 1) {
			throw new IllegalArgumentException("socket path longer than " + (PATH_MAX - 1) + " bytes: " + path);
		}
		// sun_path's length plus its NUL, as SUN_LEN gives libqb's clients
		byte[] address = new byte[2 + bytes.length + 1];
		address[0] = AF_UNIX;
		System.arraycopy(bytes, 0, address, 2, bytes.length);
		return address;
	}

	private static int socket(int type) throws IOException {
		try {
			return LIBC.socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		}
		catch (LastErrorException ex) {
			throw new IOException("socket: errno " + ex.getErrorCode(), ex);
		}
	}

	private static void call(String what, Call call) throws IOException {
		try {
			call.run();
		}
		catch (LastErrorException ex) {
			throw new UnixSocketException(what, ex.getErrorCode(), ex);
		}
	}

	private static String describe(String name, @Nullable Path directory) {
		return (directory != null) ? directory.resolve(name).toString() : "@" + name;
	}

	@FunctionalInterface
	private interface Call {

		int run() throws LastErrorException;

	}

	/** A failed call with its errno, so callers can tell a name in use ({@link #EADDRINUSE}) from the rest. */
	static final class UnixSocketException extends IOException {

		static final int EADDRINUSE = 98;

		private final int errno;

		UnixSocketException(String what, int errno, Throwable cause) {
			super(what + ": errno " + errno + ((errno == EADDRINUSE) ? " (address in use)" : ""), cause);
			this.errno = errno;
		}

		int errno() {
			return this.errno;
		}

	}

	/** libc, bound by JNA; every call throws {@link LastErrorException} with errno when it returns -1. */
	interface Libc extends Library {

		int socket(int domain, int type, int protocol) throws LastErrorException;

		int bind(int fd, byte[] address, int length) throws LastErrorException;

		int connect(int fd, byte[] address, int length) throws LastErrorException;

		int listen(int fd, int backlog) throws LastErrorException;

		int close(int fd) throws LastErrorException;

		int open(String path, int flags) throws LastErrorException;

		int setns(int fd, int type) throws LastErrorException;

	}

}
