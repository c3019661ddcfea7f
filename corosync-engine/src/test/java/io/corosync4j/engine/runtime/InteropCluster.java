package io.corosync4j.engine.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Real Corosync 3 daemons for interop tests: three nodes (or {@link #members}) on a private bridge, daemons
 * in network and mount namespaces of their own (own /run, config, log and state directories), Java nodes either in a
 * namespace (as launcher processes) or with their address on the bridge (in this JVM). Needs root,
 * Debian's {@code corosync}, iproute2 and util-linux; {@link #requireTools} skips without them, unless
 * {@code COROSYNC4J_REQUIRE_INTEROP=1} (CI) makes that a failure.
 */
public final class InteropCluster implements AutoCloseable {

	public static final Duration BOUND = Duration.ofSeconds(60);

	public final Path directory;

	final String tag = "c4j" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(0x10000));

	final String net = "10.98." + ThreadLocalRandom.current().nextInt(1, 255);

	/** The second network's prefix, for a second knet link ({@link #up(int, boolean)}). */
	final String net2 = "10.97." + ThreadLocalRandom.current().nextInt(1, 255);

	private final Path script;

	private boolean twoLinks;

	/** More {@code totem} keys for every config written, each line starting with a tab. */
	public String extraTotem = "";

	/** More {@code system} keys for every daemon config written, each line starting with a tab. */
	public String extraSystem = "";

	/** The first network's MTU, 0 for the kernel's default (1500); set before {@link #up(int)}. */
	public int mtu;

	/** How many nodes the network and every configuration have (set before {@link #up(int)}). */
	public int members = 3;

	private final List<Process> daemons = new ArrayList<>();

	private boolean up;

	public InteropCluster(Path directory) throws IOException {
		this.directory = directory;
		this.script = directory.resolve("netns.sh");
		copyResource("/interop/netns.sh", this.script);
	}

	/** Skips (or under CI fails) with what is missing. */
	public static void requireTools(String... more) throws Exception {
		List<String> missing = new ArrayList<>();
		if (!"0".equals(run(List.of("id", "-u")).trim())) {
			missing.add("root");
		}
		for (String tool : List.of("/usr/sbin/corosync", "/usr/sbin/corosync-cfgtool", "/usr/sbin/corosync-quorumtool")) {
			if (!Files.isExecutable(Path.of(tool))) {
				missing.add(tool + " (apt-get install corosync)");
			}
		}
		List<String> commands = new ArrayList<>(List.of("ip", "unshare", "nsenter"));
		commands.addAll(List.of(more));
		for (String command : commands) {
			if (run(List.of("sh", "-c", "command -v " + command)).isBlank()) {
				missing.add(command);
			}
		}
		if (missing.isEmpty()) {
			return;
		}
		String message = "Corosync interop test needs " + String.join(", ", missing);
		if ("1".equals(System.getenv("COROSYNC4J_REQUIRE_INTEROP"))) {
			fail(message);
		}
		Assumptions.abort(message);
	}

	/** Creates the network; {@code onBridge} (0 for none) gets its address on the host's bridge. */
	public void up(int onBridge) throws Exception {
		up(onBridge, false);
	}

	/** As {@link #up(int)}; with {@code twoLinks} a second network, and configs with {@code ring1_addr}. */
	void up(int onBridge, boolean twoLinks) throws Exception {
		this.up = true;
		this.twoLinks = twoLinks;
		List<String> command = new ArrayList<>(List.of("env", "NETNS_MTU=" + ((this.mtu > 0) ? this.mtu : ""), "bash",
				this.script.toString(), "up", this.tag, this.net, Integer.toString(this.members),
				Integer.toString(onBridge)));
		if (twoLinks) {
			command.add(this.net2);
		}
		String output = run(command);
		if (!output.isBlank()) {
			System.out.println(output);
		}
	}

	/** Node {@code node}'s address on the second network. */
	String address2(int node) {
		return this.net2 + "." + node;
	}

	/** The interface of node {@code node} (in its namespace) on link {@code link}. */
	String device(int node, int link) {
		return this.tag + ((link == 0) ? "v" : "w") + node;
	}

	public String namespace(int node) {
		return this.tag + "n" + node;
	}

	String address(int node) {
		return this.net + "." + node;
	}

	/** Writes node {@code node}'s corosync.conf: every node of the cluster, the transport, Corosync's log on for daemons. */
	Path writeConfig(int node, String transport, boolean daemon) throws IOException {
		return writeConfig(node, transport, daemon, null);
	}

	/**
	 * As above; with {@code key}, packets are encrypted with aes256/sha256 and that authkey (copied to the
	 * daemon's /etc/corosync/authkey).
	 */
	public Path writeConfig(int node, String transport, boolean daemon, @Nullable byte[] key) throws IOException {
		Path home = home(node);
		for (String sub : List.of("etc", "log", "state")) {
			Files.createDirectories(home.resolve(sub));
		}
		StringBuilder nodes = new StringBuilder();
		for (int i = 1; i <= this.members; i++) {
			nodes.append("\tnode {\n\t\tnodeid: ").append(i).append("\n\t\tname: n").append(i).append("\n\t\tring0_addr: ")
				.append(address(i)).append('\n');
			if (this.twoLinks) {
				nodes.append("\t\tring1_addr: ").append(address2(i)).append('\n');
			}
			nodes.append("\t}\n");
		}
		String crypto = cryptoKeys(home, key, daemon);
		String text = "totem {\n\tversion: 2\n\tcluster_name: interop\n\ttransport: " + transport + "\n\ttoken: 1000\n"
				+ this.extraTotem
				+ crypto + "}\n\nnodelist {\n" + nodes + "}\n\n"
				+ "quorum {\n\tprovider: corosync_votequorum\n}\n\nlogging {\n"
				+ (daemon ? "\tto_logfile: yes\n\tlogfile: /var/log/corosync/corosync.log\n\tto_stderr: no\n"
						: "\tto_stderr: yes\n")
				+ "\tto_syslog: no\n\ttimestamp: hires\n\tdebug: on\n}\n\nsystem {\n\tstate_dir: "
				+ (daemon ? "/var/lib/corosync" : home.resolve("state").toString()) + "\n\tsched_rr: no\n"
				+ this.extraSystem + "}\n";
		Path file = home.resolve("etc").resolve("corosync.conf");
		Files.writeString(file, text);
		return file;
	}

	/**
	 * A daemon in node {@code node}'s namespace, with its own /run and /dev/shm and the standard paths bound to its
	 * directories.
	 */
	public Process startDaemon(int node) throws IOException {
		Path home = home(node);
		// /dev/shm too: the daemon's libqb blackbox and IPC files go with it instead of filling the host's
		String mounts = "mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /dev/shm"
				+ " && mount --bind " + home.resolve("etc") + " /etc/corosync"
				+ " && mount --bind " + home.resolve("log") + " /var/log/corosync"
				+ " && mount --bind " + home.resolve("state") + " /var/lib/corosync && exec corosync -f";
		Process daemon = new ProcessBuilder("ip", "netns", "exec", namespace(node), "unshare", "-m", "--propagation",
				"private", "sh", "-c", mounts)
			.redirectErrorStream(true)
			.redirectOutput(home.resolve("stdout").toFile())
			.start();
		this.daemons.add(daemon);
		return daemon;
	}

	/** Two Corosync daemons, members 1 and 2, in a ring of their own, and the configuration of a Java member 3. */
	public record TwoDaemons(Process first, Process second, Path javaConfig) {
	}

	/** Brings up three members on udpu, starts daemons on 1 and 2 and waits until they formed their ring. */
	public TwoDaemons twoDaemonsAndAJavaMember() throws Exception {
		up(3);
		writeConfig(1, "udpu", true);
		writeConfig(2, "udpu", true);
		Path javaConfig = writeConfig(3, "udpu", false);
		Process first = startDaemon(1);
		Process second = startDaemon(2);
		awaitLog(1, 0, (log) -> synchronizedAfter(log, "Members[2]: 1 2"));
		return new TwoDaemons(first, second, javaConfig);
	}

	/** A Java node from {@code config}, on member {@code node}'s address. */
	public CorosyncNode startJavaNode(int node, Path config) throws Exception {
		return CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(config))
			.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(), List.of(InetAddress.getByName(address(node)))))
			.start();
	}

	/** Runs {@code command} inside a daemon's namespaces (network and mount: its /run, its IPC). */
	public List<String> inDaemon(Process daemon, String... command) {
		List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(daemon.pid()), "-m", "-n"));
		full.addAll(List.of(command));
		return full;
	}

	Path home(int node) {
		return this.directory.resolve("n" + node);
	}

	long logLength(int node) throws IOException {
		Path log = daemonLog(node);
		return Files.exists(log) ? Files.size(log) : 0;
	}

	private Path daemonLog(int node) {
		return home(node).resolve("log").resolve("corosync.log");
	}

	/** Polls the daemon's log from byte {@code from} until {@code condition} holds for what was written since. */
	public String awaitLog(int node, long from, Predicate<String> condition) throws Exception {
		long deadline = System.nanoTime() + BOUND.toNanos();
		Path log = daemonLog(node);
		String text = "";
		while (System.nanoTime() < deadline) {
			if (Files.exists(log)) {
				byte[] bytes = Files.readAllBytes(log);
				text = new String(bytes, (int) Math.min(from, bytes.length), (int) Math.max(0, bytes.length - from),
						StandardCharsets.UTF_8);
				if (condition.test(text)) {
					return text;
				}
			}
			Thread.sleep(50);
		}
		throw new TimeoutException("daemon " + node + "'s log never showed what was expected:\n" + text);
	}

	/** Whether the daemon logged {@code members} and then completed synchronization. */
	public static boolean synchronizedAfter(String log, String members) {
		int at = log.lastIndexOf(members);
		return at >= 0 && log.indexOf("Completed service synchronization", at) > at;
	}

	public void copyResource(String resource, Path target) throws IOException {
		try (InputStream in = getClass().getResourceAsStream(resource)) {
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/**
	 * The {@code totem} section's crypto keys: none without {@code key}, else aes256/sha256 with the key
	 * written to {@code home/etc/authkey}, which a daemon sees at {@code /etc/corosync/authkey} (its
	 * mount namespace binds {@code home/etc} there).
	 */
	public static String cryptoKeys(Path home, byte @Nullable [] key, boolean daemon) throws IOException {
		if (key == null) {
			return "\tcrypto_cipher: none\n\tcrypto_hash: none\n";
		}
		Path keyfile = home.resolve("etc").resolve("authkey");
		Files.write(keyfile, key);
		Files.setPosixFilePermissions(keyfile, PosixFilePermissions.fromString("r--------"));
		return "\tcrypto_cipher: aes256\n\tcrypto_hash: sha256\n\tkeyfile: "
				+ (daemon ? "/etc/corosync/authkey" : keyfile.toString()) + "\n";
	}

	public static String run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(command + " did not finish");
		}
		return output;
	}

	@Override
	public void close() throws Exception {
		for (Process daemon : this.daemons) {
			daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		if (this.up) {
			run(List.of("bash", this.script.toString(), "down", this.tag, this.net, Integer.toString(this.members)));
		}
	}

}
