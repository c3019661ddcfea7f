package io.corosync4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one process used under a flood: its peak resident set (sampled from {@code /proc} every 200 ms)
 * and, for a JVM with a GC log, the young collections, the longest pause and the largest heap left after
 * a collection (the live set).
 *
 * @param role sender, receiver or daemon
 * @param peakRssMiB the largest resident set seen
 * @param collections GC pauses during the run (-1 without a GC log)
 * @param longestPauseMillis the longest of them
 * @param liveHeapMiB the largest heap occupancy right after a collection
 */
record Footprint(String role, long peakRssMiB, int collections, double longestPauseMillis, long liveHeapMiB) {

	private static final Pattern PAUSE = Pattern.compile("Pause [^\\n]*? (\\d+)M->(\\d+)M\\((\\d+)M\\) ([\\d.]+)ms");

	/** Adds what a GC log ({@code -Xlog:gc:file=...}) shows. */
	Footprint withGcLog(Path log) throws IOException {
		int count = 0;
		double longest = 0;
		long live = 0;
		Matcher matcher = PAUSE.matcher(Files.readString(log));
		while (matcher.find()) {
			count++;
			live = Math.max(live, Long.parseLong(matcher.group(2)));
			longest = Math.max(longest, Double.parseDouble(matcher.group(4)));
		}
		return new Footprint(this.role, this.peakRssMiB, count, longest, live);
	}

	/** Samples the resident set of processes until {@link #close()}. */
	static final class RssSampler implements AutoCloseable {

		private final Map<Long, Long> peakKiB = new ConcurrentHashMap<>();

		private final Thread thread;

		private volatile boolean running = true;

		RssSampler(List<Long> pids) {
			this.thread = new Thread(() -> {
				while (this.running) {
					for (long pid : pids) {
						long kib = rssKiB(pid);
						if (kib > 0) {
							this.peakKiB.merge(pid, kib, Math::max);
						}
					}
					try {
						Thread.sleep(200);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "rss-sampler");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		long peakMiB(long pid) {
			return this.peakKiB.getOrDefault(pid, 0L) / 1024;
		}

		private static long rssKiB(long pid) {
			try {
				for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
					if (line.startsWith("VmRSS:")) {
						return Long.parseLong(line.replaceAll("[^0-9]", ""));
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// the process ended
			}
			return 0;
		}

		@Override
		public void close() throws InterruptedException {
			this.running = false;
			this.thread.interrupt();
			this.thread.join(5000);
		}

	}

}
