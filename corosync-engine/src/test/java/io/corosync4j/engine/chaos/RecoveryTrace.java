package io.corosync4j.engine.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Totem recoveries a node's log shows (a Corosync daemon's {@code corosync.log} with TOTEM debug, or a
 * corosync4j node's output), reduced to what blames a node for messages nobody could recover: a recovery
 * that re-sent fewer messages of the old ring than it had received. Every message up to the aru saved when
 * the node left its ring was received, so each of those in the range copied must still be held; one that
 * is not was freed before every member had it.
 */
final class RecoveryTrace {

	private static final Pattern TIME = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3})");

	private static final Pattern SAVING = Pattern.compile("Saving state aru ([0-9a-f]+) high seq received ([0-9a-f]+)");

	private static final Pattern COPYING = Pattern.compile("copying all old ring messages from ([0-9a-f]+)-([0-9a-f]+)\\.");

	private static final Pattern ORIGINATED = Pattern.compile("Originated (\\d+) messages in RECOVERY\\.");

	/**
	 * A recovery that could not re-send messages its node had received.
	 * @param nodeid the node
	 * @param time when (ms since the epoch)
	 * @param from the first message of the range copied
	 * @param to the last
	 * @param savedAru the aru saved on leaving the old ring
	 * @param originated how many it re-sent
	 */
	record EarlyFree(long nodeid, long time, long from, long to, long savedAru, int originated) {

		/** How many it had received and no longer held. */
		long freed() {
			return Math.min(this.savedAru, this.to) - this.from + 1 - this.originated;
		}

		@Override
		public String toString() {
			return "node " + this.nodeid + " re-sent " + this.originated + " of messages " + Long.toHexString(this.from)
					+ "-" + Long.toHexString(this.to) + " at " + ChaosLog.clock(this.time) + ", having received up to "
					+ Long.toHexString(this.savedAru) + ": it had freed " + freed() + " before every member had them";
		}

	}

	private RecoveryTrace() {
	}

	/**
	 * The early frees in the logs of a run's nodes ({@code nN/log/corosync.log}, {@code nN/out.*.txt}), whose
	 * times of day are taken to be on the day the run started, or the next.
	 */
	static List<EarlyFree> read(Path run, long runStart) throws IOException {
		List<EarlyFree> found = new ArrayList<>();
		if (!Files.isDirectory(run)) {
			return found;
		}
		try (Stream<Path> homes = Files.list(run)) {
			for (Path home : homes.sorted().toList()) {
				String name = home.getFileName().toString();
				if (!Files.isDirectory(home) || !name.matches("n\\d+")) {
					continue;
				}
				long nodeid = Long.parseLong(name.substring(1));
				List<Path> files = new ArrayList<>();
				Path daemon = home.resolve("log").resolve("corosync.log");
				if (Files.exists(daemon)) {
					files.add(daemon);
				}
				try (Stream<Path> outs = Files.list(home)) {
					outs.filter((f) -> f.getFileName().toString().matches("out\\.\\d+\\.txt")).sorted().forEach(files::add);
				}
				for (Path file : files) {
					try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
						found.addAll(parse(nodeid, in.lines(), runStart));
					}
				}
			}
		}
		return found;
	}

	/** The early frees among one log's lines. */
	static List<EarlyFree> parse(long nodeid, Stream<String> lines, long runStart) {
		List<EarlyFree> found = new ArrayList<>();
		long saved = -1;
		long[] range = null;
		for (String line : (Iterable<String>) lines::iterator) {
			Matcher m;
			if ((m = SAVING.matcher(line)).find()) {
				saved = Long.parseLong(m.group(1), 16);
			}
			else if ((m = COPYING.matcher(line)).find()) {
				range = new long[] { Long.parseLong(m.group(1), 16), Long.parseLong(m.group(2), 16) };
			}
			else if ((m = ORIGINATED.matcher(line)).find() && range != null) {
				int originated = Integer.parseInt(m.group(1));
				long held = Math.min(saved, range[1]) - range[0] + 1;
				if (saved >= 0 && held > originated) {
					found.add(new EarlyFree(nodeid, time(line, runStart), range[0], range[1], saved, originated));
				}
				range = null;
			}
		}
		return found;
	}

	/** The line's time of day on the run's first day, or the next if that is before the run. */
	private static long time(String line, long runStart) {
		Matcher m = TIME.matcher(line);
		if (!m.find()) {
			return runStart;
		}
		ZoneId zone = ZoneId.systemDefault();
		LocalDate day = Instant.ofEpochMilli(runStart).atZone(zone).toLocalDate();
		long at = LocalTime.parse(m.group(1)).atDate(day).atZone(zone).toInstant().toEpochMilli();
		return (at < runStart - 3_600_000) ? at + 86_400_000 : at;
	}

}
