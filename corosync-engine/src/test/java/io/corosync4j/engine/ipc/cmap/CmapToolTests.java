package io.corosync4j.engine.ipc.cmap;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.ipc.CClients;
import io.corosync4j.engine.ipc.IpcAccess;
import io.corosync4j.engine.ipc.IpcNamespace;
import io.corosync4j.engine.ipc.IpcServer;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.InteropCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.runtime.InteropCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's {@code corosync-cmapctl} (3.1.7) against a Java node's CMAP and, for the same commands, against
 * a Corosync daemon of the same cluster: what does not differ by nature (node ids, counters) prints the same.
 */
class CmapToolTests {

	@TempDir
	Path directory;

	@Test
	void corosyncCmapctlSeesTheJavaNodeAsItSeesTheDaemon() throws Exception {
		InteropCluster.requireTools("corosync-cmapctl");
		try (Sides sides = Sides.start(this.directory)) {
			Tool onDaemon = sides.onDaemon();
			Tool onJava = sides.onJava();
			Path binary = this.directory.resolve("value.bin");
			Files.write(binary, new byte[] { 0, 1, (byte) 0xFE, 'A' });

			List<String[]> same = List.of(
					new String[] { "corosync-cmapctl", "-g", "totem.cluster_name" },
					new String[] { "corosync-cmapctl", "-g", "totem.transport" },
					new String[] { "corosync-cmapctl", "-g", "quorum.provider" },
					new String[] { "corosync-cmapctl", "nodelist.node." },
					new String[] { "corosync-cmapctl", "-s", "test.u8", "u8", "200" },
					new String[] { "corosync-cmapctl", "-s", "test.i16", "i16", "1234" },
					new String[] { "corosync-cmapctl", "-s", "test.u16", "u16", "65535" },
					new String[] { "corosync-cmapctl", "-s", "test.i32", "i32", "70000" },
					new String[] { "corosync-cmapctl", "-s", "test.u32", "u32", "4000000000" },
					new String[] { "corosync-cmapctl", "-s", "test.i64", "i64", "9000000000" },
					new String[] { "corosync-cmapctl", "-s", "test.u64", "u64", "18446744073709551615" },
					new String[] { "corosync-cmapctl", "-s", "test.flt", "flt", "1.5" },
					new String[] { "corosync-cmapctl", "-s", "test.dbl", "dbl", "2.25" },
					new String[] { "corosync-cmapctl", "-s", "test.str", "str", "hello world" },
					new String[] { "corosync-cmapctl", "-s", "test.bin", "bin", binary.toString() },
					new String[] { "corosync-cmapctl", "test." },
					new String[] { "corosync-cmapctl", "-b", "test." },
					new String[] { "corosync-cmapctl", "-g", "test.str" },
					new String[] { "corosync-cmapctl", "-g", "test.none" },
					new String[] { "corosync-cmapctl", "-s", "nodelist.node.0.nodeid", "u32", "7" },
					new String[] { "corosync-cmapctl", "-s", "ab", "u8", "1" },
					new String[] { "corosync-cmapctl", "-d", "test.none" },
					new String[] { "corosync-cmapctl", "-d", "test.u8" },
					new String[] { "corosync-cmapctl", "-D", "test.i" },
					new String[] { "corosync-cmapctl", "test." },
					new String[] { "corosync-cmapctl", "-D", "test." },
					new String[] { "corosync-cmapctl", "test." },
					new String[] { "corosync-cmapctl", "-m", "stats", "-s", "stats.srp.orf_token_rx", "u64", "1" },
					new String[] { "corosync-cmapctl", "-m", "stats", "-g", "totem.token" });
			for (String[] command : same) {
				assertThat(onJava.run(command)).as(String.join(" ", command)).isEqualTo(onDaemon.run(command));
			}

			// the keys corosync-quorumtool and corosync-cfgtool read, with the Java node's own values
			assertThat(onJava.run("corosync-cmapctl", "-g", "nodelist.local_node_pos"))
				.isEqualTo("nodelist.local_node_pos (u32) = 2\n");
			assertThat(onJava.run("corosync-cmapctl", "-g", "runtime.votequorum.this_node_id"))
				.isEqualTo("runtime.votequorum.this_node_id (u32) = 3\n");

			// statistics: the Java node's are a subset of the daemon's names, with the same types
			List<String> javaStats = typedKeys(onJava.run("corosync-cmapctl", "-m", "stats", "stats.srp."));
			assertThat(javaStats).isNotEmpty().isSubsetOf(typedKeys(onDaemon.run("corosync-cmapctl", "-m", "stats",
					"stats.srp.")));
			assertThat(onJava.run("corosync-cmapctl", "-m", "stats", "-g", "stats.srp.orf_token_rx"))
				.matches("stats\\.srp\\.orf_token_rx \\(u64\\) = [1-9][0-9]*\n");
			assertThat(onJava.run("corosync-cmapctl")).doesNotContain("stats.");

			report("default map", onDaemon.run("corosync-cmapctl"), onJava.run("corosync-cmapctl"));
			report("stats map", onDaemon.run("corosync-cmapctl", "-m", "stats"),
					onJava.run("corosync-cmapctl", "-m", "stats"));
		}
	}

