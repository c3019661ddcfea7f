package io.corosync4j.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Asks {@code getent}, which goes through the C library's name service switch exactly as Corosync's
 * {@code getpwnam_r}/{@code getgrnam_r} do; Java itself can look a name up but not tell its id.
 */
final class GetentAccounts implements HostAccounts {

	static final GetentAccounts INSTANCE = new GetentAccounts();

	/** A directory service that does not answer makes the lookup fail instead of hanging start-up. */
	private static final long TIMEOUT_SECONDS = 30;

	/** getent's exit status for a key the database does not have. */
	private static final int NOT_FOUND = 2;

	private GetentAccounts() {
	}

	@Override
	public OptionalLong userId(String name) throws IOException {
		return lookUp("passwd", name);
	}

	@Override
	public OptionalLong groupId(String name) throws IOException {
		return lookUp("group", name);
	}

	/** The third field of the entry ({@code name:password:id:...}), in both databases. */
	private static OptionalLong lookUp(String database, String name) throws IOException {
		// A file, not a pipe: a large group's member list would fill a pipe nobody reads while waiting.
		Path output = Files.createTempFile("corosync4j-getent", ".txt");
		try {
			// "--" keeps a name that starts with '-' from being read as an option
			Process getent = new ProcessBuilder("getent", database, "--", name)
				.redirectOutput(output.toFile())
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			int status = awaitExit(getent, database);
			if (status == NOT_FOUND) {
				return OptionalLong.empty();
			}
			String entry = Files.readString(output, StandardCharsets.UTF_8).lines().findFirst().orElse("");
			return OptionalLong.of(idOf(entry, status, database, name));
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static int awaitExit(Process getent, String database) throws IOException {
		try {
			if (!getent.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				getent.destroyForcibly();
				throw new IOException("getent " + database + " did not answer in " + TIMEOUT_SECONDS + " seconds");
			}
			return getent.exitValue();
		}
		catch (InterruptedException ex) {
			getent.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while asking getent " + database, ex);
		}
	}

	private static long idOf(String entry, int status, String database, String name) throws IOException {
		String[] fields = entry.split(":", -1);
		if (status != 0 || fields.length < 3) {
			throw new IOException("getent " + database + " " + name + " failed with exit status " + status);
		}
		try {
			return Long.parseLong(fields[2]);
		}
		catch (NumberFormatException ex) {
			throw new IOException("getent " + database + " " + name + " gave no numeric id: " + fields[2], ex);
		}
	}

}
