package io.corosync4j.engine.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.corosync4j.engine.config.ConfigException;
import io.corosync4j.engine.config.ConfigLocations;
import io.corosync4j.engine.config.ConfigProblem;
import io.corosync4j.engine.config.ConfigTool;
import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.ipc.IpcServer;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.ipc.NodeIpc;
import io.corosync4j.engine.totem.srp.TotemFatalException;
import io.corosync4j.engine.transport.NettyDatagrams;
import io.corosync4j.engine.transport.TransportException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a node from a {@code corosync.conf} with the {@code corosync} daemon's flags, serves Corosync's
 * tools and client libraries over libqb IPC as the daemon does, logs membership changes the way Corosync
 * does, and leaves the ring cleanly on SIGTERM or SIGINT. It exits as the daemon does: 0 after a signal
 * or a CFG shutdown, 255 when CFG killed the node, 20 when IPC cannot be served, Corosync's status after
 * an internal error. {@code check} and {@code keygen} as first argument run the {@link ConfigTool}
 * commands instead.
 */
public final class Launcher {

	static final String VERSION = "0.1.0-SNAPSHOT";

	private static final String USAGE = """
			usage: corosync4j [-c FILE] [-f] [-t] [-v] [-a ADDRESS] [--no-ipc]
			       corosync4j check|keygen ...   (see: corosync4j check -h)
			       corosync4j cpgbench ...       (CPG throughput and latency; see: corosync4j cpgbench -h)
			  -c FILE     the configuration (default: $COROSYNC_MAIN_CONFIG_FILE, else /etc/corosync/corosync.conf)
			  -f          stay in the foreground (a JVM always does; accepted as corosync accepts it)
			  -t          test the configuration and exit
			  -v          print the version and the features, then exit
			  -a ADDRESS  count only ADDRESS as this host's own when finding the local node
			              (several nodes on one machine: 127.0.0.1, 127.0.0.2, ...)
			  --no-ipc    do not serve Corosync's tools and libraries (for all but one of several
			              nodes in one network namespace, which have one set of IPC names)""";

	/** {@code COROSYNC_DONE_SERVICE_ENGINE_INIT}: the daemon's status when a service cannot publish its IPC. */
	static final int EXIT_IPC = 20;

	private static final Logger logger = LoggerFactory.getLogger("MAIN");

	private static final String LEAK_DETECTION = "io.netty.leakDetection.level";

	private final PrintStream out;

	private final PrintStream err;

	private final Map<String, String> environment;

	Launcher(PrintStream out, PrintStream err, Map<String, String> environment) {
		this.out = out;
		this.err = err;
		this.environment = environment;
	}

	public static void main(String[] args) {
		leakDetectionOffUnlessGiven();
		System.exit(new Launcher(System.out, System.err, System.getenv()).run(args));
	}

	/**
	 * Netty's default leak detection records a stack trace for one buffer in 128: 4 % of a node's loop when it
	 * serves IPC, 2 % of the token's path in a ping (measured with perf). The engine's tests keep it on, and so
	 * can an operator, with the property.
	 */
	static void leakDetectionOffUnlessGiven() {
		if (System.getProperty(LEAK_DETECTION) == null) {
			System.setProperty(LEAK_DETECTION, "disabled");
		}
	}

	int run(String[] args) {
		if (args.length > 0 && (args[0].equals("check") || args[0].equals("keygen"))) {
			return ConfigTool.execute(args, this.out, this.err, this.environment, HostNetwork.system());
		}
		if (args.length > 0 && args[0].equals("cpgbench")) {
			try {
				return CpgBench.run(Arrays.copyOfRange(args, 1, args.length), this.out);
			}
			catch (Exception ex) {
				this.err.println("cpgbench failed: " + ex);
				return 1;
			}
		}
		Options options = Options.parse(args);
		if (options.problem != null) {
			this.err.println(options.problem);
			this.err.println(USAGE);
			return 8;
		}
		if (options.version) {
			this.out.println("corosync4j Cluster Engine, version '" + VERSION + "' (Corosync 3.1.7 wire protocol)");
			this.out.println("Available transports: udpu, udp, knet. Event loop: "
					+ (NettyDatagrams.nativeEpoll() ? "epoll" : "nio")
					+ ". Services: cmap, cfg, cpg, votequorum. IPC: libqb socket transport.");
			return 0;
		}
		Path file = ConfigLocations.mainConfigFile((options.configFile != null) ? Path.of(options.configFile) : null,
				this.environment);
		HostNetwork host = HostNetwork.system();
		if (options.localAddress != null) {
			try {
				host = HostNetwork.withLocalAddresses(host, List.of(InetAddress.getByName(options.localAddress)));
			}
			catch (UnknownHostException ex) {
				this.err.println("-a " + options.localAddress + ": not an address");
				return 8;
			}
		}
		if (options.testOnly) {
			return ConfigTool.execute(new String[] { "check", "-c", file.toString() }, this.out, this.err,
					this.environment, host);
		}
		CorosyncConfig config;
		try {
			config = new CorosyncConfigReader(this.environment).read(file);
		}
		catch (ConfigException ex) {
			printProblems(ex);
			return ex.exitStatus();
		}
		return runNode(config, host, !options.noIpc);
	}

