package io.corosync4j.engine.ipc.cpg;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.ipc.IpcAccess;
import io.corosync4j.engine.ipc.IpcNamespace;
import io.corosync4j.engine.ipc.IpcServer;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.InteropCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The C cpgbench through Debian's libcpg against a one-node Java ring and a one-node Corosync daemon
 * (udpu on loopback, the same token): messages per second by size and self-delivery latency, printed
 * side by side. It checks that every run completes with every row, not the figures, which depend on
 * the machine.
 */
class CpgIpcBenchTests {

	private static final String SIZES = "64,1024";

	private static final String SECONDS = "2";

	@TempDir
	Path directory;

	@Test
	void cpgbenchRunsAgainstTheJavaNodeAndAgainstADaemon() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		Path bench = build("cpgbench");
		List<String> java;
		try (IpcNamespace namespace = IpcNamespace.create();
				CorosyncNode node = SingleNode.start(this.directory.resolve("java"));
				IpcServer server = IpcServer.start(IpcSettings.defaults().withNetworkNamespace(namespace.path()),
						IpcAccess.ROOT_ONLY, List.of(new CpgIpcService(node.cpg())))) {
			java = List.of(
					namespace.run(bench.toString(), "sender", "-m", "1", "-z", SIZES, "-s", SECONDS).output(),
					namespace.run(bench.toString(), "latency", "-m", "1", "-n", "5000", "-w", "1").output());
		}
		List<String> daemon = new ArrayList<>();
		Files.createDirectories(this.directory.resolve("daemon"));
		try (InteropCluster cluster = new InteropCluster(this.directory.resolve("daemon"))) {
			cluster.up(0);
			Path config = this.directory.resolve("daemon").resolve("n1").resolve("etc");
			Files.createDirectories(config);
			Files.createDirectories(config.resolveSibling("log"));
			Files.createDirectories(config.resolveSibling("state"));
			Files.writeString(config.resolve("corosync.conf"), "totem {\n version: 2\n cluster_name: ipc\n"
					+ " transport: udpu\n token: 500\n crypto_cipher: none\n crypto_hash: none\n}\n"
					+ "nodelist {\n node {\n  ring0_addr: 127.0.0.1\n  nodeid: 1\n }\n}\n"
					+ "logging {\n to_logfile: yes\n logfile: /var/log/corosync/corosync.log\n to_stderr: no\n"
					+ " to_syslog: no\n}\n"
					+ "system {\n state_dir: /var/lib/corosync\n sched_rr: no\n}\n");
			Process process = cluster.startDaemon(1);
			cluster.awaitLog(1, 0, (log) -> log.contains("Completed service synchronization"));
			for (List<String> command : List.of(
					List.of(bench.toString(), "sender", "-m", "1", "-z", SIZES, "-s", SECONDS),
					List.of(bench.toString(), "latency", "-m", "1", "-n", "5000", "-w", "1"))) {
				Process run = new ProcessBuilder(cluster.inDaemon(process, command.toArray(String[]::new)))
					.redirectErrorStream(true)
					.start();
				String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
				daemon.add(output);
			}
		}
		System.out.println("cpgbench through libcpg, one-node ring, udpu on loopback\nJava node:\n" + java.get(0)
				+ java.get(1) + "\nCorosync 3.1.7 daemon:\n" + daemon.get(0) + daemon.get(1));
		for (List<String> outputs : List.of(java, daemon)) {
			for (String size : SIZES.split(",")) {
				assertThat(outputs.get(0)).containsPattern("(?m)^\\| " + size + " \\| [1-9]\\d* \\|");
			}
			assertThat(latency(outputs.get(1))).as(outputs.get(1)).isNotNull();
		}
	}

	private static String latency(String output) {
		Matcher matcher = Pattern.compile("p50 (\\d+) us, p90 (\\d+) us, p99 (\\d+) us").matcher(output);
		return matcher.find() ? matcher.group() : null;
	}

	private Path build(String program) throws Exception {
		Path source = this.directory.resolve(program + ".c");
		try (InputStream in = getClass().getResourceAsStream("/interop/" + program + ".c")) {
			Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
		}
		Path binary = this.directory.resolve(program);
		String output = InteropCluster.run(List.of("sh", "-c",
				"gcc -O2 -o " + binary + " " + source + " $(pkg-config --cflags --libs libcpg)"));
		assertThat(binary).as("gcc: " + output + " (needs libcpg-dev)").isExecutable();
		return binary;
	}

}