	@Test
	void trackingPrintsTheSameChangesAsOnTheDaemon() throws Exception {
		InteropCluster.requireTools("corosync-cmapctl", "stdbuf");
		try (Sides sides = Sides.start(this.directory)) {
			for (String[] tracker : List.of(new String[] { "-T", "test." }, new String[] { "-t", "test.a" })) {
				List<String> expected = track(sides.startOnDaemon(), sides.onDaemon(), tracker);
				assertThat(expected).as("the daemon's " + tracker[0]).isNotEmpty();
				assertThat(track(sides.startOnJava(), sides.onJava(), tracker)).as(tracker[0]).isEqualTo(expected);
			}

			// a tracked statistic is looked at every 1.5 s, as the daemon's stats updater does
			Tracker statistic = Tracker.start(sides.startOnJava(), "-m", "stats", "-t", "stats.srp.orf_token_rx");
			List<String> changes = statistic.await(1, Duration.ofSeconds(20));
			statistic.quit();
			assertThat(changes.get(0)).matches("modify> stats\\.srp\\.orf_token_rx \\(u64\\) = [0-9]+");
		}
	}

	@Test
	void aLibcmapClientGetsTheDaemonsAnswers() throws Exception {
		InteropCluster.requireTools("corosync-cmapctl", "gcc", "pkg-config");
		Path client = CClients.build(this.directory, "/interop/cmapclient.c", "cmapclient", "libcmap");
		try (Sides sides = Sides.start(this.directory)) {
			String expected = sides.onDaemon().run(client.toString());
			assertThat(expected).contains("events 2").doesNotContain("no cmap");
			assertThat(sides.onJava().run(client.toString())).isEqualTo(expected);
		}
	}

	/** One tracking session: the tracker started, the same changes made, what it printed. */
	private static List<String> track(Starter start, Tool tool, String[] tracker) throws Exception {
		Tracker running = Tracker.start(start, tracker);
		for (String[] change : List.of(new String[] { "-s", "test.a", "u32", "1" },
				new String[] { "-s", "test.a", "u32", "2" }, new String[] { "-s", "test.a", "u32", "2" },
				new String[] { "-s", "test.b", "str", "hi" }, new String[] { "-d", "test.a" },
				new String[] { "-s", "test.a", "u8", "5" }, new String[] { "-D", "test.b" },
				new String[] { "-d", "test.a" })) {
			List<String> command = new ArrayList<>(List.of("corosync-cmapctl"));
			command.addAll(Arrays.asList(change));
			tool.run(command.toArray(String[]::new));
		}
		// the last change is on test.a, seen by either tracker: wait for it, then end the tracker
		List<String> lines = running.awaitLast("delete> test.a (u8) = 5", Duration.ofSeconds(20));
		running.quit();
		return lines;
	}

	/** Prints which keys one side has and the other has not, for the report; differences are by design. */
	private static void report(String what, String daemon, String java) {
		TreeSet<String> onlyDaemon = new TreeSet<>(keys(daemon));
		onlyDaemon.removeAll(keys(java));
		TreeSet<String> onlyJava = new TreeSet<>(keys(java));
		onlyJava.removeAll(keys(daemon));
		System.out.println(what + ": only the daemon has " + onlyDaemon);
		System.out.println(what + ": only the Java node has " + onlyJava);
	}

	private static List<String> keys(String dump) {
		return dump.lines().map((line) -> line.substring(0, Math.max(0, line.indexOf(' ')))).toList();
	}

	private static List<String> typedKeys(String dump) {
		return dump.lines().map((line) -> line.substring(0, Math.max(0, line.indexOf(" = ")))).toList();
	}

	/** A node's {@code ring0_addr} in a config {@link InteropCluster} wrote. */
	private static InetAddress nodeAddress(Path config, int node) throws Exception {
		Matcher address = Pattern.compile("name: n" + node + "\\s+ring0_addr: (\\S+)").matcher(Files.readString(config));
		assertThat(address.find()).isTrue();
		return InetAddress.getByName(address.group(1));
	}

