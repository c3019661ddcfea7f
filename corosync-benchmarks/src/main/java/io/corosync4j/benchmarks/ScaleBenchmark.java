package io.corosync4j.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
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
 * compiling, and a Totem ring of n members would be measured with most of its processes cold.
 * corosync4j runs a JVM per member on loopback (udpu), Corosync a daemon per member in a network namespace
 * (udpu), JGroups a JVM per member on its sequencer stack, all with the throughput rows' flags and token.
 * A ring of n members passes the token n times per rotation, so a Totem peer's latency grows by one hop
 * per member; the table's slope column is that hop, fitted over the measured counts.
 */
final class ScaleBenchmark {

	/** The peers a scale run knows, with the setting each runs. */
	static final Map<String, String> SETTINGS = Map.of("corosync4j", "udpu", "corosync", "udpu", "jgroups",
			"sequencer");

	private final Peers peers;

	private final int size;

	private final int seconds;

	private final int warmupSeconds;

	private final int latencyWarmup;

	ScaleBenchmark(Peers peers, int size, int seconds, int warmupSeconds, int latencyWarmup) {
		this.peers = peers;
		this.size = size;
		this.seconds = seconds;
		this.warmupSeconds = warmupSeconds;
		this.latencyWarmup = latencyWarmup;
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
		options.put("--scale-peers", "corosync4j,corosync,jgroups");
		return options;
	}

	/** The section for {@code options}; empty when {@code --scale} lists no member count. */
	static String fromOptions(Map<String, String> options, Peers peers) throws InterruptedException {
		List<Integer> counts = numbers(options.get("--scale"));
		if (counts.isEmpty()) {
			return "";
		}
		for (int members : counts) {
			if (members < 2 || members > Peers.MOST_MEMBERS) {
				throw new IllegalArgumentException("--scale takes rings of 2 to " + Peers.MOST_MEMBERS
						+ " members, not " + members);
			}
		}
		List<String> which = Arrays.stream(options.get("--scale-peers").split(",")).map(String::trim)
			.filter((s) -> !s.isEmpty())
			.toList();
		for (String peer : which) {
			if (!SETTINGS.containsKey(peer)) {
				throw new IllegalArgumentException("--scale-peers knows " + SETTINGS.keySet() + ", not " + peer);
			}
		}
		ScaleBenchmark benchmark = new ScaleBenchmark(peers, Integer.parseInt(options.get("--scale-size")),
				Integer.parseInt(options.get("--scale-seconds")), Integer.parseInt(options.get("--scale-warmup")),
				Integer.parseInt(options.get("--scale-latency-warmup")));
		return benchmark.section(counts, which);
	}

	private static List<Integer> numbers(String text) {
		return Arrays.stream(text.split(",")).map(String::trim).filter((s) -> !s.isEmpty()).map(Integer::valueOf)
			.toList();
	}

	/** Every peer at every member count, smallest ring first, then the report. */
	String section(List<Integer> counts, List<String> which) throws InterruptedException {
		List<Result> results = new ArrayList<>();
		int unmeasured = 0;
		for (int members : counts) {
			Peers ring = this.peers.ring(List.of(this.size), this.seconds, this.warmupSeconds, this.latencyWarmup,
					members);
			unmeasured = ring.warmupSeconds();
			for (String peer : which) {
				results.add(measure(ring, peer));
			}
		}
		return markdown(results, this.size, this.seconds, unmeasured, this.latencyWarmup);
	}

	private static Result measure(Peers ring, String peer) throws InterruptedException {
		String setting = SETTINGS.get(peer);
		System.out.printf("# scale: %s %s, %d members%n", peer, setting, ring.members());
		long[] before = HostSteal.sample();
		try {
			Measurement measurement = switch (peer) {
				case "corosync4j" -> ring.corosync4j(setting);
				case "corosync" -> ring.corosync(setting);
				default -> ring.jgroups(setting);
			};
			double stolen = HostSteal.percent(before, HostSteal.sample());
			System.out.printf(Locale.ROOT, "#   %s; latency p50/p90/p99 %s µs; %.1f %% of the CPU stolen%n",
					measurement.rates(), Arrays.toString(measurement.latencyMicros()), stolen);
			return new Result(peer, ring.members(), measurement, "", stolen);
		}
		catch (Exception ex) {
			System.out.printf("#   failed: %s%n", ex.getMessage());
			return new Result(peer, ring.members(), null, String.valueOf(ex.getMessage()),
					HostSteal.percent(before, HostSteal.sample()));
		}
		finally {
			ring.cleanUp();
		}
	}

