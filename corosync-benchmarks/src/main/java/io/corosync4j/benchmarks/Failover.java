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
import java.util.stream.IntStream;

import io.corosync4j.engine.runtime.InteropCluster;

/**
 * Failover time: SIGKILL of the last member of a synchronized ring (three members, or {@code members}),
 * until every survivor has a synchronized ring without it (the moment CPG delivers the change).
 * corosync4j: a {@link FailoverProbe} JVM per member on loopback, each printing its rings with the
 * machine's clock; Corosync: a daemon per member in a namespace, timed by the {@code hires} timestamp of
 * its "Completed service synchronization" log line. Token 1000 ms as in the throughput runs; Totem's bound
 * is the effective token plus consensus ({@link #totemBoundMillis}), 3,630 ms for three members.
 */
final class Failover {

	/** {@code token + consensus} of the configuration every three-member run uses. */
	static final long TOTEM_BOUND_MILLIS = totemBoundMillis(3);

	/**
	 * Totem's bound for a ring of {@code members} with token 1000 ms: the effective token (1000 ms and
	 * Corosync's default {@code token_coefficient} of 650 ms for every member beyond two) plus consensus
	 * (1.2 × that).
	 */
	static long totemBoundMillis(int members) {
		long token = 1000 + 650L * Math.max(0, members - 2);
		return token + token * 12 / 10;
	}

	/**
	 * Every kill lands this long after the whole ring was synchronized (by the synchronization's own
	 * timestamp), for both peers, so that both kills are timed from the same event. Killing as soon as each
	 * peer is seen synchronized would not be: a probe's line is read at once, a daemon's log is polled.
	 */
	static final long KILL_AFTER_SYNC_MILLIS = 200;

