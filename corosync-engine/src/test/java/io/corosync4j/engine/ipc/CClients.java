package io.corosync4j.engine.ipc;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import io.corosync4j.engine.runtime.InteropCluster;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds the tests' C clients from their sources among the test resources. */
public final class CClients {

	private CClients() {
	}

	/**
	 * Compiles {@code resource} into {@code directory/name} against the pkg-config {@code packages}
	 * (libqb, libcpg, ...), failing with gcc's output when it cannot.
	 */
	public static Path build(Path directory, String resource, String name, String... packages) throws Exception {
		Path source = directory.resolve(name + ".c");
		try (InputStream in = CClients.class.getResourceAsStream(resource)) {
			assertThat(in).as(resource).isNotNull();
			Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
		}
		Path binary = directory.resolve(name);
		String output = InteropCluster.run(List.of("sh", "-c", "gcc -O2 -Wall -o " + binary + " " + source
				+ " $(pkg-config --cflags --libs " + String.join(" ", packages) + ")"));
		assertThat(binary).as("gcc: " + output).isExecutable();
		return binary;
	}

}