	/** One peer at one member count; a run that failed keeps its error. */
	record Result(String peer, int members, @Nullable Measurement measurement, String error, double stolenPercent) {

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
				+ "joined, 64-byte self-delivery latency with one message outstanding after %d s of pings. corosync4j udpu: a JVM per member on loopback; Corosync "
				+ "udpu: a daemon per member in a network namespace; JGroups: a JVM per member on its sequencer "
				+ "stack. Token 1000 ms, the JVM flags above, one run each.%n%n"
				+ "| peer | members | %s msgs/s | of 3 members | p50 µs | p99 µs | CPU stolen %% |%n"
				+ "|---|---:|---:|---:|---:|---:|---:|%n", sizeText, seconds, warmupSeconds, latencyWarmup, sizeText));
		Map<String, List<Result>> byPeer = new LinkedHashMap<>();
		for (Result result : results) {
			byPeer.computeIfAbsent(result.peer(), (k) -> new ArrayList<>()).add(result);
		}
		for (List<Result> rows : byPeer.values()) {
			double smallest = rows.stream().filter((r) -> r.measurement() != null && r.members() == 3)
				.mapToDouble((r) -> r.rate(size))
				.findFirst()
				.orElse(0);
			for (Result row : rows) {
				out.append("| ").append(name(row.peer())).append(" | ").append(row.members()).append(" | ");
				if (row.measurement() == null) {
					out.append("failed: ").append(row.error().replace('|', '/').replace('\n', ' '))
						.append(" | | | | |\n");
					continue;
				}
				out.append(String.format(Locale.ROOT, "%,.0f | %s | %,d | %,d | %s |%n", row.rate(size),
						(smallest > 0) ? String.format(Locale.ROOT, "%.2f", row.rate(size) / smallest) : "–", row.p50(),
						row.p99(), (row.stolenPercent() < 0) ? "–" : String.format(Locale.ROOT, "%.1f", row.stolenPercent())));
			}
		}
		out.append(String.format(Locale.ROOT, "%nHow latency grows with the ring: the least-squares slope of p50 over "
				+ "the member counts (a Totem ring adds one token hop per member).%n%n"
				+ "| peer | p50 µs per added member | p99 µs per added member |%n|---|---:|---:|%n"));
		for (Map.Entry<String, List<Result>> peer : byPeer.entrySet()) {
			List<Result> measured = peer.getValue().stream().filter((r) -> r.measurement() != null).toList();
			double[] members = measured.stream().mapToDouble(Result::members).toArray();
			double p50 = slope(members, measured.stream().mapToDouble(Result::p50).toArray());
			double p99 = slope(members, measured.stream().mapToDouble(Result::p99).toArray());
			out.append("| ").append(name(peer.getKey())).append(" | ")
				.append(Double.isNaN(p50) ? "–" : String.format(Locale.ROOT, "%.1f", p50)).append(" | ")
				.append(Double.isNaN(p99) ? "–" : String.format(Locale.ROOT, "%.1f", p99)).append(" |\n");
		}
		out.append(ratios(byPeer, size));
		return out.toString();
	}

	/** corosync4j against the best other peer at each member count, above 1 when corosync4j is ahead. */
	private static String ratios(Map<String, List<Result>> byPeer, int size) {
		List<Result> ours = byPeer.getOrDefault("corosync4j", List.of());
		if (ours.isEmpty() || byPeer.size() < 2) {
			return "";
		}
		StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nRatio of corosync4j to the best other "
				+ "peer at each size of ring (above 1: corosync4j ahead; latency: the peer's time over ours).%n%n"
				+ "| members | %s msgs/s | p50 | p99 |%n|---:|---:|---:|---:|%n", BenchmarkSuite.Report.sizeText(size)));
		for (Result our : ours) {
			if (our.measurement() == null) {
				continue;
			}
			List<Result> others = byPeer.entrySet().stream().filter((e) -> !e.getKey().equals("corosync4j"))
				.flatMap((e) -> e.getValue().stream())
				.filter((r) -> r.members() == our.members() && r.measurement() != null)
				.toList();
			if (others.isEmpty()) {
				continue;
			}
			Result fastest = others.stream().max((a, b) -> Double.compare(a.rate(size), b.rate(size))).orElseThrow();
			Result quickest = others.stream().min((a, b) -> Long.compare(a.p50(), b.p50())).orElseThrow();
			Result shortest = others.stream().min((a, b) -> Long.compare(a.p99(), b.p99())).orElseThrow();
			out.append(String.format(Locale.ROOT, "| %d | %.2f vs %s | %.2f vs %s | %.2f vs %s |%n", our.members(),
					our.rate(size) / fastest.rate(size), name(fastest.peer()), (double) quickest.p50() / our.p50(),
					name(quickest.peer()), (double) shortest.p99() / our.p99(), name(shortest.peer())));
		}
		return out.toString();
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
			case "corosync4j" -> "corosync4j udpu";
			case "corosync" -> "Corosync 3.1.7 udpu";
			default -> "JGroups sequencer";
		};
	}

}
