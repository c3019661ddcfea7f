package io.corosync4j.engine.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.corosync4j.engine.chaos.ChaosLog.Address;
import io.corosync4j.engine.chaos.FaultSchedule.Fault;
import io.corosync4j.engine.runtime.InteropCluster;
import org.jspecify.annotations.Nullable;

/**
 * One chaos run: a ring of real processes in network namespaces (corosync4j JVMs running
 * {@link ChaosClient}, Debian's {@code corosync} daemons with {@code chaosclient.c} beside them), a
 * seeded {@link FaultSchedule} played on them with signals and nftables rules inside the namespaces,
 * then a quiet period in which everything heals, the ring must re-form with all nodes and carry new
 * traffic; then every client's log goes through {@link ChaosChecker}.
 *
 * <p>Needs root, iproute2, nftables, util-linux, and for Corosync nodes {@code corosync}, gcc,
 * pkg-config and libcpg-dev. Everything it creates (namespaces, bridge, processes by pid) goes away in
 * {@link #close()}, also when the run fails, and in a shutdown hook if the JVM ends first.
 */
public final class ChaosRing implements AutoCloseable {

	/** Which implementation runs on which node. */
	public enum Ring {

		/** Every node corosync4j. */
		COROSYNC4J,

		/** corosync4j on the odd nodes (3 of 5), Corosync daemons on the even ones. */
		MIXED,

		/** Every node a Corosync daemon: the baseline. */
		COROSYNC

	}

	/** What a run does. */
	public static final class Settings {

		public Ring ring = Ring.COROSYNC4J;

		/** {@code udpu}, or {@code knet} (always with aes256/sha256 and a shared authkey). */
		public String transport = "udpu";

		public long seed = 1;

		public int nodes = 5;

		/** How long faults are injected. */
		public Duration chaos = Duration.ofSeconds(90);

		/** How long the healed ring carries traffic before the senders stop. */
		public Duration quietTraffic = Duration.ofSeconds(8);

		/** How long the ring may take to form (at the start) and to re-form (after the faults). */
		public Duration formBound = Duration.ofSeconds(120);

		/** Messages per second per client. */
		public double rate = 200;

		public int maxSize = 33_000;

		/** {@code totem.token}; {@code token_coefficient} is 0, so this is the token timeout. */
		public int token = 1000;

		/** corosync4j clients join only once the node's first ring is synchronized. */
		public boolean waitSync;

		/** Where the run's files go; a directory of its own is made inside. */
		public Path directory = Path.of("target", "chaos");

		public String name() {
			return this.ring.name().toLowerCase(Locale.ROOT) + "-" + this.transport;
		}

		boolean java(int node) {
			return switch (this.ring) {
				case COROSYNC4J -> true;
				case COROSYNC -> false;
				case MIXED -> node % 2 == 1;
			};
		}

		/** Parses {@code corosync4j-udpu}, {@code mixed-knet}, {@code corosync-udpu}, ... */
		public static Settings of(String name) {
			Settings settings = new Settings();
			int dash = name.lastIndexOf('-');
			settings.ring = Ring.valueOf(name.substring(0, dash).toUpperCase(Locale.ROOT));
			settings.transport = name.substring(dash + 1);
			if (!Set.of("udpu", "knet").contains(settings.transport)) {
				throw new IllegalArgumentException("transport udpu or knet, not " + settings.transport);
			}
			return settings;
		}

	}

