package io.corosync4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Distributed locks side by side: corosync4j's lock service ({@code CorosyncNode.locks()}) and JGroups'
 * ({@code CENTRAL_LOCK2} with {@code LockService}), three members each in separate JVMs with the suite's
 * flags, as the suite's other rows run. Corosync 3 has no lock service to measure.
 *
 * <ul>
 * <li>Uncontended: one member locks and unlocks a resource nobody else uses, for {@code --lock-warmup}
 * seconds, then {@code --lock-samples} more times, each timed from the request until the release was
 * applied; p50, p90, p99. For JGroups a member that is not the coordinator: on the coordinator a lock
 * never leaves the JVM.</li>
 * <li>Contended: all three loop lock and unlock on one resource, {@code --lock-warmup} seconds unmeasured,
 * then grants per second over {@code --lock-seconds}. Every holder enters a {@link LockExclusion} file
 * while it holds the lock; a second holder, a lost update or (corosync4j) a fencing token that did not
 * grow fails the run.</li>
 * </ul>
 *
 * Part of {@link BenchmarkSuite} ({@code --locks N}, 0 skips); on its own:
 *
 * <pre>
 * java -cp 'corosync-benchmarks/target/lib/*:corosync-benchmarks/target/corosync4j-benchmarks.jar' \
 *     io.corosync4j.benchmarks.LockBenchmark [--locks 3] [--lock-seconds 10] [--lock-samples 10000]
 *     [--lock-warmup 20] [--lock-peers corosync4j,jgroups] [--jgroups-locks-jar JAR] [--out DIR]
 * </pre>
 *
 * JGroups removed its lock service in 5.4 (JGRP-2786): its members run JGroups 5.3, the last line with
 * one, from the jar the build copies to {@code target/jgroups-locks/} ({@code --jgroups-locks-jar}), in
 * a network namespace as the suite's JGroups rows (as root).
 */
public final class LockBenchmark {

	static final int MEMBERS = 3;

	/** How long members may take to form their group and hold a lock table. */
	private static final long READY_SECONDS = 120;

	private static final Pattern SPLIT = Pattern.compile("lock p50 (\\d+) .s, unlock p50 (\\d+) .s");

	private static final Pattern CONTENDED = Pattern.compile("contended (\\d+): grants (\\d+), violations (\\d+)");

	private final Peers peers;

	private final int warmupSeconds;

	private final int samples;

	private final int seconds;

	private final @Nullable Path jgroupsJar;

	/**
	 * @param jgroupsJar a JGroups jar with {@code CENTRAL_LOCK2}; {@code null} for the one the build copied
	 * beside this module's classes
	 */
	LockBenchmark(Peers peers, int warmupSeconds, int samples, int seconds, @Nullable Path jgroupsJar) {
		if (samples < 100 || seconds < 1 || warmupSeconds < 0) {
			throw new IllegalArgumentException("at least 100 samples and 1 s of contention, a warm-up of 0 s or more");
		}
		this.peers = peers;
		this.warmupSeconds = warmupSeconds;
		this.samples = samples;
		this.seconds = seconds;
		this.jgroupsJar = jgroupsJar;
	}

	public static void main(String[] args) throws Exception {
		BenchmarkSuite.runAlone(args, Map.of("--locks", "3", "--lock-seconds", "10", "--lock-samples", "10000",
				"--lock-warmup", "20", "--lock-peers", "corosync4j,jgroups", "--jgroups-locks-jar", ""), "locks.md",
				LockBenchmark::fromOptions);
	}

	/** The lock section as the suite's options ask for it; empty with {@code --locks 0}. */
	static String fromOptions(Map<String, String> options, Peers peers) throws InterruptedException {
		int runs = Integer.parseInt(options.get("--locks"));
		if (runs <= 0) {
			return "";
		}
		String jar = options.get("--jgroups-locks-jar");
		LockBenchmark benchmark = new LockBenchmark(peers, Integer.parseInt(options.get("--lock-warmup")),
				Integer.parseInt(options.get("--lock-samples")), Integer.parseInt(options.get("--lock-seconds")),
				jar.isEmpty() ? null : Path.of(jar));
		List<String> which = Arrays.stream(options.get("--lock-peers").split(",")).map(String::trim)
			.filter((s) -> !s.isEmpty())
			.toList();
		return benchmark.section(runs, which);
	}

