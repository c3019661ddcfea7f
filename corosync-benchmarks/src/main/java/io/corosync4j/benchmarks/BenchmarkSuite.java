package io.corosync4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import io.corosync4j.engine.runtime.InteropCluster;

/**
 * corosync4j, Corosync 3 and JGroups 5 side by side on this machine, from one command (as root, for the
 * network namespaces Corosync and JGroups run in):
 *
 * <pre>
 * java -cp 'corosync-benchmarks/target/lib/*:corosync-benchmarks/target/corosync4j-benchmarks.jar' \
 *     io.corosync4j.benchmarks.BenchmarkSuite [--sizes 64,1024,16384,65536] [--seconds 5] [--repetitions 3]
 *     [--corosync4j udpu,udpu-tuned,knet,knet-aes256,knet-aes256-tuned] [--corosync (the same)]
 *     [--corosync4j-ipc udpu,knet]
 *     [--jgroups sequencer,sequencer-encrypt] [--warmup 60] [--latency-warmup 20] [--locks 3] [--lock-seconds 10]
 *     [--lock-samples 10000] [--lock-warmup 20] [--lock-peers corosync4j,jgroups] [--jgroups-locks-jar JAR]
 *     [--checkpoints 3] [--checkpoint-warmup 10] [--checkpoint-samples 5000] [--checkpoint-seconds 10]
 *     [--checkpoint-state-mib 100] [--checkpoint-section-kib 256] [--checkpoint-kills 5]
 *     [--checkpoint-peers corosync4j,jgroups] [--checkpoint-corosync4j udpu]
 *     [--checkpoint-parts writes,transfer,failover] [--events 3] [--event-warmup 10] [--event-seconds 10]
 *     [--event-window 256] [--event-rate 1000] [--event-latency-seconds 20] [--event-peers corosync4j,jgroups]
 *     [--event-corosync4j udpu] [--messages 3] [--message-warmup 10] [--message-seconds 10]
 *     [--message-window 1024] [--message-rate 1000] [--message-latency-seconds 20] [--message-samples 5000]
 *     [--message-peers corosync4j,jgroups] [--message-corosync4j udpu] [--message-prefetch 16]
 *     [--scale 3,8,16] [--scale-size 1024] [--scale-seconds 10] [--scale-warmup 60] [--scale-latency-warmup 10]
 *     [--scale-peers corosync4j,corosync,jgroups]
 *     [--failover 5] [--flood 60] [--startup 5]
 *     [--sample-jar sample-app/target/corosync4j-sample.jar] [--jvm-flags "-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch"]
 *     [--out DIR]
 * </pre>
 *
 * Each peer runs three members with one sender; after unmeasured rounds through the sizes for
 * {@code --warmup} seconds (a JVM's JIT compilation: three fresh JVMs sharing two busy cores with three
 * C clients still compile 45 s after the sender started), a size's rate is taken at the slower receiver
 * and only when every message arrived;
 * then 64-byte self-delivery latency with one message outstanding. {@code --corosync4j-ipc} runs Corosync's
 * side again with corosync4j launchers in the daemons' place, the C cpgbench reaching them through libcpg and
 * libqb IPC; the report compares those rows with the daemons' of the same setting. Prints a
 * markdown table (medians, min–max over the repetitions, the ratio of corosync4j to the best peer for
 * plain and for encrypted traffic) and writes it with the raw CSV to the output directory. Then
 * distributed locks ({@link LockBenchmark}: {@code --locks} runs per peer, uncontended lock+unlock latency
 * and contended grants per second on three members, corosync4j beside JGroups' CENTRAL_LOCK2), checkpoints
 * ({@link CheckpointBenchmark}: {@code --checkpoints} runs per peer of synchronous 1 KiB writes and of a state
 * transfer to a joining member, beside JGroups' ReplicatedHashMap, then corosync4j's stateful failover), event
 * channels ({@link EventBenchmark}: {@code --events} runs per peer of events/s with one and three publishers and
 * publish → deliver latency, beside a JGroups total-order channel), message queues ({@link MessageBenchmark}:
 * {@code --messages} runs per peer of messages/s through a round-robin group, send → handled latency and
 * request/reply, beside round robin on a JGroups total-order channel and RpcDispatcher calls), rings of more
 * members ({@link ScaleBenchmark}: {@code --scale} member counts, each peer's rate and latency per ring size
 * and how they grow), failover time ({@code --failover} kills per peer), memory under a 1 KiB flood
 * ({@code --flood} seconds) for corosync4j and Corosync, and the start-up time of Spring Boot applications with and without the starter
 * ({@code --startup} starts each, the sample's jar from {@code --sample-jar}); 0 skips any of them. An empty list skips a peer (e.g. {@code --corosync ""} on a
 * machine without the corosync package).
 */
