package io.corosync4j.engine.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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

	/** The documentation: README.md and every page of docs/. */
	public static List<Path> documentation() {
		Path root = root();
		List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
		try (Stream<Path> files = Files.list(root.resolve("docs"))) {
			files.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return pages;
	}

}