	private int runNode(CorosyncConfig config, HostNetwork host, boolean serveIpc) {
		logger.info("Corosync Cluster Engine (corosync4j {}) starting up", VERSION);
		// before the node starts: choosing the transport loads native code, which must not widen the
		// moment between the node's start and the shutdown hook
		IpcSettings ipcSettings = serveIpc ? HostIpc.settings(config, IpcSettings.defaults()) : null;
		CorosyncNode node;
		try {
			node = CorosyncNode.builder(config).hostNetwork(host).membershipListener(Launcher::logMembership).start();
		}
		catch (ConfigException ex) {
			printProblems(ex);
			return ex.exitStatus();
		}
		catch (TransportException ex) {
			this.err.println(ex.getMessage());
			return NodeFailure.EXIT_FATAL;
		}
		catch (TotemFatalException ex) {
			this.err.println(ex.getMessage());
			return NodeFailure.EXIT_RING_ID;
		}
		logger.info("Node {} started; transport {}", node.nodeId(), node.transportStats().describe());
		AtomicReference<@Nullable IpcServer> served = new AtomicReference<>();
		CountDownLatch stopped = new CountDownLatch(1);
		Thread hook = new Thread(() -> {
			logger.info("Node was shut down by a signal");
			closeIpc(served.get());
			node.close();
			logger.info("Corosync Cluster Engine exiting normally");
			stopped.countDown();
			// a signal would make the JVM exit with 128 + signal; the daemon exits 0 after a clean leave
			System.err.flush();
			Runtime.getRuntime().halt(0);
		}, "corosync-shutdown");
		// at once: a signal while IPC is set up leaves the ring as cleanly as one later
		Runtime.getRuntime().addShutdownHook(hook);
		if (ipcSettings != null) {
			try {
				served.set(NodeIpc.serve(node, ipcSettings));
				Path sockets = ipcSettings.socketDirectory();
				logger.info("Serving IPC for Corosync's tools and libraries on {}, their messages on {}",
						(sockets != null) ? "filesystem sockets in " + sockets : "abstract sockets",
						(ipcSettings.transport() == IpcSettings.Transport.SHARED_MEMORY) ? "shared memory" : "sockets");
			}
			catch (IOException ex) {
				// the daemon cannot start a service whose IPC it cannot publish, and exits
				String reason = causes(ex);
				this.err.println("Can't serve IPC: " + reason);
				if (reason.toLowerCase(Locale.ROOT).contains("in use")) {
					this.err.println("Another Corosync daemon or node serves IPC in this network namespace; stop it, "
							+ "or start this node with --no-ipc");
				}
				removeHook(hook);
				node.close();
				return EXIT_IPC;
			}
		}
		AtomicReference<NodeFailure> failed = new AtomicReference<>();
		node.addFailureListener((failure) -> {
			failed.set(failure);
			stopped.countDown();
		});
		// a service stopped the node (CFG shutdown or kill, another configuration version): the daemon exits
		node.addShutdownListener((shutdown) -> stopped.countDown());
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		NodeFailure failure = failed.get();
		NodeShutdown shutdown = node.shutdown();
		closeIpc(served.get());
		if (failure == null && shutdown != null) {
			removeHook(hook);
			if (shutdown.exitStatus() == 0) {
				logger.info("Corosync Cluster Engine exiting normally");
			}
			else {
				logger.error("Corosync Cluster Engine exiting with status {}: {}", shutdown.exitStatus(),
						shutdown.describe());
			}
			return shutdown.exitStatus();
		}
		if (failure == null) {
			return 0;
		}
		removeHook(hook);
		node.close();
		logger.error("Corosync Cluster Engine exiting with status {}: {}", failure.exitStatus(), failure.describe());
		return failure.exitStatus();
	}

	private static void removeHook(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// a signal arrived as well: the hook exits
		}
	}

	private static void closeIpc(@Nullable IpcServer ipc) {
		if (ipc != null) {
			ipc.close();
		}
	}

	/** The message of an exception and of each cause that adds to it, such as the errno of a bind. */
	private static String causes(Throwable failure) {
		StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
		for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
				text.append(": ").append(cause.getMessage());
			}
		}
		return text.toString();
	}

	private static void logMembership(Membership membership) {
		String members = membership.members().stream().map(String::valueOf).collect(Collectors.joining(" "));
		if (membership.synced()) {
			logger.info("Members[{}]: {}", membership.members().size(), members);
		}
		else {
			logger.info("Sync members[{}]: {}", membership.members().size(), members);
		}
	}

	private void printProblems(ConfigException ex) {
		for (ConfigProblem problem : ex.problems()) {
			this.err.println(problem);
		}
	}

	/** The parsed command line. */
	private static final class Options {

		@Nullable String configFile;

		@Nullable String localAddress;

		boolean testOnly;

		boolean version;

		boolean noIpc;

		@Nullable String problem;

		static Options parse(String[] args) {
			Options options = new Options();
			List<String> rest = new ArrayList<>(List.of(args));
			while (!rest.isEmpty() && options.problem == null) {
				String arg = rest.remove(0);
				switch (arg) {
					case "-c" -> options.configFile = value(rest, arg, options);
					case "-a" -> options.localAddress = value(rest, arg, options);
					case "-f" -> {
						// the JVM never forks into the background
					}
					case "-t" -> options.testOnly = true;
					case "-v" -> options.version = true;
					case "--no-ipc" -> options.noIpc = true;
					case "-h", "--help" -> options.problem = "";
					default -> options.problem = "unknown option '" + arg + "'";
				}
			}
			return options;
		}

		private static @Nullable String value(List<String> rest, String flag, Options options) {
			if (rest.isEmpty()) {
				options.problem = flag + " needs a value";
				return null;
			}
			return rest.remove(0);
		}

	}

}
