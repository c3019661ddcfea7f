package io.corosync4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Event channels side by side: corosync4j's event service ({@code CorosyncNode.events()}, AIS EVT) and
 * a JGroups channel on the suite's total-order stack (SEQUENCER), three members each in separate JVMs
 * with the suite's flags, as {@link CheckpointBenchmark} runs them. Corosync 3 ships no event service
 * (AIS EVT was OpenAIS's).
 *
 * <ul>
 * <li>Events per second, one publisher: one member (for JGroups one that is not the coordinator, whose
 * multicasts are forwarded through the sequencer as most members' are) publishes
 * {@value EventMember#EVENT_BYTES}-byte events for {@code --event-seconds} with {@code --event-window}
 * publications outstanding, after {@code --event-warmup} seconds of the same unmeasured; every member
 * counts what it is delivered, from its first to its last event, and the slowest member's rate is the
 * row's, only when every member got every event.</li>
 * <li>Events per second, three publishers: the same with every member publishing at once.</li>
 * <li>Publish → deliver latency: one publisher at {@code --event-rate} events a second for
 * {@code --event-latency-seconds}; each event carries the machine's clock at publication and the two
 * other members take the difference on delivery: p50 and p99, the slower member's.</li>
 * </ul>
 *
 * Part of {@link BenchmarkSuite} ({@code --events N}, 0 skips); on its own (as root, for JGroups'
 * network namespace):
 *
 * <pre>
 * java -cp 'corosync-benchmarks/target/lib/*:corosync-benchmarks/target/corosync4j-benchmarks.jar' \
 *     io.corosync4j.benchmarks.EventBenchmark [--events 3] [--event-warmup 10] [--event-seconds 10]
 *     [--event-window 256] [--event-rate 1000] [--event-latency-seconds 20]
 *     [--event-peers corosync4j,jgroups] [--event-corosync4j udpu] [--out DIR]
 * </pre>
 */
public final class EventBenchmark {

	static final int MEMBERS = 3;

	/** How long members may take to form their group and subscribe. */
	private static final long READY_SECONDS = 120;

	private static final Pattern RECEIVED = Pattern.compile(
			"received (\\d+) (\\d+) events in ([\\d.]+) s, lost (\\d+), latency p50 (-?\\d+) .s, p99 (-?\\d+) .s, samples (\\d+)");

	private static final Pattern PUBLISHED = Pattern.compile("published (\\d+) (\\d+) events in ([\\d.]+) s");

	private final Peers peers;

	private final int warmupSeconds;

	private final int seconds;

	private final int window;

	private final int rate;

	private final int latencySeconds;

	private final String setting;

	EventBenchmark(Peers peers, int warmupSeconds, int seconds, int window, int rate, int latencySeconds,
			String setting) {
		if (seconds < 1 || warmupSeconds < 0 || window < 1 || rate < 1 || latencySeconds < 1) {
			throw new IllegalArgumentException("at least 1 s of rate and of latency, a window and a rate of 1 or more");
		}
		this.peers = peers;
		this.warmupSeconds = warmupSeconds;
		this.seconds = seconds;
		this.window = window;
		this.rate = rate;
		this.latencySeconds = latencySeconds;
		// refuses an unknown setting before any JVM starts
		Peers.totemKeys(setting, null, "");
		this.setting = setting;
	}

	public static void main(String[] args) throws Exception {
		BenchmarkSuite.runAlone(args, defaults(), "events.md", EventBenchmark::fromOptions);
	}

	/** The options and their defaults, for this class's main and for the suite's. */
	static Map<String, String> defaults() {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("--events", "3");
		options.put("--event-warmup", "10");
		options.put("--event-seconds", "10");
		options.put("--event-window", "256");
		options.put("--event-rate", "1000");
		options.put("--event-latency-seconds", "20");
		options.put("--event-peers", "corosync4j,jgroups");
		options.put("--event-corosync4j", "udpu");
		return options;
	}

	/** The event section as the suite's options ask for it; empty with {@code --events 0}. */
	static String fromOptions(Map<String, String> options, Peers peers) throws InterruptedException {
		int runs = Integer.parseInt(options.get("--events"));
		if (runs <= 0) {
			return "";
		}
		EventBenchmark benchmark = new EventBenchmark(peers, Integer.parseInt(options.get("--event-warmup")),
				Integer.parseInt(options.get("--event-seconds")), Integer.parseInt(options.get("--event-window")),
				Integer.parseInt(options.get("--event-rate")), Integer.parseInt(options.get("--event-latency-seconds")),
				options.get("--event-corosync4j"));
		List<String> which = Arrays.stream(options.get("--event-peers").split(",")).map(String::trim)
			.filter((s) -> !s.isEmpty())
			.toList();
		return benchmark.section(runs, which);
	}

	// ---------------------------------------------------------------------------------------------
	// The runs

	/**
	 * One peer's events from one run.
	 * @param onePublisher events/s at the slowest member, one publisher
	 * @param allPublishing events/s at the slowest member, every member publishing
	 * @param latencyMicros publish → deliver p50 and p99 at the slower of the two other members
	 * @param delivered events delivered and checked over the run, at every member together
	 */
	record Events(double onePublisher, double allPublishing, long[] latencyMicros, long delivered) {
	}

	/** {@code runs} runs of each of {@code which} (corosync4j, jgroups), then the markdown section. */
	String section(int runs, List<String> which) throws InterruptedException {
		for (String peer : which) {
			if (!List.of("corosync4j", "jgroups").contains(peer)) {
				throw new IllegalArgumentException("no such event peer: " + peer + " (corosync4j, jgroups)");
			}
		}
		String jgroups = "JGroups " + org.jgroups.Version.printVersion();
		List<CheckpointBenchmark.Run<Events>> results = new ArrayList<>();
		for (int repetition = 1; repetition <= runs; repetition++) {
			if (which.contains("corosync4j")) {
				results.add(run("corosync4j", "EventService, " + this.setting, repetition, this::corosync4j));
			}
			if (which.contains("jgroups")) {
				results.add(run(jgroups, "multicast, SEQUENCER", repetition, this::jgroups));
			}
		}
		return markdown(results, runs);
	}

	private CheckpointBenchmark.Run<Events> run(String peer, String service, int repetition,
			CheckpointBenchmark.Measure<Events> measure) throws InterruptedException {
		return CheckpointBenchmark.repetition(this.peers, "events, " + peer, peer, service, repetition, measure,
				(result) -> String.format(Locale.ROOT, "%,.0f events/s one publisher, %,.0f events/s three publishing; "
						+ "publish → deliver p50/p99 %s µs at %d/s; %,d deliveries checked", result.onePublisher(),
						result.allPublishing(), Arrays.toString(result.latencyMicros()), this.rate, result.delivered()));
	}

	/** Three corosync4j JVMs on loopback addresses, token 1000 ms, in the setting of {@code --event-corosync4j}. */
	Events corosync4j() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "events-corosync4j-");
		List<Path> configs = this.peers.corosync4jConfigs(home, this.setting);
		List<LockBenchmark.Member> members = new ArrayList<>();
		for (int index = 1; index <= MEMBERS; index++) {
			members.add(new LockBenchmark.Member(index, this.peers.java(Corosync4jEventMember.class,
					configs.get(index - 1).toString(), "127.0.0." + index, Integer.toString(MEMBERS))));
		}
		return measure(members);
	}

	/** Three JGroups JVMs in a namespace of their own, on the suite's stack ({@link Peers#jgroupsConfig}). */
	Events jgroups() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "events-jgroups-");
		Path config = home.resolve("jgroups.xml");
		Files.writeString(config, Peers.jgroupsConfig(false, home.resolve("unused.keystore")));
		String namespace = Peers.multicastNamespace();
		try {
			List<LockBenchmark.Member> members = new ArrayList<>();
			for (int index = 1; index <= MEMBERS; index++) {
				members.add(new LockBenchmark.Member(index, this.peers.javaIn(namespace,
						System.getProperty("java.class.path"), JGroupsEventMember.class, config.toString(),
						Integer.toString(MEMBERS))));
			}
			return measure(members);
		}
		finally {
			Peers.deleteNamespace(namespace);
		}
	}

	/** The warm-up, the two rates and the latency on members that are starting. */
	Events measure(List<LockBenchmark.Member> members) throws Exception {
		LockBenchmark.Member publisher = null;
		for (LockBenchmark.Member member : members) {
			String ready = line(member, 0, "ready ", READY_SECONDS);
			if (publisher == null && !ready.contains("coordinator=true")) {
				publisher = member;
			}
		}
		if (publisher == null) {
			throw new IllegalStateException("every member says it is the coordinator");
		}
		long delivered = 0;
		if (this.warmupSeconds > 0) {
			delivered += round(members, List.of(publisher), 1, this.warmupSeconds, 0)[0];
		}
		long[] one = round(members, List.of(publisher), 2, this.seconds, 0);
		long[] all = round(members, members, 3, this.seconds, 0);
		long[] latency = round(members, List.of(publisher), 4, this.latencySeconds, this.rate);
		delivered += one[0] + all[0] + latency[0];
		for (LockBenchmark.Member member : members) {
			member.send("quit");
		}
		for (LockBenchmark.Member member : members) {
			member.exit();
		}
		return new Events(one[1] / 1000.0, all[1] / 1000.0, new long[] { latency[2], latency[3] }, delivered);
	}

	/**
	 * One round: every member expects {@code publishers}' events of {@code round}, they publish, every
	 * member reports.
	 * @return the deliveries at all members, the slowest member's events/s times 1000, and the latency
	 * p50 and p99 (µs) at the slower member other than a publisher (-1 where there is none)
	 */
	private long[] round(List<LockBenchmark.Member> members, List<LockBenchmark.Member> publishers, int round,
			int seconds, int paced) throws Exception {
		for (LockBenchmark.Member member : members) {
			member.send("expect " + round + " " + publishers.size());
		}
		for (LockBenchmark.Member publisher : publishers) {
			publisher.send("publish " + round + " " + publisher.index + " " + seconds + " " + this.window + " " + paced);
		}
		long bound = seconds + 3 * EventMember.BOUND_SECONDS;
		long published = 0;
		for (LockBenchmark.Member publisher : publishers) {
			Matcher matcher = PUBLISHED.matcher(line(publisher, 0, "published " + round + " ", bound));
			if (!matcher.find()) {
				throw new IllegalStateException("member " + publisher.index + " did not say what it published");
			}
			published += Long.parseLong(matcher.group(2));
		}
		long delivered = 0;
		double slowest = Double.MAX_VALUE;
		long p50 = -1;
		long p99 = -1;
		for (LockBenchmark.Member member : members) {
			Matcher matcher = RECEIVED.matcher(line(member, 0, "received " + round + " ", bound));
			if (!matcher.find()) {
				throw new IllegalStateException("member " + member.index + " did not say what it received");
			}
			long received = Long.parseLong(matcher.group(2));
			long lost = Long.parseLong(matcher.group(4));
			if (received != published || lost > 0) {
				throw new IllegalStateException("member " + member.index + " was delivered " + received + " of " + published
						+ " events of round " + round + " (" + lost + " lost)");
			}
			delivered += received;
			double spanSeconds = Double.parseDouble(matcher.group(3));
			slowest = Math.min(slowest, (spanSeconds > 0) ? received / spanSeconds : 0);
			if (!publishers.contains(member)) {
				p50 = Math.max(p50, Long.parseLong(matcher.group(5)));
				p99 = Math.max(p99, Long.parseLong(matcher.group(6)));
			}
		}
		System.out.printf(Locale.ROOT, "#   round %d: %d publisher(s), %,d events each member, slowest %,.0f events/s%s%n",
				round, publishers.size(), published, slowest,
				(paced > 0) ? String.format(Locale.ROOT, ", latency p50 %d µs, p99 %d µs", p50, p99) : "");
		return new long[] { delivered, Math.round(slowest * 1000), p50, p99 };
	}

	/**
	 * The first line {@code member} printed from its line {@code from} on that starts with {@code prefix}: the lines of one
	 * round come in any order from the member's threads, and {@link LockBenchmark.Member#await} skips what it
	 * passes over. A {@code FAILED} line, an exit or the bound fails.
	 */
	static String line(LockBenchmark.Member member, int from, String prefix, long seconds) throws InterruptedException {
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
		while (true) {
			List<String> lines = member.output();
			for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
				if (line.startsWith(prefix)) {
					return line;
				}
				if (line.startsWith("FAILED") || line.startsWith("LOST")) {
					throw new IllegalStateException("member " + member.index + ": " + line);
				}
			}
			if (!member.process.isAlive()) {
				member.awaitOutputEnd(5);
				if (member.output().size() == lines.size()) {
					throw new IllegalStateException("member " + member.index + " exited (" + member.process.exitValue()
							+ ") while waiting for '" + prefix.trim() + "':\n"
							+ String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
				}
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("member " + member.index + ": no '" + prefix.trim() + "' within " + seconds
						+ " s:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
			}
			Thread.sleep(20);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The report

	String markdown(List<CheckpointBenchmark.Run<Events>> runs, int repetitions) {
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n### Event channels%n%n"
				+ "Three members, each a JVM with the flags above, %d-byte events. Rates: one member (for JGroups one "
				+ "that is not the coordinator) publishes for %d s with %d publications outstanding after %d s of the "
				+ "same, then all three at once; each member counts its deliveries from its first to its last, and the "
				+ "slowest member's rate is taken, only when every member got every event (corosync4j: "
				+ "`EventChannel.publish` on one channel, a subscription without filters on every member; JGroups: a "
				+ "multicast on the suite's `sequencer` stack, delivered in total order to every member). Latency: one "
				+ "publisher at %,d events/s for %d s, from the publisher's clock in the event to its delivery at each "
				+ "of the other two members, the slower member's p50 and p99. Median (min–max) of %d runs; the share "
				+ "of the CPU the hypervisor took during each run (/proc/stat), and the 1-minute load average as it "
				+ "began.%n%n"
				+ "| peer | bus | events/s, 1 publisher | events/s, 3 publishing | publish → deliver p50 / p99 µs "
				+ "| deliveries checked | CPU stolen %% | load |%n|---|---|---:|---:|---:|---:|---:|---:|%n",
				EventMember.EVENT_BYTES, this.seconds, this.window, this.warmupSeconds, this.rate, this.latencySeconds,
				repetitions));
		for (List<CheckpointBenchmark.Run<Events>> group : CheckpointBenchmark.grouped(runs)) {
			CheckpointBenchmark.Run<Events> first = group.get(0);
			out.append("| ").append(first.peer()).append(" | ").append(first.service()).append(" | ");
			List<Events> measured = group.stream().map(CheckpointBenchmark.Run::result).filter((r) -> r != null).toList();
			if (measured.isEmpty()) {
				out.append("failed: ").append(CheckpointBenchmark.clean(first.error())).append(" | | | | | |\n");
				continue;
			}
			out.append(CheckpointBenchmark.spread(measured.stream().mapToDouble(Events::onePublisher).toArray(), "%,.0f"))
				.append(" | ")
				.append(CheckpointBenchmark.spread(measured.stream().mapToDouble(Events::allPublishing).toArray(), "%,.0f"))
				.append(" | ")
				.append(CheckpointBenchmark.spread(measured.stream().mapToDouble((r) -> r.latencyMicros()[0]).toArray(),
						"%,.0f"))
				.append(" / ")
				.append(CheckpointBenchmark.spread(measured.stream().mapToDouble((r) -> r.latencyMicros()[1]).toArray(),
						"%,.0f"))
				.append(" | ")
				.append(String.format(Locale.ROOT, "%,d", measured.stream().mapToLong(Events::delivered).sum()))
				.append(" | ")
				.append(CheckpointBenchmark.conditions(group))
				.append(CheckpointBenchmark.failures(group))
				.append('\n');
		}
		out.append("| Corosync 3.1.7 | none: Corosync 3 ships no event service (AIS EVT was OpenAIS's) |")
			.append(" – |".repeat(6)).append('\n');
		return out.toString();
	}

}