	// ---------------------------------------------------------------------------------------------
	// The runs

	/** One peer's lock figures from one run. */
	/**
	 * One peer's lock figures from one run.
	 * @param uncontendedMicros p50, p90, p99 of lock+unlock
	 * @param splitMicros p50 of the lock alone and of the unlock alone
	 * @param grantsPerSecond contended grants per second, all members together
	 * @param handoffShare the share of those grants that went to another member than the previous holder
	 * @param memberGrants each member's contended grants in the measured window
	 * @param coordinator the member (1 to 3) where the service decides, 0 where none does
	 * @param checkedGrants every contended grant, warm-up included, each checked for exclusion
	 */
	record Result(long[] uncontendedMicros, long[] splitMicros, double grantsPerSecond, double handoffShare,
			long[] memberGrants, int coordinator, long checkedGrants) {
	}

	/** One run of one peer; a run that fails is kept with its error. */
	record Run(String peer, String service, int repetition, @Nullable Result result, String error,
			double stolenPercent, double loadAverage) {
	}

	@FunctionalInterface
	private interface Measure {

		Result measure() throws Exception;

	}

	/** {@code runs} runs of each of {@code which} (corosync4j, jgroups), then the markdown section. */
	String section(int runs, List<String> which) throws InterruptedException {
		for (String peer : which) {
			if (!List.of("corosync4j", "jgroups").contains(peer)) {
				throw new IllegalArgumentException("no such lock peer: " + peer + " (corosync4j, jgroups)");
			}
		}
		List<Run> results = new ArrayList<>();
		for (int repetition = 1; repetition <= runs; repetition++) {
			if (which.contains("corosync4j")) {
				results.add(run("corosync4j", "LockService, udpu", repetition, this::corosync4j));
			}
			if (which.contains("jgroups")) {
				String label = "JGroups " + jgroupsVersion();
				results.add(run(label, "CENTRAL_LOCK2 + LockService", repetition, this::jgroups));
			}
		}
		return markdown(results, runs, this.warmupSeconds, this.samples, this.seconds);
	}

	private Run run(String peer, String service, int repetition, Measure measure) throws InterruptedException {
		String load = loadAverage();
		System.out.printf("# locks, %s, run %d; load average %s%n", peer, repetition, load);
		double oneMinute = load.isEmpty() ? -1 : Double.parseDouble(load.split(" ")[0]);
		long[] before = HostSteal.sample();
		try {
			Result result = measure.measure();
			double stolen = HostSteal.percent(before, HostSteal.sample());
			System.out.printf(Locale.ROOT,
					"#   uncontended p50/p90/p99 %s µs (lock p50 %d µs, unlock p50 %d µs); contended %,.0f grants/s "
							+ "(%.0f %% to another member), per member %s%s, %,d grants checked; %.1f %% of the CPU stolen%n",
					Arrays.toString(result.uncontendedMicros()), result.splitMicros()[0], result.splitMicros()[1],
					result.grantsPerSecond(), 100 * result.handoffShare(), Arrays.toString(result.memberGrants()),
					(result.coordinator() > 0) ? " (coordinator: member " + result.coordinator() + ")" : "",
					result.checkedGrants(), stolen);
			return new Run(peer, service, repetition, result, "", stolen, oneMinute);
		}
		catch (Exception ex) {
			System.out.printf("#   failed: %s%n", ex.getMessage());
			return new Run(peer, service, repetition, null, String.valueOf(ex.getMessage()),
					HostSteal.percent(before, HostSteal.sample()), oneMinute);
		}
		finally {
			this.peers.cleanUp();
		}
	}

