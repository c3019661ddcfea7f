package io.corosync4j.engine.config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Command-line tools of the engine jar:
 * <ul>
 * <li>{@code check [-c FILE] [--strict] [--cmap]}: validates a {@code corosync.conf} on this host the
 * way {@code corosync -t} does (plus the quorum checks Corosync only runs at start), prints warnings,
 * and with {@code --cmap} the CMAP view; exits 0, or with Corosync's status (8 config, 7 logging,
 * 20 services).</li>
 * <li>{@code keygen [-k FILE] [-s SIZE] [--force]}: writes a new authkey, as {@code corosync-keygen}.</li>
 * </ul>
 */
public final class ConfigTool {

	private static final String USAGE = """
			usage:
			  check  [-c FILE] [--strict] [--cmap]   validate a corosync.conf on this host (like corosync -t)
			         -c FILE   the configuration (default: $COROSYNC_MAIN_CONFIG_FILE, else /etc/corosync/corosync.conf)
			         --strict  refuse a key file that group or others can read
			         --cmap    print the configuration as CMAP keys (like corosync-cmapctl)
			  keygen [-k FILE] [-s SIZE] [--force]   generate an authkey (like corosync-keygen)
			         -k FILE   the key file (default: $COROSYNC_TOTEM_AUTHKEY_FILE, else /etc/corosync/authkey)
			         -s SIZE   key length in bytes, 128 to 4096 (default 256)
			         --force   replace an existing key file""";

	private final PrintStream out;

	private final PrintStream err;

	private final Map<String, String> environment;

	private final HostNetwork host;

	ConfigTool(PrintStream out, PrintStream err, Map<String, String> environment, HostNetwork host) {
		this.out = out;
		this.err = err;
		this.environment = environment;
		this.host = host;
	}

	public static void main(String[] args) {
		System.exit(execute(args, System.out, System.err, System.getenv(), HostNetwork.system()));
	}

	/** Runs a command as {@link #main} does and returns its exit status. */
	public static int execute(String[] args, PrintStream out, PrintStream err, Map<String, String> environment,
			HostNetwork host) {
		return new ConfigTool(out, err, environment, host).run(args);
	}

	int run(String[] args) {
		if (args.length == 0) {
			return usage(null);
		}
		List<String> options = new ArrayList<>(List.of(args).subList(1, args.length));
		return switch (args[0]) {
			case "check" -> check(options);
			case "keygen" -> keygen(options);
			case "-h", "--help", "help" -> {
				this.out.println(USAGE);
				yield 0;
			}
			default -> usage("unknown command '" + args[0] + "'");
		};
	}

	private int check(List<String> options) {
		Path file = null;
		boolean strict = false;
		boolean cmap = false;
		for (int i = 0; i < options.size(); i++) {
			switch (options.get(i)) {
				case "-c" -> {
					if (i + 1 >= options.size()) {
						return usage("-c needs a file");
					}
					file = Path.of(options.get(++i));
				}
				case "--strict" -> strict = true;
				case "--cmap" -> cmap = true;
				default -> {
					return usage("unknown option '" + options.get(i) + "'");
				}
			}
		}
		Path configFile = ConfigLocations.mainConfigFile(file, this.environment);
		try {
			CorosyncConfig config = new CorosyncConfigReader(this.environment).read(configFile);
			Authkey key = Authkey.load(config, strict, this.environment);
			ClusterAddresses addresses = ClusterAddresses.resolve(config, this.host);
			config.warnings().forEach((warning) -> this.err.println("warning: " + warning.format()));
			if (key != null) {
				key.warnings().forEach((warning) -> this.err.println("warning: " + warning.format()));
			}
			if (cmap) {
				this.out.print(config.toCmap(addresses).toCmapDump());
			}
			NotYetSupported.problems(config)
				.forEach((problem) -> this.err.println("not supported by corosync4j yet: " + problem.format()));
			this.err.println(configFile + ": valid; local node " + addresses.localNode().nodeid() + ", "
					+ addresses.nodes().size() + " node(s), transport " + config.totem().transport() + ", token "
					+ config.totem().timers().token() + " ms");
			return 0;
		}
		catch (ConfigException ex) {
			ex.problems().forEach((problem) -> this.err.println("error: " + problem.format()));
			return ex.exitStatus();
		}
	}

	private int keygen(List<String> options) {
		Path file = ConfigLocations.defaultAuthkeyFile(this.environment);
		String sizeText = Integer.toString(Keygen.DEFAULT_SIZE);
		boolean force = false;
		for (int i = 0; i < options.size(); i++) {
			switch (options.get(i)) {
				case "-k" -> {
					if (i + 1 >= options.size()) {
						return usage("-k needs a file");
					}
					file = Path.of(options.get(++i));
				}
				case "-s" -> {
					if (i + 1 >= options.size()) {
						return usage("-s needs a size");
					}
					sizeText = options.get(++i);
				}
				case "--force" -> force = true;
				case "-l" -> {
					// accepted and ignored, as by corosync-keygen
				}
				default -> {
					return usage("unknown option '" + options.get(i) + "'");
				}
			}
		}
		Long size = ConfigSchema.parseInteger(sizeText, ValueType.UINT32);
		if (size == null || size < Authkey.MIN_LENGTH || size > Authkey.MAX_LENGTH) {
			this.err.println("keygen: Unsupported key size (supported <128,4096>)");
			return 1;
		}
		this.out.println("Corosync Cluster Engine Authentication key generator.");
		this.out.println("Gathering " + size * 8 + " bits for key from SecureRandom.");
		try {
			new Keygen().generate(file, size.intValue(), force);
		}
		catch (FileAlreadyExistsException ex) {
			this.err.println("keygen: " + file + " exists: " + ex.getReason());
			return 2;
		}
		catch (IOException ex) {
			this.err.println("keygen: Could not create " + file + ": " + ConfigParser.describe(ex));
			return 2;
		}
		this.out.println("Writing corosync key to " + file + ".");
		return 0;
	}

	private int usage(@Nullable String problem) {
		if (problem != null) {
			this.err.println(problem);
		}
		this.err.println(USAGE);
		return 1;
	}

}