	private static final Pattern COMPLETED = Pattern
		.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[[^\\n]*Completed service synchronization");

	private final Path directory;

	private final int rounds;

	private final int members;

	Failover(Path directory, int rounds) {
		this(directory, rounds, 3);
	}

	Failover(Path directory, int rounds, int members) {
		this.directory = directory;
		this.rounds = rounds;
		this.members = members;
	}

	/** The node ids 1 … {@code count} as a probe prints them. */
	private static String ring(int count) {
		return String.join(",", IntStream.rangeClosed(1, count).mapToObj(Integer::toString).toList());
	}

	// ---------------------------------------------------------------------------------------------
	// corosync4j

	List<Long> corosync4j(Peers peers) throws Exception {
		if (peers.members() != this.members) {
			throw new IllegalArgumentException("peers for " + peers.members() + " members, failover of " + this.members);
		}
		Path home = Files.createTempDirectory(this.directory, "failover-corosync4j-");
		List<Path> configs = peers.corosync4jConfigs(home, "udpu");
		List<Probe> probes = new ArrayList<>();
		try {
			for (int node = 1; node <= this.members; node++) {
				probes.add(corosync4jProbe(peers, configs, node));
			}
			long synced = awaitRing(probes, ring(this.members));
			return killLast(probes, synced, ring(this.members), ring(this.members - 1),
					() -> corosync4jProbe(peers, configs, this.members));
		}
		finally {
			for (Probe probe : probes) {
				probe.process.destroyForcibly();
			}
		}
	}

	private static Probe corosync4jProbe(Peers peers, List<Path> configs, int node) throws IOException {
		return new Probe(peers.java(FailoverProbe.class, configs.get(node - 1).toString(), "127.0.0." + node),
				"failover-probe-" + node);
	}

	@FunctionalInterface
	private interface ProbeStart {

		Probe start() throws IOException;

	}

	/**
	 * Kills the last of {@code probes} {@link #rounds} times, each {@link #KILL_AFTER_SYNC_MILLIS} after the
	 * whole ring was reported ({@code synced}), and times it until every survivor reported {@code smaller};
	 * the victim is restarted and the whole ring awaited before the next round.
	 */
	private List<Long> killLast(List<Probe> probes, long synced, String whole, String smaller, ProbeStart restart)
			throws Exception {
		List<Long> millis = new ArrayList<>();
		long ready = synced;
		for (int round = 0; round < this.rounds; round++) {
			Probe victim = probes.get(this.members - 1);
			sleepUntil(ready + KILL_AFTER_SYNC_MILLIS * 1000);
			long killed = nowMicros();
			victim.process.destroyForcibly();
			long last = awaitRing(probes.subList(0, this.members - 1), smaller);
			millis.add((last - killed) / 1000);
			victim.process.waitFor(10, TimeUnit.SECONDS);
			probes.set(this.members - 1, restart.start());
			ready = awaitRing(probes, whole);
		}
		return millis;
	}

	/** When the last of {@code probes} delivered a ring of {@code members} (epoch µs). */
	private static long awaitRing(List<Probe> probes, String members) throws Exception {
		long last = 0;
		for (Probe probe : probes) {
			last = Math.max(last, probe.awaitRing(members));
		}
		return last;
	}

	/** One probe process ({@link FailoverProbe}, {@link JGroupsFailoverProbe}) and the rings it reported, read as they come. */
	private static final class Probe {

		final Process process;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		Probe(Process process, String name) {
			this.process = process;
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
			}, name);
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
	// JGroups

	/**
	 * As {@link #corosync4j}, with a {@link JGroupsFailoverProbe} JVM per member on the suite's plain
	 * sequencer stack in a multicast namespace: the members join one at a time, so the first is the
	 * coordinator and the victim, the last, is not (as Totem's victim is not its representative), and
	 * the time runs until every survivor installed the smaller view.
	 */
	List<Long> jgroups(Peers peers) throws Exception {
		Path home = Files.createTempDirectory(this.directory, "failover-jgroups-");
		Path config = home.resolve("jgroups.xml");
		Files.writeString(config, Peers.jgroupsConfig(false, home.resolve("no.keystore")));
		String namespace = Peers.multicastNamespace();
		List<Probe> probes = new ArrayList<>();
		try {
			long synced = 0;
			for (int node = 1; node <= this.members; node++) {
				probes.add(jgroupsProbe(peers, namespace, config, node));
				// a newcomer's first view holds every member so far; waiting for it keeps the joins in order
				synced = probes.get(node - 1).awaitRing(Integer.toString(node));
			}
			synced = Math.max(synced, awaitRing(probes.subList(0, this.members - 1), Integer.toString(this.members)));
			return killLast(probes, synced, Integer.toString(this.members), Integer.toString(this.members - 1),
					() -> jgroupsProbe(peers, namespace, config, this.members));
		}
		finally {
			for (Probe probe : probes) {
				probe.process.destroyForcibly();
				probe.process.waitFor(10, TimeUnit.SECONDS);
			}
			Peers.deleteNamespace(namespace);
		}
	}

	private static Probe jgroupsProbe(Peers peers, String namespace, Path config, int node) throws IOException {
		return new Probe(peers.javaIn(namespace, System.getProperty("java.class.path"), JGroupsFailoverProbe.class,
				config.toString()), "jgroups-probe-" + node);
	}

	// ---------------------------------------------------------------------------------------------
	// Corosync

	List<Long> corosync() throws Exception {
		InteropCluster.requireTools();
		Path home = Files.createTempDirectory(this.directory, "failover-corosync-");
		try (InteropCluster cluster = new InteropCluster(home)) {
			cluster.members = this.members;
			cluster.up(0);
			List<Process> daemons = new ArrayList<>();
			for (int node = 1; node <= this.members; node++) {
				cluster.writeConfig(node, "udpu", true, null);
				daemons.add(cluster.startDaemon(node));
			}
			long synced = synchronizedAt(cluster, new long[this.members], this.members);
			List<Long> millis = new ArrayList<>();
			for (int round = 0; round < this.rounds; round++) {
				long[] from = logLengths(cluster);
				sleepUntil(synced + KILL_AFTER_SYNC_MILLIS * 1000);
				long killed = nowMicros();
				daemons.get(this.members - 1).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				long last = 0;
				for (int node = 1; node < this.members; node++) {
					String log = awaitSynchronized(cluster, node, from[node - 1], daemonMembers(this.members - 1));
					last = Math.max(last, completedAt(log, killed));
				}
				millis.add((last - killed) / 1000);
				long[] again = logLengths(cluster);
				daemons.set(this.members - 1, cluster.startDaemon(this.members));
				synced = synchronizedAt(cluster, again, this.members);
			}
			return millis;
		}
	}

	/** A daemon's log line for a ring of nodes 1 … {@code count}. */
	private static String daemonMembers(int count) {
		return "Members[" + count + "]: " + ring(count).replace(',', ' ');
	}

	private long[] logLengths(InteropCluster cluster) throws IOException {
		long[] lengths = new long[this.members];
		for (int node = 1; node <= this.members; node++) {
			lengths[node - 1] = logLength(cluster, node);
		}
		return lengths;
	}

	/** When the last of the daemons completed synchronizing the ring of all {@code members} (epoch µs). */
	private static long synchronizedAt(InteropCluster cluster, long[] from, int members) throws Exception {
		long last = 0;
		for (int node = 1; node <= members; node++) {
			last = Math.max(last, completedAt(awaitSynchronized(cluster, node, from[node - 1], daemonMembers(members)),
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
