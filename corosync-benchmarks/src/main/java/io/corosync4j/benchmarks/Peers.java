package io.corosync4j.benchmarks;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javax.crypto.spec.SecretKeySpec;

import io.corosync4j.engine.runtime.CpgBench;
import io.corosync4j.engine.runtime.InteropCluster;
import org.jspecify.annotations.Nullable;

/**
 * How each peer runs: three members (or {@link #members()}), one sender, the same messages. corosync4j:
 * a JVM per member with {@code CpgBench} on loopback addresses; Corosync: Debian daemons in network
 * namespaces with the C {@code cpgbench}; JGroups: a JVM per member with {@link JGroupsBench} in a
 * namespace of their own whose loopback carries multicast.
 */
final class Peers {

	/** The largest ring a run may have. */
	static final int MOST_MEMBERS = 32;

	/**
	 * The heap and collector of every JVM the suite starts unless {@code --jvm-flags} says otherwise: the
	 * launcher's recommendation (docs/benchmarks.md, "The latency tail").
	 */
	static final List<String> HEAP_FLAGS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch");

	/** What every JVM the suite starts gets besides its heap flags: quiet logs, the addresses the configs use. */
	private static final List<String> COMMON_FLAGS = List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
			"-Djava.net.preferIPv4Stack=true");

	private final Path directory;

	/** The measured sizes, as given. */
	private final List<Integer> measuredSizes;

	/** The sizes each sender sends: the warm-up rounds, then the measured sizes. */
	private final String sizes;

	/** Rounds sent before the measured sizes and left out of the rates. */
	private final int warmupRounds;

	private final int seconds;

	/** Seconds of unmeasured pings before the latency samples, for every peer alike. */
	private final int latencyWarmup;

	private final byte[] key;

	/** Members of every ring this runs: one sends and the others receive, or all send ({@link Traffic}). */
	private final int members;

	/** The flags of every JVM this starts (corosync4j's and JGroups' alike), reported with the results. */
	private final List<String> jvmFlags;

	/** Who sends, and where the latency is taken. */
	enum Traffic {

		/** One sender; the latency in fresh processes afterwards (the three-member rows). */
		ONE_SENDER,

		/**
		 * One sender, which measures the latency after its sizes, in the processes that carried them: a ring of
		 * sixteen fresh JVMs on two cores still compiles a minute later.
		 */
		ONE_SENDER_THEN_PINGS,

		/** Every member sends its sizes and counts what all sent; no latency. */
		ALL_SENDERS

	}

	private final Traffic traffic;

	/**
	 * The processes of the run under way; whatever is still alive when it ends is killed. Each run gets
	 * a directory of its own: a daemon's log from an earlier repetition would look synchronized.
	 */
	private final List<Process> started = new ArrayList<>();

	/**
	 * @param warmupSeconds how long a run sends unmeasured before the measured sizes, in whole rounds of
	 * {@code seconds} through the sizes in turn: a JVM's first seconds measure its JIT compiler, not the
	 * protocol (the same rounds for every peer; 0 for none)
	 * @param latencyWarmup seconds of pings before the latency samples: the latency run starts fresh
	 * processes, and a JVM's compiler still takes half of its CPU after five seconds of pings
	 */
	Peers(Path directory, List<Integer> sizes, int seconds, byte[] key, int warmupSeconds, int latencyWarmup) {
		this(directory, sizes, seconds, key, warmupSeconds, latencyWarmup, 3, Traffic.ONE_SENDER, HEAP_FLAGS);
	}

	/**
	 * As above, with rings of {@code members} (2 to {@value #MOST_MEMBERS}: each member needs an address of
	 * its own on loopback or the bridge, and a JVM or daemon of its own on the host).
	 */
	private Peers(Path directory, List<Integer> sizes, int seconds, byte[] key, int warmupSeconds, int latencyWarmup,
			int members, Traffic traffic, List<String> heapFlags) {
		if (members < 2 || members > MOST_MEMBERS) {
			throw new IllegalArgumentException("rings of 2 to " + MOST_MEMBERS + " members, not " + members);
		}
		this.members = members;
		this.traffic = traffic;
		this.directory = directory;
		this.warmupRounds = (warmupSeconds <= 0) ? 0 : (warmupSeconds + seconds - 1) / seconds;
		// every size in turn: a size first measured after rounds of another one finds its paths still
		// interpreted and its buffers not yet grown (libcpg at 16 KiB after 64 B warm-up ran ~15 % slower)
		List<Integer> rounds = new ArrayList<>();
		for (int round = 0; round < this.warmupRounds; round++) {
			rounds.add(sizes.get(round % sizes.size()));
		}
		rounds.addAll(sizes);
		this.measuredSizes = List.copyOf(sizes);
		this.sizes = String.join(",", rounds.stream().map(String::valueOf).toList());
		this.seconds = seconds;
		this.latencyWarmup = latencyWarmup;
		this.key = key.clone();
		List<String> flags = new ArrayList<>(heapFlags);
		flags.addAll(COMMON_FLAGS);
		this.jvmFlags = List.copyOf(flags);
	}

	/**
	 * Peers for rings of {@code members} in the same directory with the same authkey, whose senders measure
	 * the latency after their sizes while every receiver is still joined (no process is fresh).
	 */
	Peers ring(List<Integer> sizes, int seconds, int warmupSeconds, int latencyWarmup, int members) {
		return new Peers(this.directory, sizes, seconds, this.key, warmupSeconds, latencyWarmup, members,
				Traffic.ONE_SENDER_THEN_PINGS, heapFlags());
	}

	/** These peers with every member sending (rates only). */
	Peers withAllSenders() {
		return new Peers(this.directory, this.measuredSizes, this.seconds, this.key, warmupSeconds(),
				this.latencyWarmup, this.members, Traffic.ALL_SENDERS, heapFlags());
	}

	Traffic traffic() {
		return this.traffic;
	}

	/**
	 * These peers with {@code heapFlags} in place of {@link #HEAP_FLAGS} for every JVM they start (another
	 * collector, heap or JVM option), to compare them on the same rows.
	 */
	Peers withHeapFlags(List<String> heapFlags) {
		return new Peers(this.directory, this.measuredSizes, this.seconds, this.key, warmupSeconds(),
				this.latencyWarmup, this.members, this.traffic, heapFlags);
	}

	/** The JVM flags every JVM of these peers gets. */
	List<String> jvmFlags() {
		return this.jvmFlags;
	}

	/** The flags in place of {@link #HEAP_FLAGS}. */
	List<String> heapFlags() {
		return this.jvmFlags.subList(0, this.jvmFlags.size() - COMMON_FLAGS.size());
	}

	/** The sender's mode: its sizes, and with {@link Traffic#ONE_SENDER_THEN_PINGS} the pings after them. */
	private String senderMode() {
		return latencyAfterRounds() ? "sender+latency" : "sender";
	}

	private boolean latencyAfterRounds() {
		return this.traffic == Traffic.ONE_SENDER_THEN_PINGS;
	}

	/** A sender's bound, with the pings' warm-up and up to 20,000 pings of 5 ms when it pings too. */
	private long senderMinutes() {
		return boundMinutes() + (latencyAfterRounds() ? 3 + this.latencyWarmup / 60 : 0);
	}

	/**
	 * Every member's rates with every member sending: each started in cpgbench's {@code all} mode, each
	 * counted as a receiver.
	 */
	private Measurement allSending(Member member) throws Exception {
		List<Process> everyone = new ArrayList<>();
		for (int node = 1; node <= this.members; node++) {
			everyone.add(member.start(node));
		}
		List<String> outputs = new ArrayList<>();
		for (Process process : everyone) {
			outputs.add(Measurement.output(process, boundMinutes()));
		}
		return Measurement.ratesOnly(Measurement.rates(outputs, sizeCount(), this.warmupRounds));
	}

	Path directory() {
		return this.directory;
	}

	int members() {
		return this.members;
	}

	/** What each sender sends: the warm-up rounds, then the measured sizes. */
	String senderSizes() {
		return this.sizes;
	}

	/** The unmeasured seconds before the measured sizes (whole rounds). */
	int warmupSeconds() {
		return this.warmupRounds * this.seconds;
	}

	private int sizeCount() {
		return this.sizes.split(",").length;
	}

	/** How long a sender may take: its sizes, three times over, and a minute for start and group join. */
	private long boundMinutes() {
		return 1 + (long) Math.ceil(sizeCount() * (this.seconds + 2) * 3 / 60.0);
	}

	// ---------------------------------------------------------------------------------------------
	// corosync4j

	Measurement corosync4j(String setting) throws Exception {
		Path home = Files.createTempDirectory(this.directory, "corosync4j-" + setting + "-");
		List<Path> configs = corosync4jConfigs(home, setting);
		if (this.traffic == Traffic.ALL_SENDERS) {
			return allSending((node) -> cpgbench(configs, node, "all"));
		}
		List<Process> receivers = receivers((node) -> cpgbench(configs, node, "receiver"));
		String sent = Measurement.output(cpgbench(configs, 1, senderMode()), senderMinutes());
		List<String> outputs = new ArrayList<>();
		for (Process receiver : receivers) {
			outputs.add(Measurement.output(receiver, 2));
		}
		Map<Integer, Double> rates = Measurement.rates(outputs, sizeCount(), this.warmupRounds);
		if (latencyAfterRounds()) {
			tokenLines(sent);
			return new Measurement(rates, Measurement.latency(sent));
		}
		List<Process> listeners = receivers((node) -> cpgbench(configs, node, "receiver"));
		String pings = Measurement.output(java(CpgBench.class, latencyArguments(configs)), 5);
		long[] latency = Measurement.latency(pings);
		tokenLines(pings);
		for (Process listener : listeners) {
			listener.destroy();
			listener.waitFor(10, TimeUnit.SECONDS);
		}
		return new Measurement(rates, latency);
	}

	/** What one ping waited for: the token's rotation (cpgbench's line after the percentiles), printed. */
	private static void tokenLines(String pings) {
		pings.lines().filter((line) -> line.startsWith("token: ")).forEach((line) -> System.out.println("#   " + line));
	}

	/** Every member's configuration file for {@code setting}, with the authkey beside them. */
	List<Path> corosync4jConfigs(Path home, String setting) throws IOException {
		Path keyfile = home.resolve("authkey");
		Files.write(keyfile, this.key);
		Files.setPosixFilePermissions(keyfile, PosixFilePermissions.fromString("r--------"));
		int port = freePort();
		List<Path> configs = new ArrayList<>();
		for (int node = 1; node <= this.members; node++) {
			Path config = home.resolve("n" + node + ".conf");
			Files.writeString(config, corosync4jConfig(setting, node, this.members, port, keyfile,
					home.resolve("state-" + node)));
			configs.add(config);
		}
		return configs;
	}

	/**
	 * One sender and two receivers in {@code setting} for this run's sizes and seconds (the suite uses
	 * 1 KiB for 60 s): the sender's and a receiver's peak resident set and GC log.
	 */
	List<Footprint> corosync4jFlood(String setting) throws Exception {
		Path home = Files.createTempDirectory(this.directory, "flood-corosync4j-" + setting + "-");
		List<Path> configs = corosync4jConfigs(home, setting);
		Path senderGc = home.resolve("sender-gc.log");
		Path receiverGc = home.resolve("receiver-gc.log");
		Process receiver = java(footprintFlags(receiverGc), CpgBench.class, benchArguments(configs, 2, "receiver"));
		Process other = cpgbench(configs, 3, "receiver");
		Process sender = java(footprintFlags(senderGc), CpgBench.class, benchArguments(configs, 1, "sender"));
		try (Footprint.RssSampler rss = new Footprint.RssSampler(List.of(sender.pid(), receiver.pid()))) {
			Measurement.output(sender, boundMinutes());
			Measurement.output(receiver, 2);
			Measurement.output(other, 2);
			return List.of(new Footprint("sender", rss.peakMiB(sender.pid()), -1, 0, 0).withGcLog(senderGc),
					new Footprint("receiver", rss.peakMiB(receiver.pid()), -1, 0, 0).withGcLog(receiverGc));
		}
	}

	/**
	 * The suite's flags, except that the heap starts small and is not pre-touched: the resident set is
	 * then what the node uses, not the 512 MiB reserved up front.
	 */
	static List<String> footprintFlags(Path gcLog) {
		return List.of(FOOTPRINT_HEAP, "-XX:-AlwaysPreTouch", "-Xlog:gc:file=" + gcLog);
	}

	static final String FOOTPRINT_HEAP = "-Xms32m";

	/** As {@link #corosync4jFlood}, with Corosync daemons and C cpgbench: the daemons' peak resident set. */
	List<Footprint> corosyncFlood(String setting) throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		Path home = Files.createTempDirectory(this.directory, "flood-corosync-" + setting + "-");
		try (InteropCluster cluster = new InteropCluster(home)) {
			Path binary = compileCpgbench(cluster, home);
			List<Process> daemons = startDaemons(cluster, setting);
			List<Process> receivers = List.of(cBench(cluster, daemons.get(1), binary, "receiver"),
					cBench(cluster, daemons.get(2), binary, "receiver"));
			Thread.sleep(1000);
			try (Footprint.RssSampler rss = new Footprint.RssSampler(List.of(daemons.get(0).pid(), daemons.get(1).pid()))) {
				Measurement.output(cBench(cluster, daemons.get(0), binary, "sender"), boundMinutes());
				for (Process receiver : receivers) {
					Measurement.output(receiver, 2);
				}
				return List.of(new Footprint("daemon of the sender", rss.peakMiB(daemons.get(0).pid()), -1, 0, 0),
						new Footprint("daemon of a receiver", rss.peakMiB(daemons.get(1).pid()), -1, 0, 0));
			}
		}
	}

	private String[] benchArguments(List<Path> configs, int node, String mode) {
		return new String[] { "-c", configs.get(node - 1).toString(), "-a", "127.0.0." + node, "--mode", mode,
				"--members", Integer.toString(this.members), "--sizes", this.sizes, "--seconds",
				Integer.toString(this.seconds), "--warmup", Integer.toString(this.latencyWarmup) };
	}

	private String[] latencyArguments(List<Path> configs) {
		return new String[] { "-c", configs.get(0).toString(), "-a", "127.0.0.1", "--mode", "latency", "--members",
				Integer.toString(this.members), "--warmup", Integer.toString(this.latencyWarmup) };
	}

	@FunctionalInterface
	private interface Member {

		Process start(int node) throws IOException;

	}

	/** A receiver on every member but the sender (member 1). */
	private List<Process> receivers(Member receiver) throws IOException {
		List<Process> receivers = new ArrayList<>();
		for (int node = 2; node <= this.members; node++) {
			receivers.add(receiver.start(node));
		}
		return receivers;
	}

	private static String corosync4jConfig(String setting, int node, int members, int port, Path keyfile,
			Path state) {
		StringBuilder text = new StringBuilder("totem {\n version: 2\n cluster_name: bench\n token: 1000\n");
		text.append(" transport: ").append(transport(setting)).append('\n');
		text.append(totemKeys(setting, keyfile.toString(), " "));
		text.append(" interface {\n  linknumber: 0\n  mcastport: ").append(port).append("\n }\n}\nnodelist {\n");
		for (int i = 1; i <= members; i++) {
			text.append(" node {\n  ring0_addr: 127.0.0.").append(i).append("\n  nodeid: ").append(i).append("\n }\n");
		}
		text.append("}\nsystem {\n state_dir: ").append(state).append("\n}\nlogging {\n to_stderr: yes\n to_syslog: no\n}\n");
		return text.toString();
	}

	private static String transport(String setting) {
		return setting.startsWith("knet") ? "knet" : "udpu";
	}

	/**
	 * The totem keys of a setting (udpu, knet, knet-aes256, each also {@code -tuned}). knet's path MTU is
	 * 1500 on both sides: the JVMs run on loopback (MTU 65536), the daemons on veths (1500), and the MTU
	 * decides how many knet fragments a Totem frame is. {@code -tuned} lifts Corosync's defaults that cap
	 * throughput, on both sides alike: 65,000-byte frames ({@code netmtu} for udpu, {@code knet_mtu} for
	 * knet; the daemons' veths then get MTU 65535, as loopback has) and 150 frames per token visit within
	 * a window of 300 (defaults 17 and 50).
	 * @param keyfile the authkey for encrypted settings, {@code null} to leave the crypto keys out
	 */
	static String totemKeys(String setting, @Nullable String keyfile, String indent) {
		boolean tuned = setting.endsWith("-tuned");
		String base = tuned ? setting.substring(0, setting.length() - "-tuned".length()) : setting;
		StringBuilder keys = new StringBuilder();
		switch (base) {
			case "udpu" -> {
				if (tuned) {
					keys.append(indent).append("netmtu: 65000\n");
				}
			}
			case "knet", "knet-aes256" -> keys.append(indent).append("knet_mtu: ").append(tuned ? 65000 : 1500).append('\n');
			default -> throw new IllegalArgumentException("no such corosync setting: " + setting
					+ " (udpu, knet, knet-aes256, each also with -tuned)");
		}
		if (tuned) {
			keys.append(indent).append("window_size: 300\n").append(indent).append("max_messages: 150\n");
		}
		if (base.equals("knet-aes256") && keyfile != null) {
			keys.append(indent).append("crypto_cipher: aes256\n").append(indent).append("crypto_hash: sha256\n")
				.append(indent).append("keyfile: ").append(keyfile).append('\n');
		}
		return keys.toString();
	}

	/**
	 * A setting's suffix for nodes that serve their clients with libqb's socket transport
	 * ({@code system.qb_ipc_type: socket}) instead of shared memory, daemons and Java launchers alike:
	 * {@code udpu-socket-ipc} tells the IPC path's implementation from its transport.
	 */
	static final String SOCKET_IPC = "-socket-ipc";

	/** A setting without its {@link #SOCKET_IPC} suffix: what {@link #totemKeys} takes. */
	static String totemSetting(String daemonSetting) {
		return daemonSetting.endsWith(SOCKET_IPC)
				? daemonSetting.substring(0, daemonSetting.length() - SOCKET_IPC.length()) : daemonSetting;
	}

	/** The {@code system} keys of a setting: libqb's socket transport for {@link #SOCKET_IPC}. */
	static String systemKeys(String daemonSetting, String indent) {
		return daemonSetting.endsWith(SOCKET_IPC) ? indent + "qb_ipc_type: socket\n" : "";
	}

	static boolean encrypted(String setting) {
		return setting.startsWith("knet-aes256");
	}

	private Process cpgbench(List<Path> configs, int node, String mode) throws IOException {
		return java(CpgBench.class, benchArguments(configs, node, mode));
	}

	/** A JVM with the suite's flags and class path running {@code main}; killed when the run ends. */
	Process java(Class<?> main, String... arguments) throws IOException {
		return java(List.of(), main, arguments);
	}

	private Process java(List<String> moreFlags, Class<?> main, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(java()));
		command.addAll(this.jvmFlags);
		command.addAll(moreFlags);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
		command.addAll(List.of(arguments));
		return started(new ProcessBuilder(command).redirectErrorStream(true).start());
	}

	private Process started(Process process) {
		this.started.add(process);
		return process;
	}

	/** Ends what a run left behind (a failed run's receivers would wait for the sender for a long time). */
	void cleanUp() throws InterruptedException {
		for (Process process : this.started) {
			if (process.isAlive()) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		this.started.clear();
	}

	// ---------------------------------------------------------------------------------------------
	// Corosync

	Measurement corosync(String setting) throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		Path home = Files.createTempDirectory(this.directory, "corosync-" + setting + "-");
		try (InteropCluster cluster = new InteropCluster(home)) {
			Path binary = compileCpgbench(cluster, home);
			List<Process> daemons = startDaemons(cluster, setting);
			if (this.traffic == Traffic.ALL_SENDERS) {
				return allSending((node) -> cBench(cluster, daemons.get(node - 1), binary, "all"));
			}
			List<Process> receivers = receivers((node) -> cBench(cluster, daemons.get(node - 1), binary, "receiver"));
			// the receivers' groups are joined before the sender starts
			Thread.sleep(1000);
			String sent = Measurement.output(cBench(cluster, daemons.get(0), binary, senderMode()), senderMinutes());
			List<String> outputs = new ArrayList<>();
			for (Process receiver : receivers) {
				outputs.add(Measurement.output(receiver, 2));
			}
			Map<Integer, Double> rates = Measurement.rates(outputs, sizeCount(), this.warmupRounds);
			if (latencyAfterRounds()) {
				return new Measurement(rates, Measurement.latency(sent));
			}
			long[] latency = Measurement.latency(Measurement.output(started(new ProcessBuilder(
					cluster.inDaemon(daemons.get(0), binary.toString(), "latency", "-m", "1", "-w",
							Integer.toString(this.latencyWarmup)))
				.redirectErrorStream(true)
				.start()), 5));
			return new Measurement(rates, latency);
		}
	}

	/**
	 * The C {@code cpgbench} through libcpg, as against the daemons in {@link #corosync}, but each talking
	 * to a corosync4j launcher that serves libqb IPC in the daemon's place: the same client, the same
	 * namespaces and bridge, so the two rows differ only in the node behind the IPC socket.
	 */
	Measurement corosync4jIpc(String setting) throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		Path home = Files.createTempDirectory(this.directory, "corosync4j-ipc-" + setting + "-");
		try (InteropCluster cluster = new InteropCluster(home)) {
			Path binary = compileCpgbench(cluster, home);
			startLaunchers(cluster, home, setting);
			if (this.traffic == Traffic.ALL_SENDERS) {
				return allSending((node) -> cBenchIn(cluster, node, binary, "all"));
			}
			List<Process> receivers = receivers((node) -> cBenchIn(cluster, node, binary, "receiver"));
			// the receivers' groups are joined before the sender starts, as with the daemons
			Thread.sleep(1000);
			String sent = Measurement.output(cBenchIn(cluster, 1, binary, senderMode()), senderMinutes());
			List<String> outputs = new ArrayList<>();
			for (Process receiver : receivers) {
				outputs.add(Measurement.output(receiver, 2));
			}
			Map<Integer, Double> rates = Measurement.rates(outputs, sizeCount(), this.warmupRounds);
			if (latencyAfterRounds()) {
				return new Measurement(rates, Measurement.latency(sent));
			}
			long[] latency = Measurement.latency(Measurement.output(started(new ProcessBuilder("ip", "netns", "exec",
					cluster.namespace(1), binary.toString(), "latency", "-m", "1", "-w",
					Integer.toString(this.latencyWarmup))
				.redirectErrorStream(true)
				.start()), 5));
			return new Measurement(rates, latency);
		}
		finally {
			// the launchers run in the cluster's namespaces, which close() deletes: end them first
			cleanUp();
		}
	}

	/** A corosync4j launcher per member in the cluster's namespaces, returned once each synchronized the whole ring. */
	private void startLaunchers(InteropCluster cluster, Path home, String ipcSetting) throws Exception {
		String setting = totemSetting(ipcSetting);
		cluster.extraTotem = totemKeys(setting, null, "\t");
		cluster.extraSystem = systemKeys(ipcSetting, "\t");
		cluster.mtu = setting.endsWith("-tuned") ? 65535 : 0;
		cluster.members = this.members;
		cluster.up(0);
		List<Path> logs = new ArrayList<>();
		for (int node = 1; node <= this.members; node++) {
			Path config = cluster.writeConfig(node, transport(setting), false, encrypted(setting) ? this.key : null);
			Path log = home.resolve("launcher-" + node + ".log");
			List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", cluster.namespace(node), java()));
			command.addAll(this.jvmFlags);
			// the launcher logs "Sync members[N]" (MAIN) before synchronization completes, both at info
			command.addAll(List.of("-Dorg.slf4j.simpleLogger.log.MAIN=info",
					"-Dorg.slf4j.simpleLogger.log.io.corosync4j.engine.sync=info", "-cp",
					System.getProperty("java.class.path"), "io.corosync4j.engine.runtime.Launcher", "-f", "-c",
					config.toString()));
			started(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
			logs.add(log);
		}
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		for (Path log : logs) {
			// the whole ring synchronized, and IPC served (a client earlier than that finds no socket)
			while (!launcherReady(Files.exists(log) ? Files.readString(log) : "")) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("a launcher did not synchronize a ring of " + this.members + ": "
							+ log);
				}
				Thread.sleep(100);
			}
		}
	}

	private boolean launcherReady(String log) {
		return InteropCluster.synchronizedAfter(log, "Sync members[" + this.members + "]:") && log.contains("Serving IPC");
	}

	private Process cBenchIn(InteropCluster cluster, int node, Path binary, String mode) throws IOException {
		return started(new ProcessBuilder("ip", "netns", "exec", cluster.namespace(node), binary.toString(), mode, "-m",
				Integer.toString(this.members), "-z", this.sizes, "-s", Integer.toString(this.seconds), "-w",
				Integer.toString(this.latencyWarmup))
			.redirectErrorStream(true)
			.start());
	}

	private static Path compileCpgbench(InteropCluster cluster, Path home) throws Exception {
		Path source = home.resolve("cpgbench.c");
		cluster.copyResource("/interop/cpgbench.c", source);
		Path binary = home.resolve("cpgbench");
		InteropCluster.run(List.of("sh", "-c",
				"gcc -O2 -o " + binary + " " + source + " $(pkg-config --cflags --libs libcpg)"));
		if (!Files.isExecutable(binary)) {
			throw new IllegalStateException("cpgbench.c did not compile (libcpg-dev installed?)");
		}
		return binary;
	}

	/** A daemon per member in {@code setting}, returned once each has synchronized the whole ring. */
	private List<Process> startDaemons(InteropCluster cluster, String daemonSetting) throws Exception {
		String setting = totemSetting(daemonSetting);
		// the crypto keys come with writeConfig's key; an unknown setting is refused before any namespace exists
		cluster.extraTotem = totemKeys(setting, null, "\t");
		cluster.extraSystem = systemKeys(daemonSetting, "\t");
		cluster.mtu = setting.endsWith("-tuned") ? 65535 : 0;
		cluster.members = this.members;
		cluster.up(0);
		List<Process> daemons = new ArrayList<>();
		for (int node = 1; node <= this.members; node++) {
			cluster.writeConfig(node, transport(setting), true,
					encrypted(setting) ? this.key : null);
			daemons.add(cluster.startDaemon(node));
		}
		// every daemon, not just the first: a client started before its daemon synchronized fails to join
		String all = "Members[" + this.members + "]: " + String.join(" ",
				IntStream.rangeClosed(1, this.members).mapToObj(Integer::toString).toList());
		for (int node = 1; node <= this.members; node++) {
			cluster.awaitLog(node, 0, (log) -> InteropCluster.synchronizedAfter(log, all));
		}
		return daemons;
	}

	private Process cBench(InteropCluster cluster, Process daemon, Path binary, String mode) throws IOException {
		return started(new ProcessBuilder(cluster.inDaemon(daemon, binary.toString(), mode, "-m",
				Integer.toString(this.members), "-z", this.sizes, "-s", Integer.toString(this.seconds), "-w",
				Integer.toString(this.latencyWarmup)))
			.redirectErrorStream(true)
			.start());
	}

	// ---------------------------------------------------------------------------------------------
	// JGroups

	Measurement jgroups(String setting) throws Exception {
		if (!List.of("sequencer", "sequencer-encrypt").contains(setting)) {
			throw new IllegalArgumentException("no such JGroups setting: " + setting + " (sequencer, sequencer-encrypt)");
		}
		boolean encrypted = setting.endsWith("-encrypt");
		Path home = Files.createTempDirectory(this.directory, "jgroups-" + setting + "-");
		Path keystore = home.resolve("bench.keystore");
		writeKeystore(keystore);
		Path config = home.resolve("jgroups.xml");
		Files.writeString(config, jgroupsConfig(encrypted, keystore));
		String namespace = multicastNamespace();
		try {
			if (this.traffic == Traffic.ALL_SENDERS) {
				return allSending((node) -> jgroupsBench(namespace, config, "all"));
			}
			List<Process> receivers = receivers((node) -> jgroupsBench(namespace, config, "receiver"));
			String sent = Measurement.output(jgroupsBench(namespace, config, senderMode()), senderMinutes());
			List<String> outputs = new ArrayList<>();
			for (Process receiver : receivers) {
				outputs.add(Measurement.output(receiver, 2));
			}
			Map<Integer, Double> rates = Measurement.rates(outputs, sizeCount(), this.warmupRounds);
			if (latencyAfterRounds()) {
				return new Measurement(rates, Measurement.latency(sent));
			}
			List<Process> listeners = receivers((node) -> jgroupsBench(namespace, config, "receiver"));
			long[] latency = Measurement.latency(Measurement.output(jgroupsBench(namespace, config, "latency"), 5));
			for (Process listener : listeners) {
				listener.destroy();
				listener.waitFor(10, TimeUnit.SECONDS);
			}
			return new Measurement(rates, latency);
		}
		finally {
			deleteNamespace(namespace);
		}
	}

	/**
	 * A network namespace of its own whose loopback carries multicast (JGroups' UDP transport), named
	 * after this process; {@link #deleteNamespace} removes it.
	 */
	static String multicastNamespace() throws Exception {
		String namespace = "c4jjg" + ProcessHandle.current().pid() % 100000;
		deleteNamespace(namespace);
		for (String step : List.of("ip netns add " + namespace, "ip -n " + namespace + " link set lo up",
				"ip -n " + namespace + " link set lo multicast on",
				"ip -n " + namespace + " route add 224.0.0.0/4 dev lo")) {
			String output = InteropCluster.run(List.of("sh", "-c", step + " && echo ok"));
			if (!output.contains("ok")) {
				throw new IllegalStateException(step + ": " + output);
			}
		}
		return namespace;
	}

	/** Removes a run's directory and everything in it (binaries, configurations, logs). */
	static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (var paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	static void deleteNamespace(String namespace) throws Exception {
		InteropCluster.run(List.of("ip", "netns", "del", namespace));
	}

	/**
	 * JGroups' own {@code sequencer.xml} on UDP multicast, with the transport settings of its
	 * {@code udp-default.xml} except the bundler capacity (128k: the shipped 16k drops at 64 B),
	 * diagnostics off and a failure detector that tolerates a saturated CPU (with encryption on two
	 * cores the shipped one excludes the sender mid-run, and its forwarded messages are then dropped);
	 * with encryption, {@code SYM_ENCRYPT} (AES-CBC) where {@code sym-encrypt.xml} puts it.
	 * {@code SEQUENCER} sits just under {@code GMS}, the other place {@code sequencer.xml} offers (views
	 * then take their place in the total order too, as in Totem). Above the flow-control protocols, where
	 * the file puts it, the coordinator re-broadcasts forwarded messages through {@code MFC} on the thread
	 * that delivers the sender's batch, waiting there for credits; with {@code SYM_ENCRYPT} on two cores
	 * that wait never ends and the sender stops for good. Plain, both places reach the same rates here.
	 */
	static String jgroupsConfig(boolean encrypted, Path keystore) {
		String encrypt = encrypted ? "  <SYM_ENCRYPT sym_algorithm=\"AES/CBC/PKCS5Padding\" sym_iv_length=\"16\" keystore_name=\""
				+ keystore + "\" keystore_type=\"JCEKS\" store_password=\"changeit\" alias=\"bench\"/>\n" : "";
		return "<config xmlns=\"urn:org:jgroups\">\n"
				+ "  <UDP bind_addr=\"127.0.0.1\" mcast_addr=\"239.8.8.8\" mcast_port=\"45588\" ip_ttl=\"0\"\n"
				+ "       bundler_type=\"pd\" bundler.max_size=\"64K\" bundler.capacity=\"128k\"\n"
				+ "       bundler.use_single_sender_thread=\"true\" bundler.use_ringbuffer=\"true\"\n"
				+ "       message_processing_policy=\"max\" diag.enabled=\"false\"\n"
				+ "       thread_pool.min_threads=\"0\" thread_pool.max_threads=\"200\" use_virtual_threads=\"true\"/>\n"
				+ "  <PING/>\n  <MERGE3/>\n  <FD_SOCK2/>\n  <FD_ALL3 timeout=\"60s\" interval=\"5s\"/>\n"
				+ "  <VERIFY_SUSPECT timeout=\"5s\"/>\n" + encrypt
				+ "  <pbcast.NAKACK2/>\n  <UNICAST3/>\n  <pbcast.STABLE/>\n  <SEQUENCER/>\n  <pbcast.GMS/>\n  <UFC/>\n"
				+ "  <MFC/>\n  <FRAG2/>\n</config>\n";
	}

	private void writeKeystore(Path file) throws Exception {
		KeyStore store = KeyStore.getInstance("JCEKS");
		char[] password = "changeit".toCharArray();
		store.load(null, password);
		store.setEntry("bench", new KeyStore.SecretKeyEntry(new SecretKeySpec(java.util.Arrays.copyOf(this.key, 32), "AES")),
				new KeyStore.PasswordProtection(password));
		try (var out = Files.newOutputStream(file)) {
			store.store(out, password);
		}
	}

	private Process jgroupsBench(String namespace, Path config, String mode) throws IOException {
		return javaIn(namespace, System.getProperty("java.class.path"), JGroupsBench.class, config.toString(),
				Integer.toString(this.members), mode, this.sizes, Integer.toString(this.seconds),
				Integer.toString(this.latencyWarmup));
	}

	/**
	 * A JVM with the suite's flags running {@code main} on {@code classPath}, in network namespace
	 * {@code namespace} ({@code null}: this one); killed when the run ends.
	 */
	Process javaIn(@Nullable String namespace, String classPath, Class<?> main, String... arguments)
			throws IOException {
		List<String> command = new ArrayList<>();
		if (namespace != null) {
			command.addAll(List.of("ip", "netns", "exec", namespace));
		}
		command.add(java());
		command.addAll(this.jvmFlags);
		command.addAll(List.of("-cp", classPath, main.getName()));
		command.addAll(List.of(arguments));
		return started(new ProcessBuilder(command).redirectErrorStream(true).start());
	}

	// ---------------------------------------------------------------------------------------------

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	static int freePort() throws IOException {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			return socket.getLocalPort();
		}
	}

}
