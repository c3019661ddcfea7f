package io.corosync4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Checkpoints side by side: corosync4j's synchronous checkpoints ({@code CorosyncNode.checkpoints()}) and
 * JGroups' {@code ReplicatedHashMap} with blocking updates, members in separate JVMs with the suite's
 * flags, as {@link LockBenchmark} runs them; then corosync4j's stateful failover, which JGroups has no
 * counterpart of. Corosync 3 ships no checkpoint service (AIS CKPT was OpenAIS's).
 *
 * <ul>
 * <li>Writes: three members; one (for JGroups one that is not the coordinator, whose puts are forwarded
 * through the sequencer as most members' are) overwrites one 1 KiB value for {@code --checkpoint-warmup}
 * seconds, then {@code --checkpoint-samples} times, each timed from the call until every member holds
 * it: p50, p90, p99. Then writes per second over {@code --checkpoint-seconds} with 1 and with 16 writes
 * outstanding.</li>
 * <li>State transfer: two members, one fills a checkpoint (a map) of {@code --checkpoint-state-mib} MiB in
 * sections of {@code --checkpoint-section-kib} KiB; a third starts and joins. Timed from the moment it
 * is in the ring (JGroups: {@code connect} returned) until its service holds the state (JGroups: the
 * map's {@code start}, which fetches it, returned) and until it read every section back, whose SHA-256
 * must be the filler's. Meanwhile the filler keeps writing 1 KiB synchronously, one at a time; the p99
 * and the longest of those under way while the joiner was in the ring and not yet done show whether the
 * transfer stalls other traffic.</li>
 * <li>Failover (corosync4j): three members each register a unit of group "bench" (rank = node id) and
 * open a synchronous checkpoint; the active overwrites a counter in a loop, acknowledging each value once
 * its write completed. The harness SIGKILLs the active's JVM and times until a standby was told ACTIVE
 * and read the counter back, which must be at least the last value the victim acknowledged (else a
 * violation is counted); the victim is restarted before the next kill. Then switchovers, each timed from
 * {@code ServiceUnit.switchover()} until the new active read the counter, which must be the value the old
 * one quiesced with.</li>
 * </ul>
 *
 * Part of {@link BenchmarkSuite} ({@code --checkpoints N}, 0 skips); on its own (as root, for JGroups'
 * network namespace):
 *
 * <pre>
 * java -cp 'corosync-benchmarks/target/lib/*:corosync-benchmarks/target/corosync4j-benchmarks.jar' \
 *     io.corosync4j.benchmarks.CheckpointBenchmark [--checkpoints 3] [--checkpoint-warmup 10]
 *     [--checkpoint-samples 5000] [--checkpoint-seconds 10] [--checkpoint-state-mib 100]
 *     [--checkpoint-section-kib 256] [--checkpoint-kills 5] [--checkpoint-peers corosync4j,jgroups]
 *     [--checkpoint-corosync4j udpu] [--checkpoint-parts writes,transfer,failover] [--out DIR]
 * </pre>
 *
 * {@code --checkpoint-corosync4j} is the corosync4j members' setting, one of the suite's ({@code udpu},
 * {@code udpu-tuned}, {@code knet}...); {@code --checkpoint-parts} runs some of the three parts only.
 */
public final class CheckpointBenchmark {

	static final int MEMBERS = 3;

	/** The windows of outstanding writes the rate is taken with. */
	static final int[] WINDOWS = { 1, 16 };

	/** How long members may take to form their group and hold the checkpoint state. */
	private static final long READY_SECONDS = 120;

	/** The failover target over Totem's own bound ({@link Failover#TOTEM_BOUND_MILLIS}). */
	static final long FAILOVER_SLACK_MILLIS = 200;

	/** How long the active writes before each kill or switchover. */
	private static final long WRITING_MILLIS = 1500;

	private static final Pattern RATE = Pattern.compile("rate (\\d+): (\\d+) writes in ([\\d.]+) s");

	private static final Pattern FILLED = Pattern
		.compile("filled (\\d+) bytes in (\\d+) sections in (\\d+) ms, digest (\\w+)");

	private static final Pattern JOINED = Pattern
		.compile("joined start=(\\d+) ring=(\\d+) ready=(\\d+) read=(\\d+) bytes=(\\d+) sections=(\\d+) digest=(\\w+)");

	private static final Pattern PROBE = Pattern
		.compile("probe (\\d+) samples: p50 (\\d+) .s, p90 (\\d+) .s, p99 (\\d+) .s, max (\\d+) .s, refused (\\d+)");

	private static final Pattern ACTIVE = Pattern.compile("active (\\d+) resumed=(\\d+) reason=(\\w+)");

	private static final Pattern QUIESCED = Pattern.compile("quiesced (\\d+) last=(\\d+)");

	private final Peers peers;

	private final int warmupSeconds;

	private final int samples;

	private final int seconds;

	private final long stateBytes;

	private final int sectionBytes;

	private final int kills;

	/**
	 * The corosync4j members' setting, one of the suite's ({@code udpu} by default, Corosync's defaults):
	 * a state transfer and the writes beside it move at the ring's pace, which {@code -tuned} lifts.
	 */
	private final String setting;

	CheckpointBenchmark(Peers peers, int warmupSeconds, int samples, int seconds, int stateMiB, int sectionKiB,
			int kills, String setting) {
		if (samples < 100 || seconds < 1 || warmupSeconds < 0 || stateMiB < 1 || sectionKiB < 1 || kills < 0) {
			throw new IllegalArgumentException("at least 100 samples, 1 s of rate, 1 MiB of state and 1 KiB sections");
		}
		long bytes = stateMiB * 1024L * 1024;
		if (bytes > io.corosync4j.engine.checkpoint.CheckpointService.MAX_TOTAL_BYTES / 2) {
			// the timed writes and the service's own keep room beside the state
			throw new IllegalArgumentException("at most " + io.corosync4j.engine.checkpoint.CheckpointService.MAX_TOTAL_BYTES
					/ 2 / 1024 / 1024 + " MiB of state: the service holds at most MAX_TOTAL_BYTES on every member");
		}
		this.peers = peers;
		this.warmupSeconds = warmupSeconds;
		this.samples = samples;
		this.seconds = seconds;
		this.stateBytes = bytes;
		this.sectionBytes = sectionKiB * 1024;
		this.kills = kills;
		// refuses an unknown setting before any JVM starts
		Peers.totemKeys(setting, null, "");
		this.setting = setting;
	}

	public static void main(String[] args) throws Exception {
		BenchmarkSuite.runAlone(args, defaults(), "checkpoints.md", CheckpointBenchmark::fromOptions);
	}

	/** The options and their defaults, for this class's main and for the suite's. */
	static Map<String, String> defaults() {
		Map<String, String> options = new LinkedHashMap<>();
		options.put("--checkpoints", "3");
		options.put("--checkpoint-warmup", "10");
		options.put("--checkpoint-samples", "5000");
		options.put("--checkpoint-seconds", "10");
		options.put("--checkpoint-state-mib", "100");
		options.put("--checkpoint-section-kib", "256");
		options.put("--checkpoint-kills", "5");
		options.put("--checkpoint-peers", "corosync4j,jgroups");
		options.put("--checkpoint-corosync4j", "udpu");
		options.put("--checkpoint-parts", "writes,transfer,failover");
		return options;
	}

	/** The checkpoint section as the suite's options ask for it; empty with {@code --checkpoints 0}. */
	static String fromOptions(Map<String, String> options, Peers peers) throws InterruptedException {
		int runs = Integer.parseInt(options.get("--checkpoints"));
		if (runs <= 0) {
			return "";
		}
		CheckpointBenchmark benchmark = new CheckpointBenchmark(peers,
				Integer.parseInt(options.get("--checkpoint-warmup")), Integer.parseInt(options.get("--checkpoint-samples")),
				Integer.parseInt(options.get("--checkpoint-seconds")),
				Integer.parseInt(options.get("--checkpoint-state-mib")),
				Integer.parseInt(options.get("--checkpoint-section-kib")),
				Integer.parseInt(options.get("--checkpoint-kills")), options.get("--checkpoint-corosync4j"));
		List<String> which = Arrays.stream(options.get("--checkpoint-peers").split(",")).map(String::trim)
			.filter((s) -> !s.isEmpty())
			.toList();
		List<String> parts = Arrays.stream(options.get("--checkpoint-parts").split(",")).map(String::trim)
			.filter((s) -> !s.isEmpty())
			.toList();
		return benchmark.section(runs, which, parts);
	}

	// ---------------------------------------------------------------------------------------------
	// The runs

	/**
	 * One peer's synchronous writes from one run.
	 * @param micros p50, p90, p99 of one write at a time
	 * @param rates writes per second with each of {@link #WINDOWS} outstanding
	 */
	record Writes(long[] micros, double[] rates) {
	}

	/**
	 * One peer's state transfer from one run.
	 * @param bytes the state's bytes, as the joiner read them back
	 * @param readyMillis from the joiner in the ring until its service held the state
	 * @param readMillis from the joiner in the ring until it read every section back
	 * @param startMillis from the joiner's {@code main} until it read every section back
	 * @param probeMicros p50, p90, p99 and the longest of the filler's writes during the transfer
	 * @param probes those writes, timed
	 * @param refused writes refused during the transfer (this member held no state for a moment)
	 */
	record Transfer(long bytes, int sections, double readyMillis, double readMillis, double startMillis,
			long[] probeMicros, long probes, long refused) {

		double mibPerSecond() {
			return (this.readyMillis > 0) ? this.bytes / 1048576.0 / (this.readyMillis / 1000) : 0;
		}

	}

	/**
	 * The failover runs.
	 * @param killMillis from each SIGKILL until the new active read the counter
	 * @param switchoverMillis from each switchover until the new active read the counter
	 * @param violations new actives that resumed below the last acknowledged value
	 * @param acknowledged values acknowledged over all runs (the check is at each handover: the new active
	 * resumes at or above the last of them)
	 */
	record Failovers(List<Long> killMillis, List<Long> switchoverMillis, int violations, long acknowledged,
			List<String> reasons) {
	}

	/** One run of one measurement; a run that fails is kept with its error. */
	record Run<T>(String peer, String service, int repetition, @Nullable T result, String error,
			double stolenPercent, double loadAverage) {
	}

	@FunctionalInterface
	interface Measure<T> {

		T measure() throws Exception;

	}

	/**
	 * {@code runs} runs of each of {@code which} (corosync4j, jgroups) for each of {@code parts} (writes,
	 * transfer, failover: the last corosync4j's alone, with {@code kills} kills), then the markdown.
	 */
	String section(int runs, List<String> which, List<String> parts) throws InterruptedException {
		for (String part : parts) {
			if (!List.of("writes", "transfer", "failover").contains(part)) {
				throw new IllegalArgumentException("no such checkpoint part: " + part + " (writes, transfer, failover)");
			}
		}
		for (String peer : which) {
			if (!List.of("corosync4j", "jgroups").contains(peer)) {
				throw new IllegalArgumentException("no such checkpoint peer: " + peer + " (corosync4j, jgroups)");
			}
		}
		String jgroups = "JGroups " + org.jgroups.Version.printVersion();
		List<Run<Writes>> writes = new ArrayList<>();
		List<Run<Transfer>> transfers = new ArrayList<>();
		for (int repetition = 1; parts.contains("writes") && repetition <= runs; repetition++) {
			if (which.contains("corosync4j")) {
				writes.add(run("writes", "corosync4j", "checkpoint, SYNCHRONOUS, " + this.setting, repetition,
						this::corosync4jWrites));
			}
			if (which.contains("jgroups")) {
				writes.add(run("writes", jgroups, "ReplicatedHashMap, blocking updates", repetition, this::jgroupsWrites));
			}
		}
		for (int repetition = 1; parts.contains("transfer") && repetition <= runs; repetition++) {
			if (which.contains("corosync4j")) {
				transfers.add(run("state transfer", "corosync4j", "checkpoint service joining, " + this.setting, repetition,
						this::corosync4jTransfer));
			}
			if (which.contains("jgroups")) {
				transfers.add(run("state transfer", jgroups, "ReplicatedHashMap, pbcast.STATE", repetition,
						this::jgroupsTransfer));
			}
		}
		Run<Failovers> failovers = (this.kills > 0 && which.contains("corosync4j") && parts.contains("failover"))
				? run("failover", "corosync4j", "service group + checkpoint, " + this.setting, 1, this::corosync4jFailover) : null;
		return markdown(writes, transfers, failovers, runs);
	}

	private <T> Run<T> run(String what, String peer, String service, int repetition, Measure<T> measure)
			throws InterruptedException {
		return repetition(this.peers, "checkpoints, " + what + ", " + peer, peer, service, repetition, measure,
				CheckpointBenchmark::describe);
	}

	/**
	 * One repetition of a row: a line with the load average, the measurement, a line describing it with the
	 * CPU stolen meanwhile. A failed measurement is recorded as the row's error, not thrown; the peers'
	 * processes are cleaned up either way.
	 */
	static <T> Run<T> repetition(Peers peers, String title, String peer, String service, int repetition,
			Measure<T> measure, Function<T, String> describe) throws InterruptedException {
		String load = loadAverage();
		System.out.printf("# %s, run %d; load average %s%n", title, repetition, load);
		double oneMinute = load.isEmpty() ? -1 : Double.parseDouble(load.split(" ")[0]);
		long[] before = HostSteal.sample();
		try {
			T result = measure.measure();
			double stolen = HostSteal.percent(before, HostSteal.sample());
			System.out.printf(Locale.ROOT, "#   %s; %.1f %% of the CPU stolen%n", describe.apply(result), stolen);
			return new Run<>(peer, service, repetition, result, "", stolen, oneMinute);
		}
		catch (Exception ex) {
			System.out.printf("#   failed: %s%n", ex.getMessage());
			return new Run<>(peer, service, repetition, null, String.valueOf(ex.getMessage()),
					HostSteal.percent(before, HostSteal.sample()), oneMinute);
		}
		finally {
			peers.cleanUp();
		}
	}

	private static String describe(Object result) {
		if (result instanceof Writes writes) {
			return String.format(Locale.ROOT, "p50/p90/p99 %s µs; %s writes/s with %s outstanding",
					Arrays.toString(writes.micros()), Arrays.toString(Arrays.stream(writes.rates()).mapToLong(Math::round)
						.toArray()), Arrays.toString(WINDOWS));
		}
		if (result instanceof Transfer transfer) {
			return String.format(Locale.ROOT, "%,d bytes in %d sections: held %.0f ms after joining the ring (%.1f MiB/s), "
					+ "read back at %.0f ms (%.0f ms after its main), digest checked; filler's writes meanwhile "
					+ "p50/p90/p99/max %s µs, %d timed, %d refused", transfer.bytes(), transfer.sections(),
					transfer.readyMillis(), transfer.mibPerSecond(), transfer.readMillis(), transfer.startMillis(),
					Arrays.toString(transfer.probeMicros()), transfer.probes(), transfer.refused());
		}
		if (result instanceof Failovers failovers) {
			return String.format(Locale.ROOT, "kill → active with the counter %s ms; switchover %s ms; %d violations in "
					+ "%,d acknowledged values; reasons %s", failovers.killMillis(), failovers.switchoverMillis(),
					failovers.violations(), failovers.acknowledged(), failovers.reasons());
		}
		return String.valueOf(result);
	}

	// ---------------------------------------------------------------------------------------------
	// Writes

	/** Three corosync4j JVMs on loopback addresses, token 1000 ms, in the setting of {@code --checkpoint-corosync4j}. */
	Writes corosync4jWrites() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "checkpoints-corosync4j-");
		List<Path> configs = this.peers.corosync4jConfigs(home, this.setting);
		List<LockBenchmark.Member> members = new ArrayList<>();
		for (int index = 1; index <= MEMBERS; index++) {
			members.add(corosync4jMember(configs, index, MEMBERS, "write"));
		}
		return writes(members);
	}

	/** Three JGroups JVMs in a namespace of their own, the suite's stack with {@code pbcast.STATE} on top. */
	Writes jgroupsWrites() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "checkpoints-jgroups-");
		Path config = jgroupsConfig(home);
		String namespace = Peers.multicastNamespace();
		try {
			List<LockBenchmark.Member> members = new ArrayList<>();
			for (int index = 1; index <= MEMBERS; index++) {
				members.add(jgroupsMember(namespace, config, index, MEMBERS, "write"));
			}
			return writes(members);
		}
		finally {
			Peers.deleteNamespace(namespace);
		}
	}

	private Writes writes(List<LockBenchmark.Member> members) throws Exception {
		LockBenchmark.Member writer = null;
		for (LockBenchmark.Member member : members) {
			String ready = member.await("ready ", READY_SECONDS);
			if (writer == null && !ready.contains("coordinator=true")) {
				writer = member;
			}
		}
		if (writer == null) {
			throw new IllegalStateException("every member says it is the coordinator");
		}
		writer.send("latency " + this.warmupSeconds + " " + this.samples);
		long[] micros = Measurement.latency(writer.await("latency ",
				this.warmupSeconds + this.samples * CheckpointMember.BOUND_SECONDS / 1000 + 2 * CheckpointMember.BOUND_SECONDS));
		double[] rates = new double[WINDOWS.length];
		for (int i = 0; i < WINDOWS.length; i++) {
			writer.send("rate " + WINDOWS[i] + " " + this.seconds);
			Matcher rate = RATE.matcher(
					writer.await("rate " + WINDOWS[i] + ":", this.seconds + 3 * CheckpointMember.BOUND_SECONDS));
			if (!rate.find()) {
				throw new IllegalStateException("no rate from the writer");
			}
			rates[i] = Long.parseLong(rate.group(2)) / Double.parseDouble(rate.group(3));
		}
		quit(members);
		return new Writes(micros, rates);
	}

	// ---------------------------------------------------------------------------------------------
	// State transfer

	Transfer corosync4jTransfer() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "transfer-corosync4j-");
		List<Path> configs = this.peers.corosync4jConfigs(home, this.setting);
		List<LockBenchmark.Member> members = new ArrayList<>();
		for (int index = 1; index < MEMBERS; index++) {
			members.add(corosync4jMember(configs, index, MEMBERS - 1, "write"));
		}
		return transfer(members, () -> corosync4jMember(configs, MEMBERS, MEMBERS, "join"));
	}

	Transfer jgroupsTransfer() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "transfer-jgroups-");
		Path config = jgroupsConfig(home);
		String namespace = Peers.multicastNamespace();
		try {
			List<LockBenchmark.Member> members = new ArrayList<>();
			for (int index = 1; index < MEMBERS; index++) {
				members.add(jgroupsMember(namespace, config, index, MEMBERS - 1, "write"));
			}
			return transfer(members, () -> jgroupsMember(namespace, config, MEMBERS, MEMBERS, "join"));
		}
		finally {
			Peers.deleteNamespace(namespace);
		}
	}

	@FunctionalInterface
	private interface Start {

		LockBenchmark.Member start() throws IOException;

	}

	/** Fills the state on the first of {@code members}, then starts the joiner and times it, probing meanwhile. */
	private Transfer transfer(List<LockBenchmark.Member> members, Start joiner) throws Exception {
		for (LockBenchmark.Member member : members) {
			member.await("ready ", READY_SECONDS);
		}
		LockBenchmark.Member filler = members.get(0);
		filler.send("fill " + this.stateBytes + " " + this.sectionBytes);
		Matcher filled = FILLED.matcher(filler.await("filled ", 10 * CheckpointMember.BOUND_SECONDS));
		if (!filled.find()) {
			throw new IllegalStateException("the filler did not say what it wrote");
		}
		System.out.printf("#   filled %s bytes in %s sections in %s ms%n", filled.group(1), filled.group(2), filled.group(3));
		filler.send("probe");
		LockBenchmark.Member joined = joiner.start();
		List<LockBenchmark.Member> all = new ArrayList<>(members);
		all.add(joined);
		Matcher result = JOINED.matcher(joined.await("joined ", READY_SECONDS + 10 * CheckpointMember.BOUND_SECONDS));
		if (!result.find()) {
			throw new IllegalStateException("the joiner did not say what it read");
		}
		long start = Long.parseLong(result.group(1));
		long ring = Long.parseLong(result.group(2));
		long ready = Long.parseLong(result.group(3));
		long read = Long.parseLong(result.group(4));
		filler.send("stop " + ring + " " + read);
		// the transfer's figures stand without the probe's: a probe that saw no write is reported, not fatal
		long[] probeMicros = { -1, -1, -1, -1 };
		long probes = 0;
		long refused = 0;
		try {
			Matcher probe = PROBE.matcher(filler.await("probe ", 3 * CheckpointMember.BOUND_SECONDS));
			if (probe.find()) {
				probeMicros = new long[] { Long.parseLong(probe.group(2)), Long.parseLong(probe.group(3)),
						Long.parseLong(probe.group(4)), Long.parseLong(probe.group(5)) };
				probes = Long.parseLong(probe.group(1));
				refused = Long.parseLong(probe.group(6));
			}
		}
		catch (IllegalStateException ex) {
			System.out.printf("#   no figures of the writes during the transfer: %s%n", ex.getMessage());
		}
		if (!result.group(7).equals(filled.group(4)) || !result.group(5).equals(filled.group(1))) {
			throw new IllegalStateException("THE JOINER'S STATE DIFFERS: it read " + result.group(5) + " bytes in "
					+ result.group(6) + " sections, SHA-256 " + result.group(7) + "; the filler wrote " + filled.group(1)
					+ " bytes, SHA-256 " + filled.group(4));
		}
		quit(all);
		return new Transfer(Long.parseLong(result.group(5)), Integer.parseInt(result.group(6)), (ready - ring) / 1000.0,
				(read - ring) / 1000.0, (read - start) / 1000.0, probeMicros, probes, refused);
	}

	// ---------------------------------------------------------------------------------------------
	// Failover

	Failovers corosync4jFailover() throws Exception {
		Path home = Files.createTempDirectory(this.peers.directory(), "failover-checkpoint-corosync4j-");
		List<Path> configs = this.peers.corosync4jConfigs(home, this.setting);
		List<LockBenchmark.Member> members = new ArrayList<>();
		for (int index = 1; index <= MEMBERS; index++) {
			members.add(corosync4jMember(configs, index, MEMBERS, "unit"));
		}
		for (LockBenchmark.Member member : members) {
			member.await("ready ", READY_SECONDS);
		}
		List<Long> killMillis = new ArrayList<>();
		List<Long> switchoverMillis = new ArrayList<>();
		List<String> reasons = new ArrayList<>();
		int violations = 0;
		// the values the killed JVMs acknowledged: their output goes with them when they are restarted
		long acknowledgedByKilled = 0;
		for (int round = 0; round < this.kills; round++) {
			int victim = awaitActive(members);
			Thread.sleep(WRITING_MILLIS);
			int[] cursors = cursors(members);
			long killed = CheckpointMember.nowMicros();
			members.get(victim).process.destroyForcibly();
			Activation next = awaitActivation(members, cursors, victim);
			members.get(victim).process.waitFor(10, TimeUnit.SECONDS);
			members.get(victim).awaitOutputEnd(10);
			long acknowledged = lastAcknowledged(members.get(victim));
			long millis = (next.at() - killed) / 1000;
			killMillis.add(millis);
			reasons.add(next.reason());
			System.out.printf("#   kill %d: member %d killed, member %d active after %,d ms with %d (last acknowledged %d)%n",
					round + 1, victim + 1, next.member() + 1, millis, next.resumed(), acknowledged);
			if (next.resumed() < acknowledged) {
				violations++;
				System.out.printf("#   !!! VIOLATION: the new active resumed at %d, below the last acknowledged %d%n",
						next.resumed(), acknowledged);
			}
			acknowledgedByKilled += acknowledgements(members.get(victim));
			members.set(victim, corosync4jMember(configs, victim + 1, MEMBERS, "unit"));
			members.get(victim).await("ready ", READY_SECONDS);
		}
		for (int round = 0; round < this.kills; round++) {
			int active = awaitActive(members);
			Thread.sleep(WRITING_MILLIS);
			int[] cursors = cursors(members);
			members.get(active).send("switchover");
			long asked = Long.parseLong(members.get(active).await("switchover ", 10).split(" ")[1]);
			Activation next = awaitActivation(members, cursors, active);
			Matcher quiesced = QUIESCED.matcher(members.get(active).await("quiesced ", 10));
			long last = quiesced.find() ? Long.parseLong(quiesced.group(2)) : -1;
			long millis = (next.at() - asked) / 1000;
			switchoverMillis.add(millis);
			System.out.printf("#   switchover %d: member %d to member %d in %,d ms, resumed at %d (quiesced at %d)%n",
					round + 1, active + 1, next.member() + 1, millis, next.resumed(), last);
			if (last < 0 || next.resumed() != last) {
				violations++;
				System.out.printf("#   !!! VIOLATION: the new active resumed at %d, the old one quiesced at %d%n",
						next.resumed(), last);
			}
		}
		long acknowledged = acknowledgedByKilled;
		for (LockBenchmark.Member member : members) {
			acknowledged += acknowledgements(member);
		}
		quit(members);
		return new Failovers(killMillis, switchoverMillis, violations, acknowledged, reasons);
	}

	/**
	 * A member told ACTIVE that read the counter.
	 * @param at when it had read it (epoch µs)
	 */
	private record Activation(int member, long at, long resumed, String reason) {
	}

	private static int[] cursors(List<LockBenchmark.Member> members) {
		return members.stream().mapToInt((member) -> member.output().size()).toArray();
	}

	/** The first activation any member but {@code except} printed after its cursor. */
	private static Activation awaitActivation(List<LockBenchmark.Member> members, int[] cursors, int except)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			for (int i = 0; i < members.size(); i++) {
				if (i == except) {
					continue;
				}
				List<String> lines = members.get(i).output();
				for (String line : lines.subList(Math.min(cursors[i], lines.size()), lines.size())) {
					Matcher active = ACTIVE.matcher(line);
					if (active.find()) {
						return new Activation(i, Long.parseLong(active.group(1)), Long.parseLong(active.group(2)),
								active.group(3));
					}
				}
			}
			Thread.sleep(5);
		}
		throw new IllegalStateException("no member became active within 60 s");
	}

	/** The member that is active now, once one is and has acknowledged a write since it became active. */
	private static int awaitActive(List<LockBenchmark.Member> members) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			for (int i = 0; i < members.size(); i++) {
				List<String> lines = members.get(i).output();
				for (int j = lines.size() - 1; j >= 0; j--) {
					String line = lines.get(j);
					if (line.startsWith("state ") || line.startsWith("refused ")) {
						break;
					}
					if (line.startsWith("ack ")) {
						return i;
					}
				}
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("no member active and writing within 60 s");
	}

	private static long acknowledgements(LockBenchmark.Member member) {
		return member.output().stream().filter((line) -> line.startsWith("ack ")).count();
	}

	private static long lastAcknowledged(LockBenchmark.Member member) {
		long last = 0;
		for (String line : member.output()) {
			if (line.startsWith("ack ")) {
				last = Math.max(last, Long.parseLong(line.substring(4).trim()));
			}
		}
		return last;
	}

	// ---------------------------------------------------------------------------------------------
	// Members

	private LockBenchmark.Member corosync4jMember(List<Path> configs, int index, int members, String mode)
			throws IOException {
		return new LockBenchmark.Member(index, this.peers.java(Corosync4jCheckpointMember.class,
				configs.get(index - 1).toString(), "127.0.0." + index, Integer.toString(members), mode));
	}

	private LockBenchmark.Member jgroupsMember(String namespace, Path config, int index, int members, String mode)
			throws IOException {
		return new LockBenchmark.Member(index, this.peers.javaIn(namespace, System.getProperty("java.class.path"),
				JGroupsCheckpointMember.class, config.toString(), Integer.toString(members), mode));
	}

	/**
	 * The suite's JGroups stack ({@link Peers#jgroupsConfig}: UDP, SEQUENCER for total order as Totem
	 * gives, FRAG2) with {@code pbcast.STATE} on top: {@code ReplicatedHashMap} fetches its state with
	 * {@code getState}, and STATE streams it in chunks where STATE_TRANSFER would build one message of the
	 * whole map.
	 */
	private static Path jgroupsConfig(Path home) throws IOException {
		Path config = home.resolve("jgroups.xml");
		Files.writeString(config, Peers.jgroupsConfig(false, home.resolve("unused.keystore"))
			.replace("</config>", "  <pbcast.STATE/>\n</config>"));
		return config;
	}

	private static void quit(List<LockBenchmark.Member> members) throws Exception {
		for (LockBenchmark.Member member : members) {
			if (member.process.isAlive()) {
				member.send("quit");
			}
		}
		for (LockBenchmark.Member member : members) {
			member.exit();
		}
	}

	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "";
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The report

	String markdown(List<Run<Writes>> writes, List<Run<Transfer>> transfers, @Nullable Run<Failovers> failovers,
			int repetitions) {
		StringBuilder out = new StringBuilder(String.format("%n### Checkpoints%n"));
		if (!writes.isEmpty()) {
			out.append(String.format(Locale.ROOT, "%n"
					+ "Synchronous writes: three members, each a JVM with the flags above; one (for JGroups one that is not "
					+ "the coordinator) replaces one 1 KiB value %,d times after %d s of the same, each timed from the call "
					+ "until every member holds it (corosync4j: `Checkpoint.overwrite` on a `SYNCHRONOUS` checkpoint; "
					+ "JGroups: `ReplicatedHashMap.put` with blocking updates, on the suite's stack with `pbcast.STATE`); "
					+ "then writes per second over %d s with 1 and with 16 writes outstanding (JGroups: 16 threads "
					+ "putting). Median (min–max) of %d runs; the share of the CPU the hypervisor took during each run "
					+ "(/proc/stat), and the 1-minute load average as it began.%n%n"
					+ "| peer | store | p50 / p90 / p99 µs | writes/s, 1 outstanding | writes/s, 16 outstanding "
					+ "| CPU stolen %% | load |%n|---|---|---:|---:|---:|---:|---:|%n", this.samples, this.warmupSeconds,
					this.seconds, repetitions));
		}
		for (List<Run<Writes>> group : grouped(writes)) {
			Run<Writes> first = group.get(0);
			out.append("| ").append(first.peer()).append(" | ").append(first.service()).append(" | ");
			List<Writes> measured = group.stream().map(Run::result).filter((r) -> r != null).toList();
			if (measured.isEmpty()) {
				out.append("failed: ").append(clean(first.error())).append(" | | | | |\n");
				continue;
			}
			out.append(spread(measured.stream().mapToDouble((r) -> r.micros()[0]).toArray(), "%,.0f")).append(" / ")
				.append(spread(measured.stream().mapToDouble((r) -> r.micros()[1]).toArray(), "%,.0f")).append(" / ")
				.append(spread(measured.stream().mapToDouble((r) -> r.micros()[2]).toArray(), "%,.0f")).append(" | ")
				.append(spread(measured.stream().mapToDouble((r) -> r.rates()[0]).toArray(), "%,.0f")).append(" | ")
				.append(spread(measured.stream().mapToDouble((r) -> r.rates()[1]).toArray(), "%,.0f")).append(" | ")
				.append(conditions(group)).append(failures(group)).append('\n');
		}
		if (!writes.isEmpty()) {
			out.append(corosyncRow(5));
		}
		if (!transfers.isEmpty()) {
			out.append(String.format(Locale.ROOT, "%nState transfer: two members, one fills %,d MiB in sections of %d KiB; a "
					+ "third starts and joins. Held: from the joiner in the ring (JGroups: `connect` returned) until its "
					+ "service holds the state (JGroups: `ReplicatedHashMap.start`, which fetches it, returned), and the "
					+ "rate that gives; read: until it read every section back (SHA-256 checked against the filler's); "
					+ "from main: the same from the joiner's `main`. Meanwhile the filler keeps writing 1 KiB "
					+ "synchronously, one at a time: the writes under way at some moment between the joiner entering the "
					+ "ring and reading everything back (one that started before and was held back counts), and those "
					+ "refused (the member held no state for a moment).%n%n"
					+ "| peer | transfer | held ms | MiB/s | read ms | from main ms | writes meanwhile p50 / p99 / max µs "
					+ "| timed / refused | CPU stolen %% | load |%n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|%n",
					this.stateBytes / 1048576, this.sectionBytes / 1024));
		}
		for (List<Run<Transfer>> group : grouped(transfers)) {
			Run<Transfer> first = group.get(0);
			out.append("| ").append(first.peer()).append(" | ").append(first.service()).append(" | ");
			List<Transfer> measured = group.stream().map(Run::result).filter((r) -> r != null).toList();
			if (measured.isEmpty()) {
				out.append("failed: ").append(clean(first.error())).append(" | | | | | | | |\n");
				continue;
			}
			out.append(spread(measured.stream().mapToDouble(Transfer::readyMillis).toArray(), "%,.0f")).append(" | ")
				.append(spread(measured.stream().mapToDouble(Transfer::mibPerSecond).toArray(), "%,.1f")).append(" | ")
				.append(spread(measured.stream().mapToDouble(Transfer::readMillis).toArray(), "%,.0f")).append(" | ")
				.append(spread(measured.stream().mapToDouble(Transfer::startMillis).toArray(), "%,.0f")).append(" | ")
				.append(probed(measured, 0)).append(" / ").append(probed(measured, 2)).append(" / ")
				.append(probed(measured, 3)).append(" | ")
				.append(measured.stream().mapToLong(Transfer::probes).sum()).append(" / ")
				.append(measured.stream().mapToLong(Transfer::refused).sum()).append(" | ")
				.append(conditions(group)).append(failures(group)).append('\n');
		}
		if (!transfers.isEmpty()) {
			out.append(corosyncRow(8));
		}
		if (failovers != null) {
			long bound = Failover.TOTEM_BOUND_MILLIS;
			out.append(String.format(Locale.ROOT, "%nStateful failover (corosync4j): three members, each registers a unit of "
					+ "group `bench` (rank = node id, no grace period) and opens a `SYNCHRONOUS` checkpoint; the active "
					+ "overwrites a counter in it, one write at a time, acknowledging each value once its write completed. "
					+ "Kill: SIGKILL of the active's JVM %d ms into its writing, until a standby was told ACTIVE and read "
					+ "the counter back, which must be at least the victim's last acknowledged value; the victim is "
					+ "restarted before the next. Switchover: from `ServiceUnit.switchover()` on the active until the new "
					+ "active read the counter, which must be the value the old one quiesced with. Token 1000 ms as in "
					+ "every run (effective 1,650 ms with three nodes) and consensus 1,980 ms: Totem's bound is %,d ms, "
					+ "the target %,d ms. JGroups has no counterpart (no service groups; a `ReplicatedHashMap` has no "
					+ "active/standby); Corosync 3 ships neither AMF nor CKPT.%n%n"
					+ "| peer | what | runs | median ms | min–max ms | target ms | violations | values acknowledged "
					+ "| CPU stolen %% | load |%n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|%n", WRITING_MILLIS,
					bound, bound + FAILOVER_SLACK_MILLIS));
			Failovers result = failovers.result();
			if (result == null) {
				out.append("| corosync4j | failover | failed: ").append(clean(failovers.error())).append(" | | | | | | | |\n");
			}
			else {
				String conditions = String.format(Locale.ROOT, "%.1f | %.2f", failovers.stolenPercent(),
						failovers.loadAverage());
				out.append(failoverRow("SIGKILL of the active", result.killMillis(), bound, result, conditions));
				out.append(failoverRow("switchover", result.switchoverMillis(), -1, result, conditions));
			}
		}
		return out.toString();
	}

	/** One of the probe's figures over the runs that have it, "–" where none has. */
	private static String probed(List<Transfer> measured, int figure) {
		double[] values = measured.stream().mapToDouble((r) -> r.probeMicros()[figure]).filter((v) -> v >= 0).toArray();
		return (values.length > 0) ? spread(values, "%,.0f") : "–";
	}

	private static String failoverRow(String what, List<Long> millis, long bound, Failovers result, String conditions) {
		if (millis.isEmpty()) {
			return "| corosync4j | " + what + " | 0 | – | – | – | – | – | " + conditions + " |\n";
		}
		double[] values = millis.stream().mapToDouble(Long::doubleValue).toArray();
		return String.format(Locale.ROOT, "| corosync4j | %s | %d | %,.0f | %,.0f–%,.0f | %s | %d | %,d | %s |%n", what,
				values.length, BenchmarkSuite.Report.median(values), Arrays.stream(values).min().orElse(0),
				Arrays.stream(values).max().orElse(0),
				(bound > 0) ? String.format(Locale.ROOT, "≤ %,d", bound + FAILOVER_SLACK_MILLIS) : "–", result.violations(),
				result.acknowledged(), conditions);
	}

	private static String corosyncRow(int cells) {
		return "| Corosync 3.1.7 | none: Corosync 3 ships no checkpoint service (AIS CKPT was OpenAIS's) |"
				+ " – |".repeat(cells) + "\n";
	}

	static <T> List<List<Run<T>>> grouped(List<Run<T>> runs) {
		Map<String, List<Run<T>>> grouped = new LinkedHashMap<>();
		for (Run<T> run : runs) {
			grouped.computeIfAbsent(run.peer() + "\u0000" + run.service(), (k) -> new ArrayList<>()).add(run);
		}
		return new ArrayList<>(grouped.values());
	}

	static <T> String conditions(List<Run<T>> group) {
		double[] stolen = group.stream().filter((r) -> r.result() != null).mapToDouble(Run::stolenPercent)
			.filter((v) -> v >= 0)
			.toArray();
		double[] load = group.stream().filter((r) -> r.result() != null).mapToDouble(Run::loadAverage)
			.filter((v) -> v >= 0)
			.toArray();
		return ((stolen.length > 0) ? spread(stolen, "%.1f") : "–") + " | "
				+ ((load.length > 0) ? spread(load, "%.2f") : "–") + " |";
	}

	static <T> String failures(List<Run<T>> group) {
		long failed = group.stream().filter((r) -> r.result() == null).count();
		if (failed == 0) {
			return "";
		}
		return " " + failed + " of " + group.size() + " runs failed: " + clean(group.stream()
			.filter((r) -> r.result() == null)
			.findFirst()
			.map(Run::error)
			.orElse(""));
	}

	static String clean(String text) {
		return text.replace('|', '/').replace('\n', ' ');
	}

	static String spread(double[] values, String format) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		String median = String.format(Locale.ROOT, format, BenchmarkSuite.Report.median(values));
		if (sorted.length == 1) {
			return median;
		}
		return median + " (" + String.format(Locale.ROOT, format, sorted[0]) + "–"
				+ String.format(Locale.ROOT, format, sorted[sorted.length - 1]) + ")";
	}

}