	/**
	 * A daemon (node 1) and a Java node (node 3) of one cluster, the Java node's CMAP served in a
	 * namespace of its own; tools run against either.
	 */
	private record Sides(InteropCluster cluster, Process daemon, CorosyncNode node, IpcNamespace ns, IpcServer server)
			implements AutoCloseable {

		static Sides start(Path directory) throws Exception {
			Deque<AutoCloseable> opened = new ArrayDeque<>();
			try {
				InteropCluster cluster = new InteropCluster(directory);
				opened.push(cluster);
				cluster.up(3);
				cluster.writeConfig(1, "knet", true, null);
				Path javaConfig = cluster.writeConfig(3, "knet", false, null);
				Process daemon = cluster.startDaemon(1);
				CorosyncNode node = CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(javaConfig))
					.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(), List.of(nodeAddress(javaConfig, 3))))
					.start();
				opened.push(node);
				IpcNamespace ns = IpcNamespace.create();
				opened.push(ns);
				IpcServer server = IpcServer.start(IpcSettings.defaults().withNetworkNamespace(ns.path()),
						IpcAccess.ROOT_ONLY, List.of(new CmapIpcService(node.cmap())), node.eventLoop());
				opened.push(server);
				node.awaitMembership((m) -> m.synced() && m.members().size() == 2, BOUND);
				cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[2]: 1 3"));
				return new Sides(cluster, daemon, node, ns, server);
			}
			catch (Exception | Error ex) {
				for (AutoCloseable resource : opened) {
					try {
						resource.close();
					}
					catch (Exception suppressed) {
						ex.addSuppressed(suppressed);
					}
				}
				throw ex;
			}
		}

		Tool onDaemon() {
			return (command) -> InteropCluster.run(this.cluster.inDaemon(this.daemon, command));
		}

		Tool onJava() {
			return (command) -> this.ns.run(command).output();
		}

		Starter startOnDaemon() {
			return (command) -> new ProcessBuilder(this.cluster.inDaemon(this.daemon, command)).redirectErrorStream(true)
				.start();
		}

		Starter startOnJava() {
			return this.ns::start;
		}

		@Override
		public void close() throws Exception {
			try (InteropCluster cluster = this.cluster; IpcNamespace namespace = this.ns; CorosyncNode node = this.node;
					IpcServer server = this.server) {
				// nothing but closing them, in the reverse order: the server first, the cluster last
			}
		}

	}

	@FunctionalInterface
	private interface Tool {

		String run(String... command) throws Exception;

	}

	@FunctionalInterface
	private interface Starter {

		Process start(String... command) throws Exception;

	}

	/** {@code corosync-cmapctl -t}/{@code -T} running, its lines read as they come (line-buffered by stdbuf). */
	private static final class Tracker {

		private final Process process;

		private final List<String> lines = new ArrayList<>();

		private Tracker(Process process) {
			this.process = process;
			Thread reader = new Thread(this::read, "cmapctl-tracker");
			reader.setDaemon(true);
			reader.start();
		}

		/** Starts the tracker and waits until it tracks (it prints its prompt after adding the track). */
		static Tracker start(Starter start, String... arguments) throws Exception {
			List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", "corosync-cmapctl"));
			command.addAll(Arrays.asList(arguments));
			Tracker tracker = new Tracker(start.start(command.toArray(String[]::new)));
			tracker.await(1, BOUND);
			synchronized (tracker.lines) {
				assertThat(tracker.lines.get(0)).isEqualTo("Type \"q\" to finish");
				tracker.lines.clear();
			}
			return tracker;
		}

		private void read() {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					synchronized (this.lines) {
						this.lines.add(line);
					}
				}
			}
			catch (java.io.IOException ex) {
				// the tracker ended
			}
		}

		List<String> await(int count, Duration bound) throws Exception {
			Await.until(count + " lines from the tracker", bound, () -> snapshot().size() >= count, this::snapshot);
			return snapshot();
		}

		List<String> awaitLast(String last, Duration bound) throws Exception {
			Await.until("'" + last + "' from the tracker", bound, () -> snapshot().contains(last), this::snapshot);
			return snapshot();
		}

		private List<String> snapshot() {
			synchronized (this.lines) {
				return List.copyOf(this.lines);
			}
		}

		/** Types {@code q}, as a user ends it. */
		void quit() throws Exception {
			try (OutputStream in = this.process.getOutputStream()) {
				in.write("q\n".getBytes(StandardCharsets.US_ASCII));
			}
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}

	}

}
