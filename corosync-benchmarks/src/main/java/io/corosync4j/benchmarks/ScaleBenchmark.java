package io.corosync4j.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How each peer's cost grows with the ring: for every member count of {@code --scale} (3, 8 and 16 by
 * default) and every peer, one sender of {@code --scale-size} messages and a receiver on every other member
 * (the rate at the slowest receiver), then 64-byte self-delivery latency with one message outstanding, taken
 * by the same sender while every receiver is still joined: sixteen fresh JVMs on two cores would still be
 * compiling, and a Totem ring of n members would be measured with most of its processes cold. With
 * {@code --scale-all-senders}, the same ring again with every member sending and counting what all sent (the
 * rate at the slowest member).
 * corosync4j runs a JVM per member on loopback, Corosync a daemon per member in a network namespace (both
 * udpu, with Corosync's defaults and {@code -tuned} by default), JGroups a JVM per member on its sequencer
 * stack, all with the throughput rows' flags and token.
 * A ring of n members passes the token n times per rotation, so a Totem peer's latency grows by one hop
 * per member; the table's slope column is that hop, fitted over the measured counts. Then, with
 * {@code --scale-kills}, each peer's failover at each size ({@link Failover}: SIGKILL of the last member
 * until every survivor delivered the ring, or installed the view, without it).
 */
final class ScaleBenchmark {

	/** The peers a scale run knows, by the option that lists each one's settings. */
	private static final Map<String, String> PEERS = Map.of("--scale-corosync4j", "corosync4j", "--scale-corosync",
			"corosync", "--scale-jgroups", "jgroups");

	private final Peers peers;

	private final int size;

	private final int seconds;

	private final int warmupSeconds;

	private final int latencyWarmup;

	private final int kills;

	private final boolean allSenders;

	ScaleBenchmark(Peers peers, int size, int seconds, int warmupSeconds, int latencyWarmup, int kills,
			boolean allSenders) {
		this.peers = peers;
		this.size = size;
		this.seconds = seconds;
		this.warmupSeconds = warmupSeconds;
		this.latencyWarmup = latencyWarmup;
		this.kills = kills;
		this.allSenders = allSenders;
	}

	public static void main(String[] args) throws Exception {
		BenchmarkSuite.runAlone(args, defaults(), "scale.md", ScaleBenchmark::fromOptions);
	}

	static Map<String, String> defaults() {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("--scale", "3,8,16");
		options.put("--scale-size", "1024");
		options.put("--scale-seconds", "10");
		options.put("--scale-warmup", "60");
		options.put("--scale-latency-warmup", "10");
		options.put("--scale-corosync4j", "udpu,udpu-tuned");
		options.put("--scale-corosync", "udpu,udpu-tuned");
		options.put("--scale-jgroups", "sequencer");
		options.put("--scale-kills", "3");
		options.put("--scale-all-senders", "true");
		return options;
	}

	/** The section for {@code options}; empty when {@code --scale} lists no member count. */
	static String fromOptions(Map<String, String> options, Peers peers) throws InterruptedException {
		List<Integer> counts = BenchmarkSuite.list(options.get("--scale")).stream().map(Integer::valueOf).toList();
		if (counts.isEmpty()) {
			return "";
		}
		for (int members : counts) {
			if (members < 2 || members > Peers.MOST_MEMBERS) {
				throw new IllegalArgumentException("--scale takes rings of 2 to " + Peers.MOST_MEMBERS
						+ " members, not " + members);
			}
		}
		List<Run> which = new ArrayList<>();
		for (String option : List.of("--scale-corosync4j", "--scale-corosync", "--scale-jgroups")) {
			for (String setting : BenchmarkSuite.list(options.get(option))) {
				which.add(new Run(PEERS.get(option), setting));
			}
		}
		ScaleBenchmark benchmark = new ScaleBenchmark(peers, Integer.parseInt(options.get("--scale-size")),
				Integer.parseInt(options.get("--scale-seconds")), Integer.parseInt(options.get("--scale-warmup")),
				Integer.parseInt(options.get("--scale-latency-warmup")), Integer.parseInt(options.get("--scale-kills")),
				Boolean.parseBoolean(options.get("--scale-all-senders")));
		return benchmark.section(counts, which);
	}

	/** A peer and one of its settings (an unknown setting fails its rows, naming the known ones). */
	record Run(String peer, String setting) {
	}

