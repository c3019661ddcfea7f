package io.corosync4j.engine.runtime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's answers that need no node: the version and features, a bad command line. */
class LauncherTests {

	@Test
	void versionListsEveryTransportAndService() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		assertThat(new Launcher(out, out, Map.of()).run(new String[] { "-v" })).isZero();
		assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Corosync 3.1.7 wire protocol")
			.contains("Available transports: udpu, udp, knet.")
			.contains("Services: cmap, cfg, cpg, votequorum.")
			.contains("IPC: libqb socket transport.");
	}

	@Test
	void anUnknownOptionIsAConfigurationError() {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		assertThat(new Launcher(out, out, Map.of()).run(new String[] { "-z" })).isEqualTo(8);
		assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("usage: corosync4j").contains("--no-ipc");
	}

}
