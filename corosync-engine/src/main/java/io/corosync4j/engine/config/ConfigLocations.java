package io.corosync4j.engine.config;

import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where the configuration file and the authkey are when nobody names them. The environment variables
 * {@code COROSYNC_MAIN_CONFIG_FILE} and {@code COROSYNC_TOTEM_AUTHKEY_FILE} of Corosync 1.x/2.x are
 * honoured again (Corosync 3 dropped them): they replace the default paths only; an explicit
 * {@code -c FILE}, {@code totem.keyfile} or {@code totem.key} always wins.
 */
public final class ConfigLocations {

	public static final String MAIN_CONFIG_FILE_VARIABLE = "COROSYNC_MAIN_CONFIG_FILE";

	public static final String AUTHKEY_FILE_VARIABLE = "COROSYNC_TOTEM_AUTHKEY_FILE";

	public static final Path DEFAULT_MAIN_CONFIG_FILE = Path.of("/etc/corosync/corosync.conf");

	public static final Path DEFAULT_AUTHKEY_FILE = Path.of("/etc/corosync/authkey");

	private ConfigLocations() {
	}

	/**
	 * The configuration file to read.
	 * @param explicit the file named on the command line or in properties, or {@code null}
	 * @param environment the process environment
	 * @return {@code explicit}, else {@code $COROSYNC_MAIN_CONFIG_FILE}, else {@code /etc/corosync/corosync.conf}
	 */
	public static Path mainConfigFile(@Nullable Path explicit, Map<String, String> environment) {
		if (explicit != null) {
			return explicit;
		}
		return fromEnvironment(environment, MAIN_CONFIG_FILE_VARIABLE, DEFAULT_MAIN_CONFIG_FILE);
	}

	/**
	 * The authkey file used when the configuration names neither {@code totem.keyfile} nor {@code totem.key}.
	 * @param environment the process environment
	 * @return {@code $COROSYNC_TOTEM_AUTHKEY_FILE}, else {@code /etc/corosync/authkey}
	 */
	public static Path defaultAuthkeyFile(Map<String, String> environment) {
		return fromEnvironment(environment, AUTHKEY_FILE_VARIABLE, DEFAULT_AUTHKEY_FILE);
	}

	private static Path fromEnvironment(Map<String, String> environment, String variable, Path fallback) {
		String value = environment.get(variable);
		return (value != null && !value.isBlank()) ? Path.of(value) : fallback;
	}

}