	/** Every peer at every member count, smallest ring first, then the report. */
	String section(List<Integer> counts, List<Run> which) throws InterruptedException {
		List<Result> results = new ArrayList<>();
		List<Kills> failovers = new ArrayList<>();
		List<String> killed = which.stream().map(Run::peer).distinct().toList();
		int unmeasured = 0;
		for (int members : counts) {
			Peers ring = this.peers.ring(List.of(this.size), this.seconds, this.warmupSeconds, this.latencyWarmup,
					members);
			unmeasured = ring.warmupSeconds();
			for (Run run : which) {
				Result one = measure(ring, run);
				results.add(this.allSenders ? one.withEveryoneSending(measure(ring.withAllSenders(), run)) : one);
			}
			if (this.kills > 0) {
				for (String peer : killed) {
					failovers.add(failover(ring, peer, this.kills));
				}
			}
		}
		return markdown(results, this.size, this.seconds, unmeasured, this.latencyWarmup) + failoverMarkdown(failovers);
	}

	/** A peer's failover times at one ring size, or why there are none. */
	record Kills(String peer, int members, List<Long> millis, String error) {
	}

	private static Kills failover(Peers ring, String peer, int kills) throws InterruptedException {
		System.out.printf("# scale: failover, %s, %d members%n", peer, ring.members());
		Failover failover = new Failover(ring.directory(), kills, ring.members());
		try {
			List<Long> millis = switch (peer) {
				case "corosync4j" -> failover.corosync4j(ring);
				case "corosync" -> failover.corosync();
				default -> failover.jgroups(ring);
			};
			System.out.printf("#   %s ms%n", millis);
			return new Kills(peer, ring.members(), millis, "");
		}
		catch (Exception ex) {
			System.out.printf("#   failed: %s%n", ex.getMessage());
			return new Kills(peer, ring.members(), List.of(), String.valueOf(ex.getMessage()));
		}
		finally {
			ring.cleanUp();
		}
	}