	/**
	 * What a run showed.
	 *
	 * @param settings what ran
	 * @param schedule the faults planned
	 * @param injected the faults injected, by kind
	 * @param report the checker's findings
	 * @param sent messages the clients multicast (accepted by their node)
	 * @param unexpectedExits processes that ended without being killed, as "node: what"
	 * @param formed whether the ring re-formed with all nodes after the faults
	 * @param directory the run's files: logs, daemon logs, faults, report
	 */
	public record Result(Settings settings, FaultSchedule schedule, Map<FaultSchedule.Kind, Integer> injected,
			ChaosChecker.Report report, long sent, List<String> unexpectedExits, boolean formed, Path directory) {

		public String summary() {
			ChaosChecker.Report r = this.report;
			return String.format(Locale.ROOT,
					"chaos %s seed %d: %ds of faults, %d injected %s; %d messages sent, %d deliveries by %d processes, "
							+ "%d configuration changes; %d violations %s (a corosync4j process differs in %d, only "
							+ "corosync4j in %d; a Corosync one in %d, only Corosync in %d; corosync4j against agreeing "
							+ "Corosync processes in %d; messages of a corosync4j sender in %d, of a Corosync one in %d); "
							+ "re-formed: %s; unexpected exits: %d; files: %s",
					this.settings.name(), this.settings.seed, this.settings.chaos.toSeconds(),
					this.injected.values().stream().mapToInt(Integer::intValue).sum(), this.injected, this.sent,
					r.deliveries(), r.processes(), r.changes(), r.violations().size(), r.byKind(),
					r.differingIn("corosync4j"), r.differingOnlyIn("corosync4j"), r.differingIn("corosync"),
					r.differingOnlyIn("corosync"), r.againstCorosync(), r.messagesOf("corosync4j"), r.messagesOf("corosync"),
					this.formed, this.unexpectedExits.size(),
					this.directory);
		}

	}

	/** A node and its processes (the current incarnation). */
	private final class Node {

		final int id;

		final boolean java;

		int incarnation;

		@Nullable Process main;

		/** The C client beside a daemon. */
		@Nullable Process client;

		@Nullable LiveLog log;

		boolean killed;

		Node(int id, boolean java) {
			this.id = id;
			this.java = java;
		}

		List<Process> processes() {
			return Stream.of(this.main, this.client).filter((p) -> p != null && p.isAlive()).toList();
		}

		String namespace() {
			return ChaosRing.this.tag + "n" + this.id;
		}

		String address() {
			return ChaosRing.this.net + "." + this.id;
		}

		Path home() {
			return ChaosRing.this.directory.resolve("n" + this.id);
		}

		@Override
		public String toString() {
			return "n" + this.id + "." + this.incarnation + (this.java ? " (corosync4j)" : " (corosync)");
		}

	}

	private final Settings settings;

	final Path directory;

