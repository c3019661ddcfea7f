package io.corosync4j.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of one peer in one setting: delivered msgs/s per message size at the slowest receiver, and
 * the 64-byte self-delivery latency percentiles. Parsed from the lines every cpgbench variant prints.
 *
 * @param rates msgs/s by message size
 * @param latencyMicros p50, p90 and p99 in microseconds (none when every member sent)
 */
record Measurement(Map<Integer, Double> rates, long[] latencyMicros) {

	private static final Pattern RECEIVED = Pattern.compile("size (\\d+)( B| KiB| MiB)?, (\\d+) messages in ([\\d.]+) s");

	private static final Pattern LATENCY = Pattern.compile("p50 (\\d+) .s, p90 (\\d+) .s, p99 (\\d+) .s");

	/**
	 * Takes each size's rate from the receivers' reports, keeping the slower receiver's, after each
	 * receiver's first {@code warmupRounds} reports.
	 */
	static Map<Integer, Double> rates(Iterable<String> receiverOutputs, int expectedSizes, int warmupRounds) {
		Map<Integer, Double> rates = new TreeMap<>();
		for (String text : receiverOutputs) {
			if (text.contains("LOST:")) {
				throw new IllegalStateException("a receiver did not get every message:\n" + text);
			}
			Matcher matcher = RECEIVED.matcher(text);
			int found = 0;
			while (matcher.find()) {
				int size = Integer.parseInt(matcher.group(1)) * unit(matcher.group(2));
				double rate = Long.parseLong(matcher.group(3)) / Double.parseDouble(matcher.group(4));
				if (found++ >= warmupRounds) {
					rates.merge(size, rate, Math::min);
				}
			}
			if (found != expectedSizes) {
				throw new IllegalStateException("a receiver reported " + found + " of " + expectedSizes + " sizes:\n" + text);
			}
		}
		return rates;
	}

	/** Rates without a latency (every member sending: nobody pings). */
	static Measurement ratesOnly(Map<Integer, Double> rates) {
		return new Measurement(rates, new long[0]);
	}

	static long[] latency(String text) {
		Matcher matcher = LATENCY.matcher(text);
		if (!matcher.find()) {
			throw new IllegalStateException("no latency line in:\n" + text);
		}
		return new long[] { Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
				Long.parseLong(matcher.group(3)) };
	}

	private static int unit(String unit) {
		if (unit == null || unit.equals(" B")) {
			return 1;
		}
		return unit.equals(" KiB") ? 1024 : 1024 * 1024;
	}

	/** Everything a finished process printed; it must end within the bound. */
	static String output(Process process, long minutes) throws Exception {
		if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("a benchmark process did not finish in " + minutes + " min");
		}
		return new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
	}

}
