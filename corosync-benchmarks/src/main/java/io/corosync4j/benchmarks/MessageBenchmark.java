package io.corosync4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message queues side by side: corosync4j's message service ({@code CorosyncNode.messages()}, AIS MSG) and
 * what a JGroups user would build instead ({@link JGroupsMessageMember}: a round-robin work distribution
 * over the suite's total-order channel, and {@code RpcDispatcher} calls for request/reply), three members
 * each in separate JVMs with the suite's flags, as {@link CheckpointBenchmark} runs them. Corosync 3 ships
 * no message service (AIS MSG was OpenAIS's).
 *
 * <ul>
 * <li>Messages per second: every member consumes one queue of a {@code ROUND_ROBIN} group, acknowledging
 * each message as it is handed it; one member (for JGroups one that is not the coordinator) sends
 * {@value EventMember#EVENT_BYTES}-byte messages into the group for {@code --message-seconds} with
 * {@code --message-window} sends outstanding, after {@code --message-warmup} seconds of the same; the
 * rate is the messages sent over the time from the first send until the last acknowledgement
 * completed, taken once every message was acknowledged. The window is larger than the event rows' (1,024
 * against 256): a corosync4j send completes only once its message is safe (held by every member) and
 * durable, so it stays outstanding longer than a publication; with 256 the ring waited for the sender
 * (about 2,000 against 5,400 messages a second in two trial runs on this host).</li>
 * <li>Send → handled latency: the same sender at {@code --message-rate} messages a second for
 * {@code --message-latency-seconds}; each message carries the machine's clock at the send, and each
 * consumer takes the difference when its handler is handed it: p50 and p99, the slowest consumer's.</li>
 * <li>Request/reply: member 2 calls member 1, which replies with the request's bytes, one at a time
 * {@code --message-samples} times after {@code --message-warmup} seconds of the same (p50, p99), then
 * calls per second over {@code --message-seconds} with 1 and 16 outstanding.</li>
 * </ul>
 *
 * Part of {@link BenchmarkSuite} ({@code --messages N}, 0 skips); on its own (as root, for JGroups'
 * network namespace):
 *
 * <pre>
 * java -cp 'corosync-benchmarks/target/lib/*:corosync-benchmarks/target/corosync4j-benchmarks.jar' \
 *     io.corosync4j.benchmarks.MessageBenchmark [--messages 3] [--message-warmup 10] [--message-seconds 10]
 *     [--message-window 1024] [--message-rate 1000] [--message-latency-seconds 20] [--message-samples 5000]
 *     [--message-peers corosync4j,jgroups] [--message-corosync4j udpu] [--message-prefetch 16] [--out DIR]
 * </pre>
 *
 * {@code --message-prefetch} is the corosync4j consumers' prefetch window (JGroups' consumers have none).
 */
public final class MessageBenchmark {

	static final int MEMBERS = 3;

	/** The windows of outstanding calls the request/reply rate is taken with. */
	static final int[] WINDOWS = CheckpointBenchmark.WINDOWS;

	private static final long READY_SECONDS = 120;

	private static final Pattern SENT = Pattern.compile("sent (\\d+) (\\d+) messages in ([\\d.]+) s from (\\d+)");

	private static final Pattern HANDLED = Pattern
		.compile("handled (\\d+) (\\d+) last=(\\d+) latency p50 (-?\\d+) .s, p99 (-?\\d+) .s, samples (\\d+)");

	private static final Pattern RATE = Pattern.compile("rpc rate (\\d+): (\\d+) calls in ([\\d.]+) s");

	private final Peers peers;

	private final int warmupSeconds;

	private final int seconds;

	private final int window;

	private final int rate;

	private final int latencySeconds;

	private final int samples;

	private final String setting;

	/** The corosync4j consumers' prefetch window. */
	private int prefetch = Corosync4jMessageMember.PREFETCH;

	MessageBenchmark(Peers peers, int warmupSeconds, int seconds, int window, int rate, int latencySeconds, int samples,
			String setting) {
		if (seconds < 1 || warmupSeconds < 0 || window < 1 || rate < 1 || latencySeconds < 1 || samples < 100) {
			throw new IllegalArgumentException(
					"at least 1 s of rate and of latency, a window and a rate of 1 or more, 100 samples");
		}
		this.peers = peers;
		this.warmupSeconds = warmupSeconds;
		this.seconds = seconds;
		this.window = window;
		this.rate = rate;
		this.latencySeconds = latencySeconds;
		this.samples = samples;
		Peers.totemKeys(setting, null, "");
		this.setting = setting;
	}

	public static void main(String[] args) throws Exception {
		BenchmarkSuite.runAlone(args, defaults(), "messages.md", MessageBenchmark::fromOptions);
	}

	/** The options and their defaults, for this class's main and for the suite's. */
	static Map<String, String> defaults() {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("--messages", "3");
		options.put("--message-warmup", "10");
		options.put("--message-seconds", "10");
		options.put("--message-window", "1024");
		options.put("--message-rate", "1000");
		options.put("--message-latency-seconds", "20");
		options.put("--message-samples", "5000");
		options.put("--message-peers", "corosync4j,jgroups");
		options.put("--message-corosync4j", "udpu");
		options.put("--message-prefetch", Integer.toString(Corosync4jMessageMember.PREFETCH));
		return options;
	}

	/** The message section as the suite's options ask for it; empty with {@code --messages 0}. */
	static String fromOptions(Map<String, String> options, Peers peers) throws InterruptedException {
		int runs = Integer.parseInt(options.get("--messages"));
		if (runs <= 0) {
			return "";
		}
		MessageBenchmark benchmark = new MessageBenchmark(peers, Integer.parseInt(options.get("--message-warmup")),
				Integer.parseInt(options.get("--message-seconds")), Integer.parseInt(options.get("--message-window")),
				Integer.parseInt(options.get("--message-rate")),
				Integer.parseInt(options.get("--message-latency-seconds")),
				Integer.parseInt(options.get("--message-samples")), options.get("--message-corosync4j"));
		benchmark.prefetch = Integer.parseInt(options.get("--message-prefetch"));
		if (benchmark.prefetch < 1) {
			throw new IllegalArgumentException("a prefetch window of 1 or more");
		}
		List<String> which = Arrays.stream(options.get("--message-peers").split(",")).map(String::trim)
			.filter((s) -> !s.isEmpty())
			.toList();
		return benchmark.section(runs, which);
	}

	// ---------------------------------------------------------------------------------------------
	// The runs

	/**
	 * One peer's messages from one run.
	 * @param perSecond messages sent and acknowledged per second through the group
	 * @param latencyMicros send → handled p50 and p99 at the slowest consumer
	 * @param callMicros request/reply p50, p90, p99, one at a time
	 * @param callRates calls per second with each of {@link #WINDOWS} outstanding
	 * @param acknowledged messages acknowledged over the run, each counted once by its consumer
	 */
	record Messages(double perSecond, long[] latencyMicros, long[] callMicros, double[] callRates, long acknowledged) {
	}

	/** {@code runs} runs of each of {@code which} (corosync4j, jgroups), then the markdown section. */
	String section(int runs, List<String> which) throws InterruptedException {
		for (String peer : which) {
			if (!List.of("corosync4j", "jgroups").contains(peer)) {
				throw new IllegalArgumentException("no such message peer: " + peer + " (corosync4j, jgroups)");
			}
		}
		String jgroups = "JGroups " + org.jgroups.Version.printVersion();
		List<CheckpointBenchmark.Run<Messages>> results = new ArrayList<>();
		for (int repetition = 1; repetition <= runs; repetition++) {
			if (which.contains("corosync4j")) {
				results.add(run("corosync4j", "MessageService, " + this.setting, repetition, this::corosync4j));
			}
			if (which.contains("jgroups")) {
				results.add(run(jgroups, "round robin on SEQUENCER + RpcDispatcher", repetition, this::jgroups));
			}
		}
		return markdown(results, runs);
	}

	private CheckpointBenchmark.Run<Messages> run(String peer, String service, int repetition,
			CheckpointBenchmark.Measure<Messages> measure) throws InterruptedException {
		return CheckpointBenchmark.repetition(this.peers, "messages, " + peer, peer, service, repetition, measure,
				(result) -> String.format(Locale.ROOT, "%,.0f messages/s; send → handled p50/p99 %s µs at %d/s; "
						+ "request/reply p50/p90/p99 %s µs, %s calls/s with %s outstanding; %,d acknowledged",
						result.perSecond(), Arrays.toString(result.latencyMicros()), this.rate,
						Arrays.toString(result.callMicros()),
						Arrays.toString(Arrays.stream(result.callRates()).mapToLong(Math::round).toArray()),
						Arrays.toString(WINDOWS), result.acknowledged()));
	}

	/** Three corosync4j JVMs on loopback addresses, token 1000 ms, in the setting of {@code --message-corosync4j}. */
	Messages corosync4j() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "messages-corosync4j-");
		List<Path> configs = this.peers.corosync4jConfigs(home, this.setting);
		List<LockBenchmark.Member> members = new ArrayList<>();
		for (int index = 1; index <= MEMBERS; index++) {
			members.add(new LockBenchmark.Member(index, this.peers.java(Corosync4jMessageMember.class,
					configs.get(index - 1).toString(), "127.0.0." + index, Integer.toString(MEMBERS),
					Integer.toString(index), Integer.toString(this.prefetch))));
		}
		return measure(members);
	}

	/** Three JGroups JVMs in a namespace of their own, on the suite's stack ({@link Peers#jgroupsConfig}). */
	Messages jgroups() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "messages-jgroups-");
		Path config = home.resolve("jgroups.xml");
		Files.writeString(config, Peers.jgroupsConfig(false, home.resolve("unused.keystore")));
		String namespace = Peers.multicastNamespace();
		try {
			List<LockBenchmark.Member> members = new ArrayList<>();
			for (int index = 1; index <= MEMBERS; index++) {
				members.add(new LockBenchmark.Member(index, this.peers.javaIn(namespace,
						System.getProperty("java.class.path"), JGroupsMessageMember.class, config.toString(),
						Integer.toString(MEMBERS), Integer.toString(index))));
			}
			return measure(members);
		}
		finally {
			Peers.deleteNamespace(namespace);
		}
	}

	/** The warm-up, the rate, the latency, then request/reply from member 2 to member 1. */
	Messages measure(List<LockBenchmark.Member> members) throws Exception {
		LockBenchmark.Member sender = null;
		for (LockBenchmark.Member member : members) {
			String ready = EventBenchmark.line(member, 0, "ready ", READY_SECONDS);
			if (sender == null && !ready.contains("coordinator=true")) {
				sender = member;
			}
		}
		if (sender == null) {
			throw new IllegalStateException("every member says it is the coordinator");
		}
		long acknowledged = 0;
		if (this.warmupSeconds > 0) {
			acknowledged += round(members, sender, 1, this.warmupSeconds, 0)[0];
		}
		long[] rated = round(members, sender, 2, this.seconds, 0);
		long[] paced = round(members, sender, 3, this.latencySeconds, this.rate);
		acknowledged += rated[0] + paced[0];

		LockBenchmark.Member client = members.get(1);
		int from = client.output().size();
		client.send("rpc-latency " + this.warmupSeconds + " " + this.samples);
		long[] callMicros = Measurement.latency(EventBenchmark.line(client, from, "rpc latency ",
				this.warmupSeconds + this.samples * EventMember.BOUND_SECONDS / 1000 + 2 * EventMember.BOUND_SECONDS));
		double[] callRates = new double[WINDOWS.length];
		for (int i = 0; i < WINDOWS.length; i++) {
			from = client.output().size();
			client.send("rpc-rate " + WINDOWS[i] + " " + this.seconds);
			Matcher rate = RATE.matcher(EventBenchmark.line(client, from, "rpc rate " + WINDOWS[i] + ":",
					this.seconds + 3 * EventMember.BOUND_SECONDS));
			if (!rate.find()) {
				throw new IllegalStateException("no rate from the client");
			}
			callRates[i] = Long.parseLong(rate.group(2)) / Double.parseDouble(rate.group(3));
		}
		for (LockBenchmark.Member member : members) {
			member.send("quit");
		}
		for (LockBenchmark.Member member : members) {
			member.exit();
		}
		return new Messages(rated[1] / 1000.0, new long[] { paced[2], paced[3] }, callMicros, callRates, acknowledged);
	}

	/**
	 * One round: {@code sender} sends, then every consumer is asked what it acknowledged until all of it was.
	 * @return the messages acknowledged, messages/s times 1000 (sent over the first send to the last
	 * acknowledgement), and the send → handled p50 and p99 (µs) at the slowest consumer
	 */
	private long[] round(List<LockBenchmark.Member> members, LockBenchmark.Member sender, int round, int seconds,
			int paced) throws Exception {
		int cursor = sender.output().size();
		sender.send("send " + round + " " + sender.index + " " + seconds + " " + this.window + " " + paced);
		Matcher sent = SENT.matcher(EventBenchmark.line(sender, cursor, "sent " + round + " ",
				seconds + 3 * EventMember.BOUND_SECONDS));
		if (!sent.find()) {
			throw new IllegalStateException("the sender did not say what it sent");
		}
		long count = Long.parseLong(sent.group(2));
		long from = Long.parseLong(sent.group(4));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2 * EventMember.BOUND_SECONDS);
		while (true) {
			long done = 0;
			long last = 0;
			long p50 = -1;
			long p99 = -1;
			StringBuilder each = new StringBuilder();
			for (LockBenchmark.Member member : members) {
				int at = member.output().size();
				member.send("report " + round);
				Matcher handled = HANDLED.matcher(EventBenchmark.line(member, at, "handled " + round + " ", 30));
				if (!handled.find()) {
					throw new IllegalStateException("member " + member.index + " did not say what it handled");
				}
				long acknowledged = Long.parseLong(handled.group(2));
				done += acknowledged;
				last = Math.max(last, Long.parseLong(handled.group(3)));
				p50 = Math.max(p50, Long.parseLong(handled.group(4)));
				p99 = Math.max(p99, Long.parseLong(handled.group(5)));
				each.append(' ').append(acknowledged);
			}
			if (done > count) {
				throw new IllegalStateException("round " + round + ": " + done + " acknowledgements of " + count + " messages");
			}
			if (done == count) {
				double perSecond = (last > from) ? count / ((last - from) / 1e6) : 0;
				System.out.printf(Locale.ROOT, "#   round %d: %,d messages, acknowledged per consumer%s, %,.0f messages/s%s%n",
						round, count, each, perSecond,
						(paced > 0) ? String.format(Locale.ROOT, ", send → handled p50 %d µs, p99 %d µs", p50, p99) : "");
				return new long[] { done, Math.round(perSecond * 1000), p50, p99 };
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("round " + round + ": " + done + " of " + count + " messages acknowledged "
						+ 2 * EventMember.BOUND_SECONDS + " s after the sends");
			}
			Thread.sleep(200);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The report

	String markdown(List<CheckpointBenchmark.Run<Messages>> runs, int repetitions) {
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n### Message queues%n%n"
				+ "Three members, each a JVM with the flags above, %d-byte messages. Every member consumes one queue of a "
				+ "round-robin group and acknowledges each message as it is handed it; one member (for JGroups one that "
				+ "is not the coordinator) sends into the group for %d s with %d sends outstanding after %d s of the "
				+ "same: messages/s is what it sent over the time from its first send to the last acknowledgement, once "
				+ "every message was acknowledged. Latency: the same sender at %,d messages/s for %d s, from the clock "
				+ "in the message at the send to the consumer's handler, the slowest consumer's p50 and p99. corosync4j: "
				+ "`MessageService.send` to a `ROUND_ROBIN` group (complete once enqueued and safe), "
				+ "`MessageQueue.acknowledge` (complete once safe), prefetch %d. JGroups has no queues: each message is a "
				+ "multicast on the suite's `sequencer` stack that every member holds until acknowledged, the consumer "
				+ "picked by a round-robin cursor every member advances in the total order, the acknowledgement a "
				+ "multicast too (no safe delivery, no durability wait). Request/reply: member 2 calls member 1, which "
				+ "replies with the request's bytes, %,d times one at a time after %d s of the same, then calls/s over %d s "
				+ "with 1 and 16 outstanding (corosync4j: `MessageService.request` to a queue of member 1 that "
				+ "`reply`s; JGroups: `RpcDispatcher.callRemoteMethod`, synchronous, 16 threads calling). Median (min–max) "
				+ "of %d runs; the share of the CPU the hypervisor took during each run (/proc/stat), and the 1-minute "
				+ "load average as it began.%n%n"
				+ "| peer | queues | messages/s, 3-member group | send → handled p50 / p99 µs | request/reply p50 / p99 µs "
				+ "| calls/s, 1 outstanding | calls/s, 16 outstanding | acknowledged | CPU stolen %% | load |%n"
				+ "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|%n",
				EventMember.EVENT_BYTES, this.seconds, this.window, this.warmupSeconds, this.rate, this.latencySeconds,
				this.prefetch, this.samples, this.warmupSeconds, this.seconds, repetitions));
		for (List<CheckpointBenchmark.Run<Messages>> group : CheckpointBenchmark.grouped(runs)) {
			CheckpointBenchmark.Run<Messages> first = group.get(0);
			out.append("| ").append(first.peer()).append(" | ").append(first.service()).append(" | ");
			List<Messages> measured = group.stream().map(CheckpointBenchmark.Run::result).filter((r) -> r != null)
				.toList();
			if (measured.isEmpty()) {
				out.append("failed: ").append(CheckpointBenchmark.clean(first.error())).append(" | | | | | | | |\n");
				continue;
			}
			out.append(spread(measured, (r) -> r.perSecond())).append(" | ")
				.append(spread(measured, (r) -> r.latencyMicros()[0])).append(" / ")
				.append(spread(measured, (r) -> r.latencyMicros()[1])).append(" | ")
				.append(spread(measured, (r) -> r.callMicros()[0])).append(" / ")
				.append(spread(measured, (r) -> r.callMicros()[2])).append(" | ")
				.append(spread(measured, (r) -> r.callRates()[0])).append(" | ")
				.append(spread(measured, (r) -> r.callRates()[1])).append(" | ")
				.append(String.format(Locale.ROOT, "%,d", measured.stream().mapToLong(Messages::acknowledged).sum()))
				.append(" | ")
				.append(CheckpointBenchmark.conditions(group))
				.append(CheckpointBenchmark.failures(group))
				.append('\n');
		}
		out.append("| Corosync 3.1.7 | none: Corosync 3 ships no message service (AIS MSG was OpenAIS's) |")
			.append(" – |".repeat(8)).append('\n');
		return out.toString();
	}

	private static String spread(List<Messages> measured, java.util.function.ToDoubleFunction<Messages> figure) {
		return CheckpointBenchmark.spread(measured.stream().mapToDouble(figure).toArray(), "%,.0f");
	}

}