	private final String tag = "chx" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(0x10000));

	private final String net = "10.96." + ThreadLocalRandom.current().nextInt(1, 255);

	private final List<Node> nodes = new ArrayList<>();

	/** Every process started, for the teardown. */
	private final List<Process> started = new ArrayList<>();

	private final List<LiveLog> allLogs = new ArrayList<>();

	private final List<String> unexpectedExits = new ArrayList<>();

	private final Map<FaultSchedule.Kind, Integer> injected = new EnumMap<>(FaultSchedule.Kind.class);

	private @Nullable Path clientBinary;

	private boolean networkUp;

	private final Thread hook = new Thread(this::teardown, "chaos-teardown");

	private final long startMillis = System.currentTimeMillis();

	public ChaosRing(Settings settings) throws IOException {
		this.settings = settings;
		this.directory = settings.directory.toAbsolutePath()
			.resolve(settings.name() + "-seed" + settings.seed + "-" + System.currentTimeMillis());
		Files.createDirectories(this.directory.resolve("logs"));
		for (int i = 1; i <= settings.nodes; i++) {
			this.nodes.add(new Node(i, settings.java(i)));
		}
		Runtime.getRuntime().addShutdownHook(this.hook);
	}

	/** What a run needs that this machine lacks (empty when it can run). */
	public static List<String> missingTools(Settings settings) throws Exception {
		List<String> missing = new ArrayList<>();
		if (!"0".equals(InteropCluster.run(List.of("id", "-u")).trim())) {
			missing.add("root");
		}
		List<String> commands = new ArrayList<>(List.of("ip", "nft", "unshare", "nsenter", "kill"));
		if (settings.ring != Ring.COROSYNC4J) {
			commands.addAll(List.of("gcc", "pkg-config", "corosync"));
		}
		for (String command : commands) {
			if (InteropCluster.run(List.of("sh", "-c", "command -v " + command + " || test -x /usr/sbin/" + command + " && echo y"))
				.isBlank()) {
				missing.add(command);
			}
		}
		if (settings.ring != Ring.COROSYNC4J
				&& InteropCluster.run(List.of("sh", "-c", "pkg-config --exists libcpg && echo y")).isBlank()) {
			missing.add("libcpg-dev");
		}
		return missing;
	}

	public Result run() throws Exception {
		FaultSchedule schedule = new FaultSchedule(this.settings.seed, this.settings.nodes,
				this.settings.chaos.toMillis(), this.settings.token, this.settings.transport.equals("udpu"));
		Files.writeString(this.directory.resolve("faults.txt"), schedule + "\n");
		setUp();
		for (Node node : this.nodes) {
			start(node);
		}
		if (!awaitFormed(this.settings.formBound)) {
			throw new IllegalStateException("the ring of " + this.settings.name() + " did not form within "
					+ this.settings.formBound + ": " + views() + " (files: " + this.directory + ")");
		}
		event("ring formed: " + views());
		long chaosStart = System.nanoTime();
		for (Fault fault : schedule.faults) {
			sleepUntil(chaosStart, fault.at());
			restartUnexpectedlyEnded();
			event("fault " + fault);
			inject(fault, chaosStart);
			this.injected.merge(fault.kind(), 1, Integer::sum);
		}
		sleepUntil(chaosStart, this.settings.chaos.toMillis());
		event("quiet period: healing");
		heal();
		boolean formed = awaitFormed(this.settings.formBound);
		event("quiet period: " + (formed ? "one ring with every node: " : "no single ring: ") + views());
		if (formed) {
			// the healed ring carries traffic for a while: a duration of the test, not a wait for an event
			Thread.sleep(this.settings.quietTraffic.toMillis());
		}
		stopSending();
		boolean drained = await(Duration.ofSeconds(60), this::drained);
		event("senders stopped; " + (drained ? "every message delivered everywhere" : "not drained within 60 s"));
		end();
		List<ChaosLog> logs = new ArrayList<>();
		ChaosLog.Senders senders = new ChaosLog.Senders();
		try (Stream<Path> files = Files.list(this.directory.resolve("logs"))) {
			for (Path file : files.sorted().toList()) {
				ChaosLog log = ChaosLog.read(file, senders);
				// a process killed before it wrote its first line has nothing to check
				if (log.self.nodeid() != 0) {
					logs.add(log);
				}
			}
		}
		Set<Long> nodeIds = new TreeSet<>();
		this.nodes.forEach((n) -> nodeIds.add((long) n.id));
		long runStart = logs.stream().mapToLong((log) -> log.startTime).min().orElse(0);
		ChaosChecker.Report report = new ChaosChecker(logs, senders, nodeIds)
			.withEarlyFrees(RecoveryTrace.read(this.directory, runStart))
			.check();
		long sent = logs.stream().mapToLong((l) -> l.lastSent).sum();
		Result result = new Result(this.settings, schedule, Map.copyOf(this.injected), report, sent,
				List.copyOf(this.unexpectedExits), formed, this.directory);
		writeReport(result, logs);
		return result;
	}

	// ---------------------------------------------------------------------------------------------
	// set-up

	private void setUp() throws Exception {
		Path script = this.directory.resolve("netns.sh");
		copyResource("/interop/netns.sh", script);
		this.networkUp = true;
		InteropCluster.run(List.of("bash", script.toString(), "up", this.tag, this.net, Integer.toString(this.settings.nodes), "0"));
		for (Node node : this.nodes) {
			nft(node, "table inet chaos {\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n\t}\n}\n");
		}
		byte[] key = null;
		if (this.settings.transport.equals("knet")) {
			key = new byte[256];
			new SecureRandom().nextBytes(key);
		}
		for (Node node : this.nodes) {
			writeConfig(node, key);
		}
		if (this.nodes.stream().anyMatch((n) -> !n.java)) {
			Path source = this.directory.resolve("chaosclient.c");
			copyResource("/chaos/chaosclient.c", source);
			Path binary = this.directory.resolve("chaosclient");
			String output = InteropCluster.run(List.of("sh", "-c",
					"gcc -O2 -Wall -o " + binary + " " + source + " $(pkg-config --cflags --libs libcpg) 2>&1"));
			if (!Files.isExecutable(binary)) {
				throw new IllegalStateException("gcc could not build chaosclient.c: " + output);
			}
			this.clientBinary = binary;
		}
	}

	private void writeConfig(Node node, byte @Nullable [] key) throws IOException {
		Path home = node.home();
		for (String sub : List.of("etc", "log", "state")) {
			Files.createDirectories(home.resolve(sub));
		}
		StringBuilder nodelist = new StringBuilder();
		for (Node other : this.nodes) {
			nodelist.append("\tnode {\n\t\tnodeid: ").append(other.id).append("\n\t\tname: n").append(other.id)
				.append("\n\t\tring0_addr: ").append(other.address()).append("\n\t}\n");
		}
		String crypto = InteropCluster.cryptoKeys(home, key, !node.java);
		String text = "totem {\n\tversion: 2\n\tcluster_name: chaos\n\ttransport: " + this.settings.transport
				+ "\n\ttoken: " + this.settings.token + "\n\ttoken_coefficient: 0\n" + crypto + "}\n\nnodelist {\n"
				+ nodelist + "}\n\nquorum {\n\tprovider: corosync_votequorum\n}\n\nlogging {\n"
				+ (node.java ? "\tto_stderr: yes\n"
						: "\tto_logfile: yes\n\tlogfile: /var/log/corosync/corosync.log\n\tto_stderr: no\n")
				+ "\tto_syslog: no\n\ttimestamp: hires\n\tdebug: off\n"
				// Totem's recovery at debug (what each member held and retransmitted), to compare with the
				// corosync4j nodes' own trace
				+ (node.java ? "" : "\tlogger_subsys {\n\t\tsubsys: TOTEM\n\t\tdebug: on\n\t}\n")
				+ "}\n\nsystem {\n\tstate_dir: "
				+ (node.java ? home.resolve("state").toString() : "/var/lib/corosync") + "\n\tsched_rr: no\n}\n";
		Files.writeString(home.resolve("etc").resolve("corosync.conf"), text);
	}

	// ---------------------------------------------------------------------------------------------
	// processes

	private synchronized void start(Node node) throws IOException {
		node.incarnation++;
		node.killed = false;
		Path log = this.directory.resolve("logs").resolve("n" + node.id + "." + node.incarnation + ".log");
		Path out = node.home().resolve("out." + node.incarnation + ".txt");
		long clientSeed = this.settings.seed * 1000 + node.id * 10L + node.incarnation;
		if (node.java) {
			Path java = Path.of(System.getProperty("java.home"), "bin", "java");
			List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", node.namespace(), java.toString(),
					"-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
					// Totem's recovery (what each member held, retransmitted and delivered) and each switch into and
					// out of throw-away, to read a receiver's view of a stream afterwards
					"-Dorg.slf4j.simpleLogger.log.io.corosync4j.engine.totem=debug",
					// and every application message CPG drops (a piece without its start, a malformed one)
					"-Dorg.slf4j.simpleLogger.log.io.corosync4j.engine.service.cpg.CpgService=debug",
					"-Dorg.slf4j.simpleLogger.showDateTime=true",
					"-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp", System.getProperty("java.class.path"),
					ChaosClient.class.getName(), "-c", node.home().resolve("etc").resolve("corosync.conf").toString(), "-o",
					log.toString(), "-a", node.address(), "-r", Double.toString(this.settings.rate), "-m",
					Integer.toString(this.settings.maxSize), "-z", Long.toString(clientSeed)));
			if (this.settings.waitSync) {
				command.add("--wait-sync");
			}
			node.main = track(new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
				.start());
			node.client = null;
		}
		else {
			Path home = node.home();
			// /dev/shm too: the daemon's libqb blackbox and IPC files go with it instead of filling the host's
			String mounts = "mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /dev/shm"
					+ " && mount --bind " + home.resolve("etc") + " /etc/corosync"
					+ " && mount --bind " + home.resolve("log") + " /var/log/corosync" + " && mount --bind "
					+ home.resolve("state") + " /var/lib/corosync && exec corosync -f";
			node.main = track(new ProcessBuilder("ip", "netns", "exec", node.namespace(), "unshare", "-m",
					"--propagation", "private", "sh", "-c", mounts)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
				.start());
			// nsenter must see the daemon's namespaces, not those of the ip and unshare it starts as
			Process daemon = node.main;
			if (!awaitQuietly(Duration.ofSeconds(30), () -> "corosync".equals(comm(daemon)))) {
				throw new IllegalStateException(node + ": the daemon did not start: " + Files.readString(out));
			}
			node.client = track(new ProcessBuilder("nsenter", "-t", Long.toString(node.main.pid()), "-m", "-n",
					this.clientBinary.toString(), "-o", log.toString(), "-r", Double.toString(this.settings.rate), "-m",
					Integer.toString(this.settings.maxSize), "-z", Long.toString(clientSeed))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("client-out." + node.incarnation + ".txt")
					.toFile()))
				.start());
		}
		node.log = new LiveLog(log);
		this.allLogs.add(node.log);
		event("started " + node + ": pid " + node.main.pid() + ((node.client != null) ? ", client pid "
				+ node.client.pid() : ""));
	}

	private static @Nullable String comm(Process process) {
		try {
			return Files.readString(Path.of("/proc", Long.toString(process.pid()), "comm")).trim();
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static boolean awaitQuietly(Duration bound, BooleanSupplier condition) {
		long deadline = System.nanoTime() + bound.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	private Process track(Process process) {
		this.started.add(process);
		return process;
	}

	private void kill(Node node) throws Exception {
		node.killed = true;
		if (node.main != null) {
			signal("KILL", node.main);
			node.main.waitFor(10, TimeUnit.SECONDS);
		}
		if (node.client != null) {
			// the client notices its daemon is gone and ends; if it does not, it goes the same way
			if (!node.client.waitFor(5, TimeUnit.SECONDS)) {
				signal("KILL", node.client);
				node.client.waitFor(10, TimeUnit.SECONDS);
			}
		}
		event("killed " + node);
	}

	private void signal(String signal, Process process) throws Exception {
		if (process.isAlive()) {
			InteropCluster.run(List.of("kill", "-s", signal, Long.toString(process.pid())));
		}
	}

	private void pause(Node node, boolean stop) throws Exception {
		for (Process process : node.processes()) {
			signal(stop ? "STOP" : "CONT", process);
		}
	}

	/** Processes that ended without being killed are noted and started again. */
	private void restartUnexpectedlyEnded() throws Exception {
		for (Node node : this.nodes) {
			if (node.killed) {
				continue;
			}
			boolean mainGone = node.main == null || !node.main.isAlive();
			boolean clientGone = node.client != null && !node.client.isAlive();
			if (mainGone || clientGone) {
				String what = node + (mainGone ? " main process exited " + ((node.main != null) ? node.main.exitValue() : "")
						: " client exited " + node.client.exitValue());
				this.unexpectedExits.add(what);
				event("unexpected exit: " + what);
				kill(node);
				start(node);
			}
		}
	}

	// ---------------------------------------------------------------------------------------------
	// faults

	private void inject(Fault fault, long chaosStart) throws Exception {
		List<Node> hit = fault.nodes().stream().map((i) -> this.nodes.get(i - 1)).toList();
		List<Node> others = this.nodes.stream().filter((n) -> !hit.contains(n)).toList();
		Map<Node, List<String>> rules = new LinkedHashMap<>();
		if (fault.backgroundLoss() > 0) {
			for (Node node : this.nodes) {
				rules.computeIfAbsent(node, (n) -> new ArrayList<>()).add(loss(fault.backgroundLoss()));
			}
		}
		long end = fault.at() + fault.duration();
		switch (fault.kind()) {
			case KILL -> {
				applyRules(rules);
				for (Node node : hit) {
					kill(node);
				}
				sleepUntil(chaosStart, end);
				for (Node node : hit) {
					start(node);
				}
			}
			case PAUSE_SHORT, PAUSE_LONG -> {
				applyRules(rules);
				for (Node node : hit) {
					pause(node, true);
				}
				sleepUntil(chaosStart, end);
				for (Node node : hit) {
					pause(node, false);
				}
			}
			case PARTITION, ONE_WAY -> {
				String hitAddresses = addresses(hit);
				for (Node node : others) {
					rules.computeIfAbsent(node, (n) -> new ArrayList<>()).add("ip saddr { " + hitAddresses + " } drop");
				}
				if (fault.kind() == FaultSchedule.Kind.PARTITION) {
					for (Node node : hit) {
						rules.computeIfAbsent(node, (n) -> new ArrayList<>())
							.add("ip saddr { " + addresses(others) + " } drop");
					}
				}
				applyRules(rules);
				sleepUntil(chaosStart, end);
			}
			case LOSS -> {
				for (Node node : hit) {
					rules.computeIfAbsent(node, (n) -> new ArrayList<>()).add(loss(fault.percent()));
				}
				applyRules(rules);
				sleepUntil(chaosStart, end);
			}
			case TOKEN_LOSS -> {
				for (Node node : hit) {
					rules.computeIfAbsent(node, (n) -> new ArrayList<>()).add(typeLoss(0, fault.percent()));
				}
				applyRules(rules);
				sleepUntil(chaosStart, end);
			}
			case JOIN_LOSS -> {
				for (Node node : this.nodes) {
					rules.computeIfAbsent(node, (n) -> new ArrayList<>()).add(0, typeLoss(3, fault.percent()));
				}
				applyRules(rules);
				for (Node node : hit) {
					pause(node, true);
				}
				sleepUntil(chaosStart, fault.at() + fault.duration() / 2);
				for (Node node : hit) {
					pause(node, false);
				}
				sleepUntil(chaosStart, end);
			}
		}
		clearRules();
	}

	/** Random loss of what the node receives from other hosts. */
	private static String loss(int percent) {
		return "iifname != \"lo\" meta l4proto udp numgen random mod 100 < " + percent + " drop";
	}

	/**
	 * Loss of one Totem message type: the UDP payload starts with the Totem header (magic {@code 70 c0},
	 * version, type), visible on udpu only.
	 */
	private static String typeLoss(int type, int percent) {
		return "iifname != \"lo\" meta l4proto udp @th,64,16 0x70c0 @th,88,8 " + type
				+ ((percent >= 100) ? "" : " numgen random mod 100 < " + percent) + " drop";
	}

	private static String addresses(List<Node> nodes) {
		return nodes.stream().map(Node::address).collect(Collectors.joining(", "));
	}

	private void applyRules(Map<Node, List<String>> rules) throws Exception {
		Map<Node, String> scripts = new LinkedHashMap<>();
		for (Map.Entry<Node, List<String>> entry : rules.entrySet()) {
			StringBuilder script = new StringBuilder("flush chain inet chaos input\n");
			for (String rule : entry.getValue()) {
				script.append("add rule inet chaos input ").append(rule).append('\n');
			}
			scripts.put(entry.getKey(), script.toString());
		}
		nft(scripts);
		if (!rules.isEmpty()) {
			event("rules: " + rules.entrySet().stream().map((e) -> "n" + e.getKey().id + " " + e.getValue())
				.collect(Collectors.joining("; ")));
		}
	}

	private void clearRules() throws Exception {
		Map<Node, String> scripts = new LinkedHashMap<>();
		for (Node node : this.nodes) {
			scripts.put(node, "flush chain inet chaos input\n");
		}
		nft(scripts);
	}

	private void nft(Node node, String script) throws Exception {
		nft(Map.of(node, script));
	}

	/** Runs nft in several namespaces at once, so a partition starts at about the same time everywhere. */
	private void nft(Map<Node, String> scripts) throws Exception {
		Map<Node, Process> processes = new LinkedHashMap<>();
		for (Map.Entry<Node, String> entry : scripts.entrySet()) {
			Path file = this.directory.resolve("nft-n" + entry.getKey().id + ".txt");
			Files.writeString(file, entry.getValue());
			processes.put(entry.getKey(), new ProcessBuilder("ip", "netns", "exec", entry.getKey().namespace(), "nft", "-f",
					file.toString())
				.redirectErrorStream(true)
				.start());
		}
		for (Map.Entry<Node, Process> entry : processes.entrySet()) {
			Process process = entry.getValue();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("nft in " + entry.getKey().namespace() + " failed: " + output + "\n"
						+ scripts.get(entry.getKey()));
			}
		}
	}

	// ---------------------------------------------------------------------------------------------
	// the quiet period and the end

	private void heal() throws Exception {
		clearRules();
		for (Node node : this.nodes) {
			pause(node, false);
		}
		for (Node node : this.nodes) {
			if (node.killed || node.main == null || !node.main.isAlive()
					|| node.client != null && !node.client.isAlive()) {
				if (!node.killed) {
					this.unexpectedExits.add(node + " had ended by the quiet period");
				}
				kill(node);
				start(node);
			}
		}
	}

	/** Whether every current client is in one configuration with exactly the current clients. */
	private boolean formed() {
		List<Address> expected = new ArrayList<>();
		for (Node node : this.nodes) {
			if (node.log == null || node.log.self == null) {
				return false;
			}
			expected.add(node.log.self);
		}
		expected.sort(null);
		return this.nodes.stream().allMatch((n) -> n.log.members.equals(expected));
	}

	private boolean awaitFormed(Duration bound) throws Exception {
		return await(bound, this::formed);
	}

	private boolean drained() {
		for (Node node : this.nodes) {
			if (node.log == null || node.log.self == null || node.log.quietSent < 0) {
				return false;
			}
		}
		for (Node sender : this.nodes) {
			for (Node receiver : this.nodes) {
				if (receiver.log.highest(sender.log.self) < sender.log.quietSent) {
					return false;
				}
			}
		}
		return true;
	}

	private boolean await(Duration bound, BooleanSupplier condition) throws Exception {
		long deadline = System.nanoTime() + bound.toNanos();
		while (true) {
			for (Node node : this.nodes) {
				if (node.log != null) {
					node.log.poll();
				}
			}
			if (condition.getAsBoolean()) {
				return true;
			}
			if (System.nanoTime() > deadline) {
				return false;
			}
			Thread.sleep(200);
		}
	}

	private void stopSending() throws Exception {
		for (Node node : this.nodes) {
			if (node.java) {
				command(node, "stop");
			}
			else if (node.client != null) {
				signal("USR1", node.client);
			}
		}
	}

	private void command(Node node, String command) {
		try {
			OutputStream in = node.main.getOutputStream();
			in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
			in.flush();
		}
		catch (IOException ex) {
			event("could not tell " + node + " to " + command + ": " + ex);
		}
	}

	/** Every client writes its end line and exits without leaving; then the daemons stop. */
	private void end() throws Exception {
		for (Node node : this.nodes) {
			if (node.java) {
				command(node, "end");
			}
			else if (node.client != null) {
				signal("TERM", node.client);
			}
		}
		for (Node node : this.nodes) {
			Process process = node.java ? node.main : node.client;
			if (process != null && !process.waitFor(20, TimeUnit.SECONDS)) {
				event(node + " did not end within 20 s");
			}
		}
		for (Node node : this.nodes) {
			if (!node.java && node.main != null) {
				signal("TERM", node.main);
			}
		}
	}

	// ---------------------------------------------------------------------------------------------

	private void sleepUntil(long start, long offsetMillis) throws InterruptedException {
		long left = start + TimeUnit.MILLISECONDS.toNanos(offsetMillis) - System.nanoTime();
		if (left > 0) {
			TimeUnit.NANOSECONDS.sleep(left);
		}
	}

	private String views() {
		return this.nodes.stream()
			.map((n) -> "n" + n.id + "=" + ((n.log == null) ? "?" : n.log.members.size() + " members"))
			.collect(Collectors.joining(", "));
	}

	private synchronized void event(String text) {
		String line = String.format(Locale.ROOT, "%s +%7.1fs %s%n", ChaosLog.clock(System.currentTimeMillis()),
				(System.currentTimeMillis() - this.startMillis) / 1000.0, text);
		try {
			Files.writeString(this.directory.resolve("events.txt"), line, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			// the report still has the rest
		}
	}

	private void writeReport(Result result, List<ChaosLog> logs) throws IOException {
		StringBuilder text = new StringBuilder();
		text.append(result.summary()).append("\n\n");
		text.append("processes:\n");
		for (ChaosLog log : logs) {
			text.append(String.format(Locale.ROOT, "  %-40s %s, sent %d, delivered %d, %d configuration changes%s%n",
					log.name, log.self + " " + log.impl, log.lastSent, log.delivered(), log.views.size(),
					log.ended ? ", alive at the end" : (log.lostReason != null ? ", lost: " + log.lostReason : ", killed")));
		}
		text.append("\nunexpected exits: ").append(result.unexpectedExits()).append('\n');
		text.append("\nfaults (").append(result.schedule()).append(")\n");
		text.append("\nviolations (").append(result.report().violations().size()).append("):\n");
		for (ChaosChecker.Violation violation : result.report().violations()) {
			text.append("- ").append(violation.kind()).append(" [differing: ").append(violation.differingImpls())
				.append("] ").append(violation.text()).append('\n');
		}
		if (!result.report().unmatchedExamples().isEmpty()) {
			text.append("\nchanges not compared (the same lists, not placed by common messages):\n");
			result.report().unmatchedExamples().forEach((u) -> text.append("- ").append(u).append('\n'));
		}
		Files.writeString(this.directory.resolve("report.txt"), text);
	}

	/**
	 * Deletes the clients' logs and the daemons' files of a run that kept every rule: the report, the
	 * faults and the events stay.
	 */
	public void deleteLogs() throws IOException {
		List<Path> doomed = new ArrayList<>();
		try (Stream<Path> files = Files.walk(this.directory)) {
			// everything below the run's directory except its top-level files (report, faults, events)
			files.filter((p) -> !p.equals(this.directory)
					&& (!p.getParent().equals(this.directory) || Files.isDirectory(p)
							|| p.getFileName().toString().equals("chaosclient")))
				.forEach(doomed::add);
		}
		doomed.sort(java.util.Comparator.reverseOrder());
		for (Path path : doomed) {
			Files.deleteIfExists(path);
		}
	}

	private void copyResource(String resource, Path target) throws IOException {
		try (InputStream in = ChaosRing.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("no resource " + resource);
			}
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private synchronized void teardown() {
		for (Process process : this.started) {
			if (process.isAlive()) {
				try {
					signal("CONT", process);
				}
				catch (Exception ex) {
					// killed below either way
				}
				process.destroyForcibly();
			}
		}
		for (Process process : this.started) {
			try {
				process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		if (this.networkUp) {
			try {
				InteropCluster.run(List.of("bash", this.directory.resolve("netns.sh").toString(), "down", this.tag, this.net,
						Integer.toString(this.settings.nodes)));
			}
			catch (Exception ex) {
				// nothing more to do
			}
			this.networkUp = false;
		}
	}

	@Override
	public void close() {
		teardown();
		try {
			Runtime.getRuntime().removeShutdownHook(this.hook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down: the hook runs
		}
	}

}