	static String failoverMarkdown(List<Kills> failovers) {
		if (failovers.isEmpty()) {
			return "";
		}
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nFailover at each size: SIGKILL of the "
				+ "last member, %d ms after the ring was synchronized (JGroups: every member installed the view), until "
				+ "every survivor delivered the ring (installed the view) without it. Totem peers on udpu with token "
				+ "1000 ms, whose bound is the effective token (1000 ms + 650 ms per member beyond two) plus consensus "
				+ "(1.2 × that); JGroups on the plain sequencer stack above (FD_SOCK2, FD_ALL3 60 s, VERIFY_SUSPECT "
				+ "5 s).%n%n| peer | members | median ms | min–max ms | Totem's bound ms |%n|---|---:|---:|---:|---:|%n",
				Failover.KILL_AFTER_SYNC_MILLIS));
		for (Kills kills : failovers) {
			out.append("| ").append(name(kills.peer())).append(" | ").append(kills.members()).append(" | ");
			if (kills.millis().isEmpty()) {
				out.append("failed: ").append(kills.error().replace('|', '/').replace('\n', ' ')).append(" | | |\n");
				continue;
			}
			double[] values = kills.millis().stream().mapToDouble(Long::doubleValue).toArray();
			out.append(String.format(Locale.ROOT, "%,.0f | %,.0f–%,.0f | %s |%n", BenchmarkSuite.Report.median(values),
					Arrays.stream(values).min().orElse(0), Arrays.stream(values).max().orElse(0),
					kills.peer().equals("jgroups") ? "–"
							: String.format(Locale.ROOT, "%,d", Failover.totemBoundMillis(kills.members()))));
		}
		return out.toString();
	}

	private static Result measure(Peers ring, Run run) throws InterruptedException {
		System.out.printf("# scale: %s %s, %d members%s%n", run.peer(), run.setting(), ring.members(),
				(ring.traffic() == Peers.Traffic.ALL_SENDERS) ? ", every member sending" : "");
		BenchmarkSuite.Row row = BenchmarkSuite.measured(run.peer(), run.setting(), 1, ring, () -> switch (run.peer()) {
			case "corosync4j" -> ring.corosync4j(run.setting());
			case "corosync" -> ring.corosync(run.setting());
			default -> ring.jgroups(run.setting());
		});
		return new Result(run, ring.members(), row.measurement(), row.error(), row.stolenPercent(), null);
	}

	/**
	 * One peer at one member count; a run that failed keeps its error. {@code everyone}: the same ring with
	 * every member sending, if measured.
	 */
	record Result(Run run, int members, @Nullable Measurement measurement, String error, double stolenPercent,
			@Nullable Result everyone) {

		Result withEveryoneSending(Result everyone) {
			return new Result(this.run, this.members, this.measurement, this.error, this.stolenPercent, everyone);
		}

		/** The rate with every member sending; 0 when not measured or failed. */
		double everyoneRate(int size) {
			return (this.everyone == null) ? 0 : this.everyone.rate(size);
		}

		/** The cell of the every-member column: the rate, why it failed, or a dash when not measured. */
		String everyoneCell(int size) {
			if (this.everyone == null) {
				return "–";
			}
			if (this.everyone.measurement() == null) {
				return "failed: " + this.everyone.error().replace('|', '/').replace('\n', ' ');
			}
			return String.format(Locale.ROOT, "%,.0f", this.everyone.rate(size));
		}

		boolean ours() {
			return this.run.peer().equals("corosync4j");
		}

		double rate(int size) {
			return (this.measurement == null) ? 0 : this.measurement.rates().getOrDefault(size, 0.0);
		}

		long p50() {
			return (this.measurement == null) ? 0 : this.measurement.latencyMicros()[0];
		}

		long p99() {
			return (this.measurement == null) ? 0 : this.measurement.latencyMicros()[2];
		}

	}

	static String markdown(List<Result> results, int size, int seconds, int warmupSeconds, int latencyWarmup) {
		String sizeText = BenchmarkSuite.Report.sizeText(size);
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n### Rings of more members%n%n"
				+ "One sender of %s messages, a receiver on every other member, %d s after %d s unmeasured, the rate "
				+ "at the slowest receiver with every message delivered; then, by the same sender with every receiver still "
				+ "joined, 64-byte self-delivery latency with one message outstanding after %d s of pings. corosync4j: "
				+ "a JVM per member on loopback; Corosync: a daemon per member in a network namespace; JGroups: a JVM "
				+ "per member on its sequencer stack. Token 1000 ms, the JVM flags above, one run each. Every member "
				+ "sending: the same ring again (fresh processes, the same warm-up), each member sending for the same "
				+ "seconds and counting what all members sent; the rate at the slowest member.%n%n"
				+ "| peer | setting | members | %s msgs/s | of 3 members | every member sending msgs/s | p50 µs | p99 µs "
				+ "| CPU stolen %% |%n|---|---|---:|---:|---:|---:|---:|---:|---:|%n", sizeText, seconds, warmupSeconds,
				latencyWarmup, sizeText));
		Map<Run, List<Result>> byRun = new LinkedHashMap<>();
		for (Result result : results) {
			byRun.computeIfAbsent(result.run(), (k) -> new ArrayList<>()).add(result);
		}
		for (List<Result> rows : byRun.values()) {
			double smallest = rows.stream().filter((r) -> r.measurement() != null && r.members() == 3)
				.mapToDouble((r) -> r.rate(size))
				.findFirst()
				.orElse(0);
			for (Result row : rows) {
				out.append("| ").append(name(row.run().peer())).append(" | ").append(row.run().setting()).append(" | ")
					.append(row.members()).append(" | ");
				if (row.measurement() == null) {
					out.append("failed: ").append(row.error().replace('|', '/').replace('\n', ' ')).append(" | | ")
						.append(row.everyoneCell(size)).append(" | | | |\n");
					continue;
				}
				out.append(String.format(Locale.ROOT, "%,.0f | %s | %s | %,d | %,d | %s |%n", row.rate(size),
						(smallest > 0) ? String.format(Locale.ROOT, "%.2f", row.rate(size) / smallest) : "–",
						row.everyoneCell(size), row.p50(), row.p99(),
						(row.stolenPercent() < 0) ? "–" : String.format(Locale.ROOT, "%.1f", row.stolenPercent())));
			}
		}
		out.append(String.format(Locale.ROOT, "%nHow latency grows with the ring: the least-squares slope of p50 and p99 "
				+ "over the member counts (a Totem ring adds one token hop per member).%n%n"
				+ "| peer | setting | p50 µs per added member | p99 µs per added member |%n|---|---|---:|---:|%n"));
		for (Map.Entry<Run, List<Result>> run : byRun.entrySet()) {
			List<Result> measured = run.getValue().stream().filter((r) -> r.measurement() != null).toList();
			double[] members = measured.stream().mapToDouble(Result::members).toArray();
			double p50 = slope(members, measured.stream().mapToDouble(Result::p50).toArray());
			double p99 = slope(members, measured.stream().mapToDouble(Result::p99).toArray());
			out.append("| ").append(name(run.getKey().peer())).append(" | ").append(run.getKey().setting()).append(" | ")
				.append(Double.isNaN(p50) ? "–" : String.format(Locale.ROOT, "%.1f", p50)).append(" | ")
				.append(Double.isNaN(p99) ? "–" : String.format(Locale.ROOT, "%.1f", p99)).append(" |\n");
		}
		out.append(ratios(results, size));
		return out.toString();
	}

	/**
	 * corosync4j (its best setting per figure) against the best other peer at each member count, above 1 when
	 * corosync4j is ahead.
	 */
	private static String ratios(List<Result> results, int size) {
		List<Result> measured = results.stream().filter((r) -> r.measurement() != null).toList();
		List<Integer> counts = measured.stream().filter(Result::ours).map(Result::members).distinct().toList();
		StringBuilder out = new StringBuilder();
		for (int members : counts) {
			List<Result> ours = measured.stream().filter((r) -> r.ours() && r.members() == members).toList();
			List<Result> others = measured.stream().filter((r) -> !r.ours() && r.members() == members).toList();
			if (others.isEmpty()) {
				continue;
			}
			if (out.isEmpty()) {
				out.append(String.format(Locale.ROOT, "%nRatio of corosync4j (its best setting) to the best other peer "
						+ "at each size of ring (above 1: corosync4j ahead; latency: the peer's time over ours).%n%n"
						+ "| members | %s msgs/s | every member sending | p50 | p99 |%n|---:|---:|---:|---:|---:|%n",
						BenchmarkSuite.Report.sizeText(size)));
			}
			Comparator<Result> byEveryoneRate = Comparator.comparingDouble((r) -> r.everyoneRate(size));
			Result ourEveryone = ours.stream().max(byEveryoneRate).orElseThrow();
			Result fastestEveryone = others.stream().max(byEveryoneRate).orElseThrow();
			String everyone = (ourEveryone.everyoneRate(size) > 0 && fastestEveryone.everyoneRate(size) > 0)
					? String.format(Locale.ROOT, "%.2f vs %s",
							ourEveryone.everyoneRate(size) / fastestEveryone.everyoneRate(size), label(fastestEveryone))
					: "–";
			Comparator<Result> byRate = Comparator.comparingDouble((r) -> r.rate(size));
			Result ourRate = ours.stream().max(byRate).orElseThrow();
			Result ourP50 = ours.stream().min(Comparator.comparingLong(Result::p50)).orElseThrow();
			Result ourP99 = ours.stream().min(Comparator.comparingLong(Result::p99)).orElseThrow();
			Result fastest = others.stream().max(byRate).orElseThrow();
			Result quickest = others.stream().min(Comparator.comparingLong(Result::p50)).orElseThrow();
			Result shortest = others.stream().min(Comparator.comparingLong(Result::p99)).orElseThrow();
			out.append(String.format(Locale.ROOT, "| %d | %.2f vs %s | %s | %.2f vs %s | %.2f vs %s |%n", members,
					ourRate.rate(size) / fastest.rate(size), label(fastest), everyone,
					(double) quickest.p50() / ourP50.p50(),
					label(quickest), (double) shortest.p99() / ourP99.p99(), label(shortest)));
		}
		return out.toString();
	}

	private static String label(Result result) {
		return name(result.run().peer()) + " " + result.run().setting();
	}
	/** The least-squares slope of {@code y} over {@code x}; NaN with fewer than two distinct x. */
	static double slope(double[] x, double[] y) {
		if (x.length < 2) {
			return Double.NaN;
		}
		double meanX = Arrays.stream(x).average().orElse(0);
		double meanY = Arrays.stream(y).average().orElse(0);
		double covariance = 0;
		double variance = 0;
		for (int i = 0; i < x.length; i++) {
			covariance += (x[i] - meanX) * (y[i] - meanY);
			variance += (x[i] - meanX) * (x[i] - meanX);
		}
		return (variance == 0) ? Double.NaN : covariance / variance;
	}

	private static String name(String peer) {
		return switch (peer) {
			case "corosync4j" -> "corosync4j";
			case "corosync" -> "Corosync 3.1.7";
			default -> "JGroups " + org.jgroups.Version.printVersion();
		};
	}

}
