package io.corosync4j.engine.docs;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's top directory, for tests that read its documentation and example files. */
public final class Repository {

	private Repository() {
	}

	/** The nearest directory above the working directory (a module's, under Maven) with README.md and docs/. */
	public static Path root() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
				return dir;
			}
		}
		throw new IllegalStateException("no directory with README.md and docs/ above " + Path.of("").toAbsolutePath());
	}

}
