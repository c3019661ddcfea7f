package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The files of a libqb connection: a directory made like libqb's
 * {@code mkdtemp("qb-<server>-<client>-<n>-XXXXXX")}, and files in it that belong to the client, so it
 * may remove them when it disconnects first.
 */
final class QbFiles {

	private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	private QbFiles() {
	}

	/** A new directory for one connection, owned by the client; removed again when this fails. */
	static Path connectionDirectory(Path parent, long serverPid, long clientPid, long serial, int uid, int gid)
			throws IOException {
		Path directory = uniqueDirectory(parent, "qb-" + serverPid + "-" + clientPid + "-" + serial + "-");
		try {
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwx---"));
			chown(directory, uid, gid);
			return directory;
		}
		catch (IOException | RuntimeException ex) {
			deleteQuietly(directory);
			throw ex;
		}
	}

	/** Makes {@code file} the client's: readable and writable by its owner alone, as libqb's mode 0600. */
	static void restrictTo(Path file, int uid, int gid) throws IOException {
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		chown(file, uid, gid);
	}

	static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			// the client removes them too when it goes first, and may be removing them now
		}
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

}
