package io.corosync4j.engine.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Random;

/**
 * Generates an authkey as {@code corosync-keygen} does: random bytes (256 by default, 128 to 4096),
 * written to a file of mode 0400. Unlike {@code corosync-keygen}, an existing key is never replaced
 * silently — that would split the cluster — unless asked to.
 */
public final class Keygen {

	public static final int DEFAULT_SIZE = 256;

	private final Random random;

	/** A generator using a strong {@link SecureRandom}. */
	public Keygen() {
		this(new SecureRandom());
	}

	/** A generator using {@code random}; tests pass a seeded one. */
	public Keygen(Random random) {
		this.random = random;
	}

	/**
	 * Writes a new key.
	 * @param file where to write it
	 * @param size its length in bytes, 128 to 4096
	 * @param overwrite replace an existing file
	 * @throws IllegalArgumentException when {@code size} is out of range
	 * @throws FileAlreadyExistsException when {@code file} exists and {@code overwrite} is false
	 * @throws IOException when the file cannot be written
	 */
	public void generate(Path file, int size, boolean overwrite) throws IOException {
		if (size < Authkey.MIN_LENGTH || size > Authkey.MAX_LENGTH) {
			throw new IllegalArgumentException("Unsupported key size " + size + " (supported <128,4096>)");
		}
		if (!overwrite && Files.exists(file)) {
			throw new FileAlreadyExistsException(file.toString(), null,
					"a key already exists; every node must use the same key, so replacing it splits the cluster "
							+ "until all nodes have the new one. Pass --force to replace it");
		}
		byte[] key = new byte[size];
		this.random.nextBytes(key);
		Path directory = file.toAbsolutePath().getParent();
		// Written beside the target and moved over it, so a reader never sees a partial key.
		Path temporary = Files.createTempFile(directory, ".authkey", ".tmp", ownerOnly());
		try {
			Files.write(temporary, key);
			if (isPosix(temporary)) {
				Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("r--------"));
			}
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private static FileAttribute<?>[] ownerOnly() {
		boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
		return posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) }
				: new FileAttribute<?>[0];
	}

	private static boolean isPosix(Path file) {
		return file.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

}