public final class BenchmarkSuite {

	private static final String SETTINGS = "udpu,udpu-tuned,knet,knet-aes256,knet-aes256-tuned";

	/** The C cpgbench through libcpg against corosync4j launchers serving IPC in the daemons' place. */
	static final String IPC_PEER = "corosync4j via libcpg";

	private BenchmarkSuite() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>(Map.of("--sizes", "64,1024,16384,65536", "--seconds", "5",
				"--repetitions", "3", "--corosync4j", SETTINGS, "--corosync", SETTINGS,
				"--jgroups", "sequencer,sequencer-encrypt", "--out", "benchmark-results"));
		options.put("--corosync4j-ipc", "udpu,knet");
		options.put("--warmup", "60");
		options.put("--latency-warmup", "20");
		options.put("--locks", "3");
		options.put("--lock-seconds", "10");
		options.put("--lock-samples", "10000");
		options.put("--lock-warmup", "20");
		options.put("--lock-peers", "corosync4j,jgroups");
		options.put("--jgroups-locks-jar", "");
		options.putAll(CheckpointBenchmark.defaults());
		options.putAll(EventBenchmark.defaults());
		options.putAll(MessageBenchmark.defaults());
		options.putAll(ScaleBenchmark.defaults());
		options.put("--failover", "5");
		options.put("--flood", "60");
		options.put("--startup", "5");
		options.put("--sample-jar", "sample-app/target/corosync4j-sample.jar");
		options.put("--jvm-flags", String.join(" ", Peers.HEAP_FLAGS));
		for (int i = 0; i < args.length; i += 2) {
			if (!options.containsKey(args[i]) || i + 1 >= args.length) {
				System.err.println("unknown option or missing value: " + args[i] + "; options: " + options.keySet());
				System.exit(2);
			}
			options.put(args[i], args[i + 1]);
		}
		List<Integer> sizes = Arrays.stream(options.get("--sizes").split(",")).map(Integer::valueOf).toList();
		int seconds = Integer.parseInt(options.get("--seconds"));
		int repetitions = Integer.parseInt(options.get("--repetitions"));
		Path out = Files.createDirectories(Path.of(options.get("--out")));
		byte[] key = new byte[256];
		new Random(2026).nextBytes(key);
		List<String> heapFlags = Arrays.stream(options.get("--jvm-flags").trim().split("\\s+"))
			.filter((flag) -> !flag.isEmpty())
			.toList();
		Peers peers = new Peers(Files.createTempDirectory("corosync4j-bench"), sizes, seconds, key,
				Integer.parseInt(options.get("--warmup")), Integer.parseInt(options.get("--latency-warmup")))
			.withHeapFlags(heapFlags);
		try {
			measure(options, peers, sizes, seconds, repetitions, key, out);
		}
		finally {
			Peers.deleteTree(peers.directory());
		}
	}

	private static void measure(Map<String, String> options, Peers peers, List<Integer> sizes, int seconds,
			int repetitions, byte[] key, Path out) throws Exception {
		List<Row> rows = new ArrayList<>();
		for (int repetition = 1; repetition <= repetitions; repetition++) {
			for (String setting : list(options.get("--corosync4j"))) {
				rows.add(run("corosync4j", setting, repetition, peers, () -> peers.corosync4j(setting)));
			}
			for (String setting : list(options.get("--corosync"))) {
				rows.add(run("Corosync 3.1.7", setting, repetition, peers, () -> peers.corosync(setting)));
			}
			for (String setting : list(options.get("--corosync4j-ipc"))) {
				rows.add(run(IPC_PEER, setting, repetition, peers, () -> peers.corosync4jIpc(setting)));
			}
			for (String setting : list(options.get("--jgroups"))) {
				rows.add(run("JGroups " + org.jgroups.Version.printVersion(), setting, repetition, peers,
						() -> peers.jgroups(setting)));
			}
		}
		StringBuilder table = new StringBuilder(
				Report.markdown(rows, sizes, repetitions, seconds, peers.warmupSeconds(), machine(peers.jvmFlags())));
		table.append(LockBenchmark.fromOptions(options, peers));
		table.append(CheckpointBenchmark.fromOptions(options, peers));
		table.append(EventBenchmark.fromOptions(options, peers));
		table.append(MessageBenchmark.fromOptions(options, peers));
		table.append(ScaleBenchmark.fromOptions(options, peers));
		boolean withCorosync = !list(options.get("--corosync")).isEmpty();
		int kills = Integer.parseInt(options.get("--failover"));
		if (kills > 0) {
			table.append(failover(peers, kills, withCorosync, !list(options.get("--jgroups")).isEmpty()));
		}
		int floodSeconds = Integer.parseInt(options.get("--flood"));
		if (floodSeconds > 0) {
			table.append(flood(new Peers(peers.directory(), List.of(1024), floodSeconds, key, 0, 0)
				.withHeapFlags(peers.heapFlags()), floodSeconds, withCorosync));
		}
		int starts = Integer.parseInt(options.get("--startup"));
		if (starts > 0) {
			table.append(startup(new Startup(Path.of(options.get("--sample-jar")), peers.directory(), starts), starts));
		}
		System.out.println();
		System.out.println(table);
		Files.writeString(out.resolve("results.md"), table);
		Files.writeString(out.resolve("results.csv"), Report.csv(rows));
		System.out.println("written: " + out.resolve("results.md") + ", " + out.resolve("results.csv"));
	}

	/** SIGKILL of a member until both survivors deliver the new ring, {@code kills} times per peer. */
	private static String failover(Peers peers, int kills, boolean withCorosync, boolean withJGroups)
			throws InterruptedException {
		Failover failover = new Failover(peers.directory(), kills);
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n### Failover%n%nSIGKILL of member 3 of "
				+ "three (udpu, token 1000 ms), %d ms after the ring was synchronized, until both survivors delivered "
				+ "the two-member ring, %d times; Totem's bound is token + consensus = %,d ms (+10 %%: %,d ms). JGroups: "
				+ "its plain stack, until both survivors installed the two-member view.%n%n"
				+ "| peer | median ms | min–max ms |%n|---|---:|---:|%n", Failover.KILL_AFTER_SYNC_MILLIS, kills,
				Failover.TOTEM_BOUND_MILLIS, Failover.TOTEM_BOUND_MILLIS * 11 / 10));
		out.append(failoverRow("corosync4j", () -> failover.corosync4j(peers), peers));
		if (withCorosync) {
			out.append(failoverRow("Corosync 3.1.7", failover::corosync, peers));
		}
		if (withJGroups) {
			out.append(failoverRow("JGroups " + org.jgroups.Version.printVersion(), () -> failover.jgroups(peers), peers));
		}
		return out.toString();
	}

	private static String failoverRow(String peer, Kills kills, Peers peers) throws InterruptedException {
		System.out.printf("# failover, %s%n", peer);
		try {
			List<Long> millis = kills.measure();
			System.out.printf("#   %s ms%n", millis);
			double[] values = millis.stream().mapToDouble(Long::doubleValue).toArray();
			return String.format(Locale.ROOT, "| %s | %,.0f | %,.0f–%,.0f |%n", peer, Report.median(values),
					Arrays.stream(values).min().orElse(0), Arrays.stream(values).max().orElse(0));
		}
		catch (Exception ex) {
			System.out.printf("#   failed: %s%n", ex.getMessage());
			return "| " + peer + " | failed: " + String.valueOf(ex.getMessage()).replace('|', '/').replace('\n', ' ')
					+ " | |\n";
		}
		finally {
			peers.cleanUp();
		}
	}

	@FunctionalInterface
	private interface Kills {

		List<Long> measure() throws Exception;

	}

	@FunctionalInterface
	private interface Footprints {

		List<Footprint> measure() throws Exception;

	}

	/** Memory and GC of a sender and a receiver under a flood of 1 KiB messages. */
	private static String flood(Peers peers, int seconds, boolean withCorosync) throws InterruptedException {
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n### Memory under a flood%n%n"
				+ "One sender of 1 KiB messages for %d s, udpu, three members. Resident set sampled every 200 ms; "
				+ "for the JVMs (the flags above, but %s without pre-touching, so that the resident set is what "
				+ "is used) the GC log's pauses and the largest heap left after a collection.%n%n"
				+ "| peer | process | peak RSS MiB | GC pauses | longest pause ms | live heap MiB |%n"
				+ "|---|---|---:|---:|---:|---:|%n", seconds, Peers.FOOTPRINT_HEAP));
		out.append(floodRows("corosync4j", () -> peers.corosync4jFlood("udpu"), peers));
		if (withCorosync) {
			out.append(floodRows("Corosync 3.1.7", () -> peers.corosyncFlood("udpu"), peers));
		}
		return out.toString();
	}

	private static String floodRows(String peer, Footprints footprints, Peers peers) throws InterruptedException {
		System.out.printf("# flood, %s%n", peer);
		try {
			StringBuilder rows = new StringBuilder();
			for (Footprint footprint : footprints.measure()) {
				System.out.printf("#   %s%n", footprint);
				rows.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %s | %s |%n", peer, footprint.role(),
						footprint.peakRssMiB(), (footprint.collections() < 0) ? "–" : footprint.collections(),
						(footprint.collections() < 0) ? "–" : String.format(Locale.ROOT, "%.1f", footprint.longestPauseMillis()),
						(footprint.collections() < 0) ? "–" : footprint.liveHeapMiB()));
			}
			return rows.toString();
		}
		catch (Exception ex) {
			System.out.printf("#   failed: %s%n", ex.getMessage());
			return "| " + peer + " | failed: " + String.valueOf(ex.getMessage()).replace('|', '/').replace('\n', ' ')
					+ " | | | | |\n";
		}
		finally {
			peers.cleanUp();
		}
	}

	/** JVM start to Spring Boot's "Started" line, with and without the starter. */
	private static String startup(Startup startup, int starts) {
		System.out.println("# start-up time");
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n### Start-up time%n%nFrom the JVM's "
				+ "start to Spring Boot's \"Started\" line (its \"process running for\"), %d starts each, every one "
				+ "in a fresh JVM with the default flags, on the sample's class path (extracted from its jar).%n%n"
				+ "| application | class path | median ms | min–max ms |%n|---|---|---:|---:|%n", starts));
		try {
			for (Startup.Result result : startup.measure()) {
				System.out.printf("#   %s, %s: %s ms%n", result.application(), result.classPath(), result.millis());
				double[] values = result.millis().stream().mapToDouble(Long::doubleValue).toArray();
				out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f–%,.0f |%n", result.application(),
						result.classPath(), Report.median(values), Arrays.stream(values).min().orElse(0),
						Arrays.stream(values).max().orElse(0)));
			}
		}
		catch (Exception ex) {
			System.out.printf("#   failed: %s%n", ex.getMessage());
			out.append("| failed: ").append(String.valueOf(ex.getMessage()).replace('|', '/').replace('\n', ' '))
				.append(" | | | |\n");
		}
		return out.toString();
	}

	/** The non-empty items of a comma-separated option. */
	static List<String> list(String text) {
		return Arrays.stream(text.split(",")).map(String::trim).filter((s) -> !s.isEmpty()).toList();
	}

	/** One measured peer and setting; a run that fails is kept with its error, never dropped silently. */
	record Row(String peer, String setting, int repetition, Measurement measurement, String error,
			double stolenPercent) {

		boolean encrypted() {
			return this.setting.contains("aes") || this.setting.contains("encrypt");
		}

	}

	@FunctionalInterface
	interface Run {

		Measurement measure() throws Exception;

	}

	private static Row run(String peer, String setting, int repetition, Peers peers, Run run)
			throws InterruptedException {
		System.out.printf("# %s %s, repetition %d%n", peer, setting, repetition);
		return measured(peer, setting, repetition, peers, run);
	}

	/**
	 * One measurement with the share of the CPU the hypervisor stole meanwhile, its figures printed; a failure is
	 * kept with its error, and whatever the run left running is ended.
	 */
	static Row measured(String peer, String setting, int repetition, Peers peers, Run run) throws InterruptedException {
		long[] before = HostSteal.sample();
		try {
			Measurement measurement = run.measure();
			double stolen = HostSteal.percent(before, HostSteal.sample());
			System.out.printf(Locale.ROOT, "#   %s; latency p50/p90/p99 %s µs; %.1f %% of the CPU stolen%n",
					measurement.rates(), Arrays.toString(measurement.latencyMicros()), stolen);
			return new Row(peer, setting, repetition, measurement, "", stolen);
		}
		catch (Exception ex) {
			System.out.printf("#   failed: %s%n", ex.getMessage());
			return new Row(peer, setting, repetition, null, String.valueOf(ex.getMessage()),
					HostSteal.percent(before, HostSteal.sample()));
		}
		finally {
			peers.cleanUp();
		}
	}

	/** A row of the suite measured on its own: its section, from the options and a set of peers. */
	interface AloneRow {

		String measure(Map<String, String> options, Peers peers) throws InterruptedException;

	}

	/**
	 * Runs one row from the command line: {@code args} as {@code --option value} pairs over
	 * {@code defaults} (and {@code --out}), the section printed and written to {@code file} in the output
	 * directory; an unknown option ends the JVM with status 2.
	 */
	static void runAlone(String[] args, Map<String, String> defaults, String file, AloneRow row) throws Exception {
		Map<String, String> options = new LinkedHashMap<>(defaults);
		options.putIfAbsent("--out", "benchmark-results");
		for (int i = 0; i < args.length; i += 2) {
			if (!options.containsKey(args[i]) || i + 1 >= args.length) {
				System.err.println("unknown option or missing value: " + args[i] + "; options: " + options.keySet());
				System.exit(2);
			}
			options.put(args[i], args[i + 1]);
		}
		Path out = Files.createDirectories(Path.of(options.get("--out")));
		Peers peers = new Peers(Files.createTempDirectory("corosync4j-bench"), List.of(64), 1, new byte[256], 0, 0);
		String section;
		try {
			section = row.measure(options, peers);
		}
		finally {
			Peers.deleteTree(peers.directory());
		}
		String text = "Machine: " + machine(peers.jvmFlags()) + "\n" + section;
		System.out.println();
		System.out.println(text);
		Files.writeString(out.resolve(file), text);
		System.out.println("written: " + out.resolve(file));
	}

	/** What the table's numbers depend on, with the flags of the JVMs that made them. */
	static String machine(List<String> jvmFlags) throws IOException, InterruptedException {
		String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
			.filter((line) -> line.startsWith("model name"))
			.map((line) -> line.substring(line.indexOf(':') + 1).trim())
			.findFirst()
			.orElse("unknown CPU");
		String kernel = InteropCluster.run(List.of("uname", "-r")).trim();
		String corosync = InteropCluster.run(List.of("sh", "-c", "corosync -v 2>/dev/null | head -1")).trim();
		return String.format(Locale.ROOT, "%d CPUs (%s), Linux %s, Java %s (%s), %s, JVM flags %s",
				Runtime.getRuntime().availableProcessors(), cpu, kernel, System.getProperty("java.version"),
				System.getProperty("java.vm.name"), corosync.isEmpty() ? "no corosync" : corosync,
				String.join(" ", jvmFlags));
	}

	/** Tables from the rows. */
	static final class Report {

		private Report() {
		}

		static String markdown(List<Row> rows, List<Integer> sizes, int repetitions, int seconds, int warmupSeconds,
				String machine) {
			StringBuilder out = new StringBuilder();
			out.append("Machine: ").append(machine).append("\n\n");
			out.append(String.format(Locale.ROOT,
					"3 members, one sender, %d s per size after %d s of the sizes in turn unmeasured, rate at the slower "
							+ "receiver with every message delivered; median (min–max) of %d repetitions; the share of the "
							+ "CPU the hypervisor took during each run, from /proc/stat.%n%n", seconds, warmupSeconds,
					repetitions));
			out.append("| peer | setting | ");
			for (int size : sizes) {
				out.append(sizeText(size)).append(" msgs/s | ");
			}
			out.append("64 B latency p50 / p99 µs | CPU stolen % |\n|---|---|");
			out.append("---:|".repeat(sizes.size() + 2)).append('\n');
			Map<String, List<Row>> grouped = new LinkedHashMap<>();
			for (Row row : rows) {
				grouped.computeIfAbsent(row.peer() + "\u0000" + row.setting(), (k) -> new ArrayList<>()).add(row);
			}
			for (List<Row> group : grouped.values()) {
				Row first = group.get(0);
				out.append("| ").append(first.peer()).append(" | ").append(first.setting()).append(" | ");
				List<Row> measured = group.stream().filter((r) -> r.measurement() != null).toList();
				if (measured.isEmpty()) {
					out.append("failed: ").append(first.error().replace('|', '/').replace('\n', ' '));
					out.append(" |".repeat(sizes.size() + 2)).append('\n');
					continue;
				}
				for (int size : sizes) {
					double[] values = measured.stream()
						.mapToDouble((r) -> r.measurement().rates().getOrDefault(size, 0.0))
						.toArray();
					out.append(spread(values, "%,.0f")).append(" (").append(String.format(Locale.ROOT, "%.1f",
							median(values) * size / 1e6)).append(" MB/s) | ");
				}
				double[] p50 = measured.stream().mapToDouble((r) -> r.measurement().latencyMicros()[0]).toArray();
				double[] p99 = measured.stream().mapToDouble((r) -> r.measurement().latencyMicros()[2]).toArray();
				out.append(spread(p50, "%,.0f")).append(" / ").append(spread(p99, "%,.0f")).append(" | ");
				double[] stolen = measured.stream().mapToDouble(Row::stolenPercent).filter((v) -> v >= 0).toArray();
				out.append((stolen.length > 0) ? spread(stolen, "%.1f") : "–").append(" |\n");
			}
			out.append("\nRatio of corosync4j (its best setting) to the best other peer, by median:\n\n");
			out.append("| traffic | ");
			for (int size : sizes) {
				out.append(sizeText(size)).append(" | ");
			}
			out.append("p50 | p99 |\n|---|").append("---:|".repeat(sizes.size() + 2)).append('\n');
			for (boolean encrypted : new boolean[] { false, true }) {
				out.append("| ").append(encrypted ? "encrypted" : "plain").append(" | ");
				for (int size : sizes) {
					out.append(ratio(rows, encrypted, (r) -> r.measurement().rates().getOrDefault(size, 0.0), true))
						.append(" | ");
				}
				out.append(ratio(rows, encrypted, (r) -> (double) r.measurement().latencyMicros()[0], false)).append(" | ");
				out.append(ratio(rows, encrypted, (r) -> (double) r.measurement().latencyMicros()[2], false)).append(" |\n");
			}
			out.append("\nA ratio above 1 means corosync4j is ahead (for latency: the peer's time divided by ours).\n");
			out.append(ipcComparison(rows, sizes));
			return out.toString();
		}

		/**
		 * The IPC path alone: the same C client through libcpg against a corosync4j launcher and against the
		 * daemon, per setting both ran, by median (above 1: the Java node ahead).
		 */
		static String ipcComparison(List<Row> rows, List<Integer> sizes) {
			StringBuilder out = new StringBuilder();
			Map<String, List<Row>> java = bySetting(rows, IPC_PEER);
			Map<String, List<Row>> daemon = bySetting(rows, "Corosync 3.1.7");
			for (Map.Entry<String, List<Row>> entry : java.entrySet()) {
				// the daemon on the node's transport, then (for a node on shared memory) the daemon on sockets
				for (String setting : List.of(entry.getKey(), entry.getKey() + Peers.SOCKET_IPC)) {
					List<Row> theirs = daemon.get(setting);
					if (theirs == null) {
						continue;
					}
					if (out.length() == 0) {
						out.append("\nThe C cpgbench through libcpg: a corosync4j launcher's IPC against the daemon's ")
							.append("(a setting ending in ").append(Peers.SOCKET_IPC)
							.append(": libqb's sockets instead of shared memory), by median (above 1: corosync4j ")
							.append("ahead):\n\n| setting | ");
						for (int size : sizes) {
							out.append(sizeText(size)).append(" | ");
						}
						out.append("p50 | p99 |\n|---|").append("---:|".repeat(sizes.size() + 2)).append('\n');
					}
					out.append("| ").append(setting).append(" | ");
					for (int size : sizes) {
						out.append(quotient(entry.getValue(), theirs,
								(r) -> r.measurement().rates().getOrDefault(size, 0.0), true)).append(" | ");
					}
					out.append(quotient(entry.getValue(), theirs, (r) -> (double) r.measurement().latencyMicros()[0], false))
						.append(" | ");
					out.append(quotient(entry.getValue(), theirs, (r) -> (double) r.measurement().latencyMicros()[2], false))
						.append(" |\n");
				}
			}
			return out.toString();
		}

		private static Map<String, List<Row>> bySetting(List<Row> rows, String peer) {
			Map<String, List<Row>> settings = new LinkedHashMap<>();
			for (Row row : rows) {
				if (row.peer().equals(peer) && row.measurement() != null) {
					settings.computeIfAbsent(row.setting(), (k) -> new ArrayList<>()).add(row);
				}
			}
			return settings;
		}

		private static String quotient(List<Row> ours, List<Row> theirs, java.util.function.ToDoubleFunction<Row> value,
				boolean higherIsBetter) {
			double a = median(ours.stream().mapToDouble(value).toArray());
			double b = median(theirs.stream().mapToDouble(value).toArray());
			if (a == 0 || b == 0) {
				return "–";
			}
			return String.format(Locale.ROOT, "%.2f", higherIsBetter ? a / b : b / a);
		}

		/** corosync4j's best median against the best median of the other peers, with the winner named. */
		private static String ratio(List<Row> rows, boolean encrypted, java.util.function.ToDoubleFunction<Row> value,
				boolean higherIsBetter) {
			Map<String, List<Double>> byPeer = new LinkedHashMap<>();
			for (Row row : rows) {
				if (row.measurement() != null && row.encrypted() == encrypted) {
					byPeer.computeIfAbsent(row.peer() + " " + row.setting(), (k) -> new ArrayList<>())
						.add(value.applyAsDouble(row));
				}
			}
			String ours = null;
			double oursValue = 0;
			String best = null;
			double bestValue = 0;
			for (Map.Entry<String, List<Double>> entry : byPeer.entrySet()) {
				double median = median(entry.getValue().stream().mapToDouble(Double::doubleValue).toArray());
				boolean corosync4j = entry.getKey().startsWith("corosync4j ");
				if (corosync4j && (ours == null || better(median, oursValue, higherIsBetter))) {
					ours = entry.getKey();
					oursValue = median;
				}
				if (!corosync4j && (best == null || better(median, bestValue, higherIsBetter))) {
					best = entry.getKey();
					bestValue = median;
				}
			}
			if (ours == null || best == null || oursValue == 0 || bestValue == 0) {
				return "–";
			}
			double ratio = higherIsBetter ? oursValue / bestValue : bestValue / oursValue;
			return String.format(Locale.ROOT, "%.2f vs %s", ratio, best);
		}

		private static boolean better(double a, double b, boolean higherIsBetter) {
			return higherIsBetter ? a > b : a < b;
		}

		static String csv(List<Row> rows) {
			StringBuilder out = new StringBuilder("peer,setting,repetition,size,msgs_per_s,latency_p50_us,latency_p90_us,"
					+ "latency_p99_us,stolen_pct,error\n");
			for (Row row : rows) {
				if (row.measurement() == null) {
					out.append(String.format(Locale.ROOT, "%s,%s,%d,,,,,,%s,\"%s\"%n", row.peer(), row.setting(),
							row.repetition(), stolen(row), row.error().replace('"', '\'')));
					continue;
				}
				long[] latency = row.measurement().latencyMicros();
				String percentiles = latency[0] + "," + latency[1] + "," + latency[2];
				for (Map.Entry<Integer, Double> rate : row.measurement().rates().entrySet()) {
					out.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.1f,%s,%s,%n", row.peer(), row.setting(),
							row.repetition(), rate.getKey(), rate.getValue(), percentiles, stolen(row)));
				}
			}
			return out.toString();
		}

		/** The steal share for the CSV: empty where it could not be read. */
		private static String stolen(Row row) {
			return (row.stolenPercent() < 0) ? "" : String.format(Locale.ROOT, "%.1f", row.stolenPercent());
		}

		static String spread(double[] values, String format) {
			if (values.length == 1) {
				return String.format(Locale.ROOT, format, values[0]);
			}
			TreeSet<Double> sorted = new TreeSet<>();
			for (double value : values) {
				sorted.add(value);
			}
			return String.format(Locale.ROOT, format, median(values)) + " (" + String.format(Locale.ROOT, format, sorted.first())
					+ "–" + String.format(Locale.ROOT, format, sorted.last()) + ")";
		}

		static double median(double[] values) {
			double[] sorted = values.clone();
			Arrays.sort(sorted);
			int middle = sorted.length / 2;
			return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
		}

		static String sizeText(int size) {
			return JGroupsBench.sizeText(size);
		}

	}

}
