package io.corosync4j.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * One ring of two real Corosync 3 daemons and one corosync4j node, each in a network namespace of its
 * own on a private bridge (addresses that exist only inside the namespaces). Needs root, Debian's
 * {@code corosync} and iproute2; skipped elsewhere, unless {@code COROSYNC4J_REQUIRE_INTEROP=1} (set by
 * CI) turns the skip into a failure.
 */
class CorosyncInteropTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@TempDir
	Path directory;

	/** Skips (or under CI fails) with what is missing; called first by each test, so reports count the skip. */
	private static void needsRootAndCorosync() throws Exception {
		List<String> missing = new ArrayList<>();
		if (!"0".equals(run(List.of("id", "-u")).trim())) {
			missing.add("root");
		}
		for (String tool : List.of("/usr/sbin/corosync", "/usr/sbin/corosync-cfgtool", "/usr/sbin/corosync-quorumtool")) {
			if (!Files.isExecutable(Path.of(tool))) {
				missing.add(tool + " (apt-get install corosync)");
			}
		}
		if (run(List.of("sh", "-c", "for t in ip unshare nsenter; do command -v $t; done")).lines().count() < 3) {
			missing.add("ip, unshare and nsenter (iproute2, util-linux)");
		}
		if (missing.isEmpty()) {
			return;
		}
		String message = "Corosync interop test needs " + String.join(", ", missing);
		if ("1".equals(System.getenv("COROSYNC4J_REQUIRE_INTEROP"))) {
			fail(message);
		}
		Assumptions.abort(message);
	}

	@ParameterizedTest(name = "transport {0}")
	@ValueSource(strings = { "udpu", "udp" })
	void aJavaNodeSharesARingWithTwoCorosyncDaemons(String transport) throws Exception {
		needsRootAndCorosync();
		String tag = "c4j" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(0x10000));
		String net = "10.98." + ThreadLocalRandom.current().nextInt(1, 255);
		Path netns = copyScript();
		List<Process> daemons = new ArrayList<>();
		NodeProcess java = null;
		try {
			run(List.of("bash", netns.toString(), "up", tag, net, "3"));
			for (int i = 1; i <= 3; i++) {
				writeNode(i, net, transport);
			}
			daemons.add(startDaemon(tag, 1));
			daemons.add(startDaemon(tag, 2));
			awaitLog(1, 0, (log) -> synchronizedAfter(log, "Members[2]: 1 2"));

			long mark = logLength(1);
			long started = System.nanoTime();
			java = startJava(tag);
			java.awaitLine(0, (line) -> line.contains("Members[3]: 1 2 3"), BOUND);
			for (int daemon = 1; daemon <= 2; daemon++) {
				awaitLog(daemon, (daemon == 1) ? mark : 0, (log) -> synchronizedAfter(log, "Members[3]: 1 2 3"));
			}
			System.out.printf("interop %s: Java node in a ring with 2 Corosync daemons, synchronized after %d ms%n",
					transport, (System.nanoTime() - started) / 1_000_000);
			String links = run(List.of("nsenter", "-t", pid(daemons.get(0)), "-m", "-n", "corosync-cfgtool", "-s"));
			assertThat(links).containsPattern("nodeid:\\s+3:\\s+connected");
			String quorum = run(List.of("nsenter", "-t", pid(daemons.get(0)), "-m", "-n", "corosync-quorumtool", "-l"));
			assertThat(quorum).containsPattern("(?m)^\\s+3\\s+\\d+\\s+n3");

			mark = logLength(1);
			long terminated = System.nanoTime();
			assertThat(java.terminate()).isZero();
			String afterLeave = awaitLog(1, mark, (log) -> log.contains("Members[2]: 1 2"));
			System.out.printf("interop %s: the daemons saw the Java node leave after %d ms%n", transport,
					(System.nanoTime() - terminated) / 1_000_000);
			assertThat(afterLeave).contains("Members left: 3").doesNotContain("Failed to receive the leave message");

			java = startJava(tag);
			java.awaitLine(0, (line) -> line.contains("Members[3]: 1 2 3"), BOUND);
			int javaMark = java.lineCount();
			long killed = System.nanoTime();
			daemons.get(1).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			java.awaitLine(javaMark, (line) -> line.contains("Members[2]: 1 3"), BOUND);
			System.out.printf("interop %s: SIGKILL of a daemon, the Java node and the other daemon re-formed after %d ms%n",
					transport, (System.nanoTime() - killed) / 1_000_000);
		}
		finally {
			if (java != null) {
				java.close();
			}
			for (Process daemon : daemons) {
				daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			run(List.of("bash", netns.toString(), "down", tag, net, "3"));
		}
	}

	private void writeNode(int node, String net, String transport) throws IOException {
		Path home = this.directory.resolve("n" + node);
		for (String sub : List.of("etc", "log", "state")) {
			Files.createDirectories(home.resolve(sub));
		}
		StringBuilder nodes = new StringBuilder();
		for (int i = 1; i <= 3; i++) {
			nodes.append("\tnode {\n\t\tnodeid: ").append(i).append("\n\t\tname: n").append(i).append("\n\t\tring0_addr: ")
				.append(net).append('.').append(i).append("\n\t}\n");
		}
		boolean daemon = node < 3;
		String text = "totem {\n\tversion: 2\n\tcluster_name: interop\n\ttransport: " + transport + "\n\ttoken: 1000\n"
				+ "\tcrypto_cipher: none\n\tcrypto_hash: none\n}\n\nnodelist {\n" + nodes + "}\n\n"
				+ "quorum {\n\tprovider: corosync_votequorum\n}\n\nlogging {\n"
				+ (daemon ? "\tto_logfile: yes\n\tlogfile: /var/log/corosync/corosync.log\n\tto_stderr: no\n"
						: "\tto_stderr: yes\n")
				+ "\tto_syslog: no\n\ttimestamp: hires\n\tdebug: on\n}\n\nsystem {\n\tstate_dir: "
				+ (daemon ? "/var/lib/corosync" : home.resolve("state").toString()) + "\n\tsched_rr: no\n}\n";
		Files.writeString(home.resolve("etc").resolve("corosync.conf"), text);
	}

	/** A daemon in its namespace, with its own /run and the standard paths bound to its directories. */
	private Process startDaemon(String tag, int node) throws IOException {
		Path home = this.directory.resolve("n" + node);
		String script = "mount -t tmpfs tmpfs /run && mount --bind " + home.resolve("etc") + " /etc/corosync"
				+ " && mount --bind " + home.resolve("log") + " /var/log/corosync"
				+ " && mount --bind " + home.resolve("state") + " /var/lib/corosync && exec corosync -f";
		return new ProcessBuilder("ip", "netns", "exec", tag + "n" + node, "unshare", "-m", "--propagation", "private",
				"sh", "-c", script)
			.redirectErrorStream(true)
			.redirectOutput(home.resolve("stdout").toFile())
			.start();
	}

	private NodeProcess startJava(String tag) throws IOException {
		return new NodeProcess(List.of("ip", "netns", "exec", tag + "n3"),
				this.directory.resolve("n3").resolve("etc").resolve("corosync.conf"), List.of());
	}

	private long logLength(int node) throws IOException {
		Path log = daemonLog(node);
		return Files.exists(log) ? Files.size(log) : 0;
	}

	private Path daemonLog(int node) {
		return this.directory.resolve("n" + node).resolve("log").resolve("corosync.log");
	}

	/** Polls the daemon's log from byte {@code from} until {@code condition} holds for what was written since. */
	private String awaitLog(int node, long from, Predicate<String> condition) throws Exception {
		long deadline = System.nanoTime() + BOUND.toNanos();
		Path log = daemonLog(node);
		String text = "";
		while (System.nanoTime() < deadline) {
			if (Files.exists(log)) {
				byte[] bytes = Files.readAllBytes(log);
				text = new String(bytes, (int) Math.min(from, bytes.length), (int) Math.max(0, bytes.length - from),
						StandardCharsets.UTF_8);
				if (condition.test(text)) {
					return text;
				}
			}
			Thread.sleep(50);
		}
		throw new TimeoutException("daemon " + node + "'s log never showed what was expected:\n" + text);
	}

	private Path copyScript() throws IOException, URISyntaxException {
		Path script = this.directory.resolve("netns.sh");
		try (InputStream in = getClass().getResourceAsStream("/interop/netns.sh")) {
			Files.copy(in, script);
		}
		return script;
	}

	/** Whether the daemon logged {@code members} and then completed synchronization. */
	private static boolean synchronizedAfter(String log, String members) {
		int at = log.lastIndexOf(members);
		return at >= 0 && log.indexOf("Completed service synchronization", at) > at;
	}

	private static String pid(Process process) {
		return Long.toString(process.pid());
	}

	private static String run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(command + " did not finish");
		}
		return output;
	}

}