	/** Three corosync4j JVMs on loopback addresses, udpu, token 1000 ms: the suite's {@code udpu} setting. */
	Result corosync4j() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "locks-corosync4j-");
		List<Path> configs = this.peers.corosync4jConfigs(home, "udpu");
		List<Member> members = new ArrayList<>();
		for (int node = 1; node <= MEMBERS; node++) {
			members.add(new Member(node, this.peers.java(Corosync4jLockMember.class, configs.get(node - 1).toString(),
					"127.0.0." + node, Integer.toString(MEMBERS))));
		}
		return measure(home, members, false);
	}

	/** Three JGroups 5.3 JVMs with CENTRAL_LOCK2 in a namespace of their own. */
	Result jgroups() throws Exception {
		Path jar = jgroupsJar();
		Path home = Files.createTempDirectory(this.peers.directory(), "locks-jgroups-");
		Path config = home.resolve("jgroups-locks.xml");
		Files.writeString(config, jgroupsConfig());
		String classPath = codeLocation() + ":" + jar;
		String namespace = Peers.multicastNamespace();
		try {
			List<Member> members = new ArrayList<>();
			for (int index = 1; index <= MEMBERS; index++) {
				members.add(new Member(index, this.peers.javaIn(namespace, classPath, JGroupsLockMember.class,
						config.toString(), Integer.toString(MEMBERS))));
			}
			return measure(home, members, true);
		}
		finally {
			Peers.deleteNamespace(namespace);
		}
	}

	/**
	 * JGroups' stack of the suite's JGroups rows (the same UDP transport on a namespace's loopback, the same
	 * failure detection) without SEQUENCER, which locks do not use, and with {@code CENTRAL_LOCK2} on top,
	 * where JGroups' documentation put its locking protocols. JGroups 5.3's per-destination bundler lacks
	 * the suite's three ring-buffer attributes; lock messages skip the bundler anyway
	 * ({@code bypass_bundling}, on by default).
	 */
	static String jgroupsConfig() {
		return "<config xmlns=\"urn:org:jgroups\">\n"
				+ "  <UDP bind_addr=\"127.0.0.1\" mcast_addr=\"239.8.8.8\" mcast_port=\"45588\" ip_ttl=\"0\"\n"
				+ "       bundler_type=\"pd\" bundler.max_size=\"64K\"\n"
				+ "       message_processing_policy=\"max\" diag.enabled=\"false\"\n"
				+ "       thread_pool.min_threads=\"0\" thread_pool.max_threads=\"200\" use_virtual_threads=\"true\"/>\n"
				+ "  <PING/>\n  <MERGE3/>\n  <FD_SOCK2/>\n  <FD_ALL3 timeout=\"60s\" interval=\"5s\"/>\n"
				+ "  <VERIFY_SUSPECT timeout=\"5s\"/>\n"
				+ "  <pbcast.NAKACK2/>\n  <UNICAST3/>\n  <pbcast.STABLE/>\n  <pbcast.GMS/>\n  <UFC/>\n"
				+ "  <MFC/>\n  <FRAG2/>\n  <CENTRAL_LOCK2/>\n</config>\n";
	}

	/**
	 * Waits for the members, times the uncontended member (the first; with {@code notCoordinator}, the first
	 * that is not where the service decides), then contends with all of them.
	 */
	private Result measure(Path home, List<Member> members, boolean notCoordinator) throws Exception {
		Member solo = null;
		int coordinator = 0;
		for (Member member : members) {
			String ready = member.await("ready ", READY_SECONDS);
			boolean decides = notCoordinator && ready.contains("coordinator=true");
			if (decides) {
				coordinator = member.index;
			}
			else if (solo == null) {
				solo = member;
			}
		}
		if (solo == null) {
			throw new IllegalStateException("every member says it is the coordinator");
		}
		solo.send("uncontended " + this.warmupSeconds + " " + this.samples);
		String uncontended = solo.await("uncontended ",
				this.warmupSeconds + this.samples * LockMember.BOUND_SECONDS / 1000 + 2 * LockMember.BOUND_SECONDS);
		long[] micros = Measurement.latency(uncontended);
		Matcher parts = SPLIT.matcher(uncontended);
		long[] split = parts.find() ? new long[] { Long.parseLong(parts.group(1)), Long.parseLong(parts.group(2)) }
				: new long[] { -1, -1 };
		Path file = home.resolve("exclusion");
		try (LockExclusion exclusion = LockExclusion.create(file)) {
			for (Member member : members) {
				member.send("contended " + file + " " + member.index);
			}
			TimeUnit.SECONDS.sleep(this.warmupSeconds);
			LockExclusion.Counts before = exclusion.counts();
			long started = System.nanoTime();
			TimeUnit.SECONDS.sleep(this.seconds);
			LockExclusion.Counts after = exclusion.counts();
			double elapsed = (System.nanoTime() - started) / 1e9;
			for (Member member : members) {
				member.send("stop");
			}
			long grants = 0;
			long seenByMembers = 0;
			for (Member member : members) {
				Matcher result = CONTENDED.matcher(member.await("contended ", 2 * LockMember.BOUND_SECONDS + 10));
				if (!result.find()) {
					throw new IllegalStateException("member " + member.index + " reported no grants");
				}
				grants += Long.parseLong(result.group(2));
				seenByMembers += Long.parseLong(result.group(3));
			}
			LockExclusion.Counts end = exclusion.counts();
			checkExclusion(members, end, grants, seenByMembers);
			for (Member member : members) {
				member.send("quit");
			}
			for (Member member : members) {
				member.exit();
			}
			long measured = after.entries() - before.entries();
			long[] perMember = new long[members.size()];
			for (Member member : members) {
				perMember[member.index - 1] = after.perMember()[member.index] - before.perMember()[member.index];
			}
			double handoffs = (measured > 0) ? (after.handoffs() - before.handoffs()) / (double) measured : 0;
			return new Result(micros, split, measured / elapsed, handoffs, perMember, coordinator, end.entries());
		}
	}

	/**
	 * Fails the run, loudly, if any member saw a second holder or a fencing token going back, if entries
	 * were lost (two holders incrementing at once) or if someone is still inside.
	 */
	static void checkExclusion(List<Member> members, LockExclusion.Counts end, long grants, long seenByMembers) {
		List<String> problems = new ArrayList<>();
		if (end.violations() > 0 || seenByMembers > 0) {
			problems.add(end.violations() + " violations");
		}
		if (end.entries() != grants) {
			problems.add("the members were granted " + grants + " locks but entered " + end.entries() + " times");
		}
		if (end.holder() != 0) {
			problems.add("member " + end.holder() + " is still inside after every member stopped");
		}
		if (problems.isEmpty()) {
			return;
		}
		List<String> lines = new ArrayList<>();
		for (Member member : members) {
			member.output().stream().filter((line) -> line.startsWith("VIOLATION")).limit(5)
				.forEach((line) -> lines.add("member " + member.index + ": " + line));
		}
		String message = "MUTUAL EXCLUSION VIOLATED: " + String.join("; ", problems)
				+ (lines.isEmpty() ? "" : "\n" + String.join("\n", lines));
		System.out.println("#   !!! " + message.replace("\n", "\n#   !!! "));
		throw new IllegalStateException(message);
	}

	// ---------------------------------------------------------------------------------------------
	// JGroups 5.3

	private Path jgroupsJar() throws IOException {
		if (this.jgroupsJar != null) {
			if (!Files.isRegularFile(this.jgroupsJar)) {
				throw new IllegalStateException("no such jar: " + this.jgroupsJar);
			}
			return this.jgroupsJar;
		}
		Path directory = codeLocation().getParent().resolve("jgroups-locks");
		if (Files.isDirectory(directory)) {
			try (DirectoryStream<Path> jars = Files.newDirectoryStream(directory, "jgroups-*.jar")) {
				for (Path jar : jars) {
					return jar;
				}
			}
		}
		throw new IllegalStateException("no JGroups 5.3 jar in " + directory
				+ ": build the module (./mvnw -q package -DskipTests -pl corosync-benchmarks) or pass --jgroups-locks-jar");
	}

	/** The JGroups version of the lock rows, from the jar's name ({@code jgroups-5.3.24.Final.jar}). */
	private String jgroupsVersion() {
		try {
			Matcher version = Pattern.compile("jgroups-(\\d+\\.\\d+\\.\\d+)").matcher(jgroupsJar().getFileName().toString());
			return version.find() ? version.group(1) : "5.3";
		}
		catch (IOException | RuntimeException ex) {
			return "5.3";
		}
	}

	/** This module's classes: its jar, or its classes directory. */
	static Path codeLocation() {
		try {
			return Path.of(LockMember.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (java.net.URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@code /proc/loadavg}, empty where there is none. */
	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "";
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The report

	static String markdown(List<Run> runs, int repetitions, int warmupSeconds, int samples, int seconds) {
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n### Locks%n%n"
				+ "Three members, each a JVM with the flags above. Uncontended: one member locks and unlocks a resource "
				+ "of its own %,d times after %d s of the same, each from the request until the release was applied "
				+ "(for JGroups a member that is not the coordinator). Contended: all three loop lock and unlock on one "
				+ "resource; grants per second over %d s after %d s unmeasured, and the share that went to another "
				+ "member than the one before; mutual exclusion checked at every grant (a holder slot and a counter in "
				+ "shared memory, corosync4j's fencing tokens strictly increasing). Median (min–max) of %d runs; the "
				+ "share of the CPU the hypervisor took during each run, and the 1-minute load average as it began "
				+ "(/proc/loadavg).%n%n"
				+ "| peer | lock service | uncontended lock+unlock p50 / p99 µs | contended grants/s | to another member %% "
				+ "| grants checked | CPU stolen %% | load |%n|---|---|---:|---:|---:|---:|---:|---:|%n",
				samples, warmupSeconds, seconds, warmupSeconds, repetitions));
		Map<String, List<Run>> grouped = new LinkedHashMap<>();
		for (Run run : runs) {
			grouped.computeIfAbsent(run.peer() + "\u0000" + run.service(), (k) -> new ArrayList<>()).add(run);
		}
		boolean corosyncRow = false;
		for (List<Run> group : grouped.values()) {
			Run first = group.get(0);
			if (!corosyncRow && !first.peer().equals("corosync4j")) {
				out.append(corosyncRow());
				corosyncRow = true;
			}
			out.append("| ").append(first.peer()).append(" | ").append(first.service()).append(" | ");
			List<Result> measured = group.stream().map(Run::result).filter((r) -> r != null).toList();
			if (measured.isEmpty()) {
				out.append("failed: ").append(first.error().replace('|', '/').replace('\n', ' ')).append(" | | | | | |\n");
				continue;
			}
			double[] p50 = measured.stream().mapToDouble((r) -> r.uncontendedMicros()[0]).toArray();
			double[] p99 = measured.stream().mapToDouble((r) -> r.uncontendedMicros()[2]).toArray();
			double[] rate = measured.stream().mapToDouble(Result::grantsPerSecond).toArray();
			double[] handoffs = measured.stream().mapToDouble((r) -> 100 * r.handoffShare()).toArray();
			long checked = measured.stream().mapToLong(Result::checkedGrants).sum();
			double[] stolen = group.stream().filter((r) -> r.result() != null).mapToDouble(Run::stolenPercent)
				.filter((v) -> v >= 0)
				.toArray();
			double[] load = group.stream().filter((r) -> r.result() != null).mapToDouble(Run::loadAverage)
				.filter((v) -> v >= 0)
				.toArray();
			out.append(spread(p50, "%,.0f")).append(" / ").append(spread(p99, "%,.0f")).append(" | ")
				.append(spread(rate, "%,.0f")).append(" | ").append(spread(handoffs, "%.0f")).append(" | ")
				.append(String.format(Locale.ROOT, "%,d", checked)).append(" | ")
				.append((stolen.length > 0) ? spread(stolen, "%.1f") : "–").append(" | ")
				.append((load.length > 0) ? spread(load, "%.2f") : "–").append(" |");
			if (measured.size() < group.size()) {
				out.append(" ").append(group.size() - measured.size()).append(" of ").append(group.size())
					.append(" runs failed: ").append(group.stream().filter((r) -> r.result() == null).findFirst()
						.map(Run::error).orElse("").replace('|', '/').replace('\n', ' '));
			}
			out.append('\n');
		}
		if (!corosyncRow) {
			out.append(corosyncRow());
		}
		return out.toString();
	}

	private static String corosyncRow() {
		return "| Corosync 3.1.7 | none: Corosync 3 ships no lock service (AIS LCK was OpenAIS's) | – | – | – | – | – | – |\n";
	}

	private static String spread(double[] values, String format) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		String median = String.format(Locale.ROOT, format, BenchmarkSuite.Report.median(values));
		if (sorted.length == 1) {
			return median;
		}
		return median + " (" + String.format(Locale.ROOT, format, sorted[0]) + "–"
				+ String.format(Locale.ROOT, format, sorted[sorted.length - 1]) + ")";
	}

	// ---------------------------------------------------------------------------------------------

	/** One member process: its commands in, its lines out, read as they come. */
	static final class Member {

		final int index;

		final Process process;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		private final List<String> output = new ArrayList<>();

		private final Thread reader;

		/** Told to quit: what its shutdown logs (JGroups' sockets closing under each other) is not echoed. */
		private volatile boolean quitting;

		Member(int index, Process process) {
			this.index = index;
			this.process = process;
			Thread reader = new Thread(() -> {
				try (BufferedReader in = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					for (String line = in.readLine(); line != null; line = in.readLine()) {
						synchronized (this.output) {
							this.output.add(line);
						}
						this.lines.add(line);
						if (!this.quitting && echoed(line)) {
							System.out.println("#   member " + index + ": " + line);
						}
					}
				}
				catch (IOException ex) {
					// the process ended
				}
			}, "lock-member-" + index);
			reader.setDaemon(true);
			reader.start();
			this.reader = reader;
		}

		/**
		 * Whether a member's line goes to the progress output: violations, errors and warnings, but for
		 * JGroups' two about the namespace's loopback (no other address, smaller socket buffers).
		 */
		static boolean echoed(String line) {
			if (line.contains("JGRP000026") || line.contains("JGRP000015")) {
				return false;
			}
			return line.startsWith("VIOLATION") || line.startsWith("FAILED") || line.contains("WARN")
					|| line.contains("ERROR") || line.contains("SEVERE") || line.contains("Exception");
		}

		void send(String command) throws IOException {
			if (command.equals("quit")) {
				this.quitting = true;
			}
			OutputStream in = this.process.getOutputStream();
			in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
			in.flush();
		}

		/** The next line starting with {@code prefix}; a {@code FAILED} line, an exit or the bound fails. */
		String await(String prefix, long seconds) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			while (true) {
				String line = this.lines.poll(200, TimeUnit.MILLISECONDS);
				if (line != null && line.startsWith(prefix)) {
					return line;
				}
				if (line != null && line.startsWith("FAILED")) {
					throw new IllegalStateException("member " + this.index + ": " + line);
				}
				if (line == null && !this.process.isAlive() && this.lines.isEmpty()) {
					throw new IllegalStateException("member " + this.index + " exited (" + this.process.exitValue()
							+ ") while waiting for '" + prefix.trim() + "':\n" + tail());
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("member " + this.index + ": no '" + prefix.trim() + "' within "
							+ seconds + " s:\n" + tail());
				}
			}
		}

		/**
		 * Waits until everything the process printed was read, its output closed: after a SIGKILL, what it
		 * wrote before it died is still in the pipe.
		 */
		void awaitOutputEnd(long seconds) throws InterruptedException {
			this.reader.join(TimeUnit.SECONDS.toMillis(seconds));
		}

		List<String> output() {
			synchronized (this.output) {
				return List.copyOf(this.output);
			}
		}

		void exit() throws InterruptedException {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}

		private String tail() {
			List<String> all = output();
			return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
		}

	}

}
