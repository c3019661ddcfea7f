package io.corosync4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.runtime.InteropCluster;

/**
 * Failover time: SIGKILL of member 3 of a synchronized three-member ring, until both survivors have a
 * synchronized two-member ring (the moment CPG delivers the change). corosync4j: three
 * {@link FailoverProbe} JVMs on loopback, each printing its rings with the machine's clock; Corosync:
 * three daemons in namespaces, timed by the {@code hires} timestamp of their "Completed service
 * synchronization" log line. Token 1000 ms as in the throughput runs; Totem's bound is the effective
 * token (1000 + 650 for the third node) plus consensus (1.2 × that) = 3,630 ms.
 */
final class Failover {

	/** {@code token + consensus} of the configuration every run uses. */
	static final long TOTEM_BOUND_MILLIS = 1650 + 1980;

	/**
	 * Every kill lands this long after the three-member ring was synchronized (by the synchronization's own
	 * timestamp), for both peers, so that both kills are timed from the same event. Killing as soon as each
	 * peer is seen synchronized would not be: a probe's line is read at once, a daemon's log is polled.
	 */
	static final long KILL_AFTER_SYNC_MILLIS = 200;

	private static final Pattern COMPLETED = Pattern
		.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[[^\\n]*Completed service synchronization");

	private final Path directory;

	private final int rounds;

	Failover(Path directory, int rounds) {
		this.directory = directory;
		this.rounds = rounds;
	}

	// ---------------------------------------------------------------------------------------------
	// corosync4j

	List<Long> corosync4j(Peers peers) throws Exception {
		Path home = Files.createTempDirectory(this.directory, "failover-corosync4j-");
		List<Path> configs = peers.corosync4jConfigs(home, "udpu");
		List<Probe> probes = new ArrayList<>();
		try {
			for (int node = 1; node <= 3; node++) {
				probes.add(new Probe(peers, configs, node));
			}
			long synced = awaitRing(probes, "1,2,3");
			List<Long> millis = new ArrayList<>();
			for (int round = 0; round < this.rounds; round++) {
				Probe victim = probes.get(2);
				sleepUntil(synced + KILL_AFTER_SYNC_MILLIS * 1000);
				long killed = nowMicros();
				victim.process.destroyForcibly();
				long last = Math.max(probes.get(0).awaitRing("1,2"), probes.get(1).awaitRing("1,2"));
				millis.add((last - killed) / 1000);
				victim.process.waitFor(10, TimeUnit.SECONDS);
				Probe restarted = new Probe(peers, configs, 3);
				probes.set(2, restarted);
				synced = awaitRing(probes, "1,2,3");
			}
			return millis;
		}
		finally {
			for (Probe probe : probes) {
				probe.process.destroyForcibly();
			}
		}
	}

	/** When the last of {@code probes} delivered a ring of {@code members} (epoch µs). */
	private static long awaitRing(List<Probe> probes, String members) throws Exception {
		long last = 0;
		for (Probe probe : probes) {
			last = Math.max(last, probe.awaitRing(members));
		}
		return last;
	}

	/** One {@link FailoverProbe} process and the rings it reported, read as they come. */
	private static final class Probe {

		final Process process;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		Probe(Peers peers, List<Path> configs, int node) throws IOException {
			this.process = peers.java(FailoverProbe.class, configs.get(node - 1).toString(), "127.0.0." + node);
			Thread reader = new Thread(() -> {
				try (BufferedReader in = new BufferedReader(
						new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
					for (String line = in.readLine(); line != null; line = in.readLine()) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// the process was killed; what it printed is in the queue
				}
			}, "failover-probe-" + node);
			reader.setDaemon(true);
			reader.start();
		}

		/** Waits for a synchronized ring of exactly {@code members}; returns when it was delivered (epoch µs). */
		long awaitRing(String members) throws Exception {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (true) {
				String line = this.lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				if (line == null) {
					throw new IllegalStateException("no ring of " + members + " within 60 s");
				}
				String[] parts = line.split(" ");
				if (parts.length == 3 && parts[0].equals("ring") && parts[2].equals(members)) {
					return Long.parseLong(parts[1]);
				}
			}
		}

	}

	// ---------------------------------------------------------------------------------------------
	// Corosync

	List<Long> corosync() throws Exception {
		InteropCluster.requireTools();
		Path home = Files.createTempDirectory(this.directory, "failover-corosync-");
		try (InteropCluster cluster = new InteropCluster(home)) {
			cluster.up(0);
			List<Process> daemons = new ArrayList<>();
			for (int node = 1; node <= 3; node++) {
				cluster.writeConfig(node, "udpu", true, null);
				daemons.add(cluster.startDaemon(node));
			}
			long synced = synchronizedAt(cluster, new long[3]);
			List<Long> millis = new ArrayList<>();
			for (int round = 0; round < this.rounds; round++) {
				long[] from = { logLength(cluster, 1), logLength(cluster, 2) };
				sleepUntil(synced + KILL_AFTER_SYNC_MILLIS * 1000);
				long killed = nowMicros();
				daemons.get(2).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				long last = 0;
				for (int node = 1; node <= 2; node++) {
					String log = awaitSynchronized(cluster, node, from[node - 1], "Members[2]: 1 2");
					last = Math.max(last, completedAt(log, killed));
				}
				millis.add((last - killed) / 1000);
				long[] again = { logLength(cluster, 1), logLength(cluster, 2), logLength(cluster, 3) };
				daemons.set(2, cluster.startDaemon(3));
				synced = synchronizedAt(cluster, again);
			}
			return millis;
		}
	}

	/** When the last of the three daemons completed synchronizing the three-member ring (epoch µs). */
	private static long synchronizedAt(InteropCluster cluster, long[] from) throws Exception {
		long last = 0;
		for (int node = 1; node <= 3; node++) {
			last = Math.max(last, completedAt(awaitSynchronized(cluster, node, from[node - 1], "Members[3]: 1 2 3"),
					nowMicros()));
		}
		return last;
	}

	private static String awaitSynchronized(InteropCluster cluster, int node, long from, String members)
			throws Exception {
		return cluster.awaitLog(node, from, (log) -> InteropCluster.synchronizedAfter(log, members));
	}

	private static long logLength(InteropCluster cluster, int node) throws IOException {
		Path log = cluster.directory.resolve("n" + node).resolve("log").resolve("corosync.log");
		return Files.exists(log) ? Files.size(log) : 0;
	}

	/** The epoch µs of the last "Completed service synchronization" line (the log has no date; the one nearest {@code near}). */
	static long completedAt(String log, long nearMicros) {
		Matcher matcher = COMPLETED.matcher(log);
		String time = null;
		while (matcher.find()) {
			time = matcher.group(1);
		}
		if (time == null) {
			throw new IllegalStateException("no synchronization in:\n" + log);
		}
		LocalTime clock = LocalTime.parse(time);
		Instant near = Instant.ofEpochSecond(nearMicros / 1_000_000);
		ZoneId zone = ZoneId.systemDefault();
		LocalDate day = LocalDate.ofInstant(near, zone);
		Instant best = null;
		for (LocalDate candidate : List.of(day.minusDays(1), day, day.plusDays(1))) {
			Instant at = candidate.atTime(clock).atZone(zone).toInstant();
			if (best == null || Duration.between(at, near).abs().compareTo(Duration.between(best, near).abs()) < 0) {
				best = at;
			}
		}
		return best.getEpochSecond() * 1_000_000 + best.getNano() / 1000;
	}

	private static void sleepUntil(long epochMicros) throws InterruptedException {
		long wait = epochMicros - nowMicros();
		if (wait > 0) {
			TimeUnit.MICROSECONDS.sleep(wait);
		}
	}

	private static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
	}

}
