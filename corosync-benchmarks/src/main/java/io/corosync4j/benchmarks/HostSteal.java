package io.corosync4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The share of the CPU the hypervisor took while a peer ran, from the first line of {@code /proc/stat}.
 * On a shared virtual machine it moves every peer's numbers, latency most; the suite records it per
 * run so that a row measured under steal can be told from one measured on a quiet host.
 */
final class HostSteal {

	/** Position of {@code steal} among the {@code cpu} line's counters (after the label). */
	private static final int STEAL = 7;

	private HostSteal() {
	}

	/** The machine's CPU time counters now, or {@code null} where there is no {@code /proc/stat}. */
	static long @Nullable [] sample() {
		try {
			return parse(Files.readAllLines(Path.of("/proc/stat")).get(0));
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** The counters of a {@code cpu  user nice system idle iowait irq softirq steal ...} line. */
	static long[] parse(String cpuLine) {
		String[] fields = cpuLine.trim().split("\\s+");
		if (!fields[0].equals("cpu") || fields.length <= STEAL + 1) {
			throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
		}
		// guest time is counted in user time already; the first eight counters are the whole
		return Arrays.stream(fields, 1, STEAL + 2).mapToLong(Long::parseLong).toArray();
	}

	/** Percent of the CPU time between two samples that was stolen; -1 when either is missing. */
	static double percent(long @Nullable [] before, long @Nullable [] after) {
		if (before == null || after == null) {
			return -1;
		}
		long total = 0;
		for (int i = 0; i < after.length; i++) {
			total += after[i] - before[i];
		}
		return (total > 0) ? 100.0 * (after[STEAL] - before[STEAL]) / total : 0;
	}

}
