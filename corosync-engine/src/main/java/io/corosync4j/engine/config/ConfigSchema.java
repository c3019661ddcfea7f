package io.corosync4j.engine.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What Corosync 3 knows about each configuration key: its CMAP value type, the values its parser
 * accepts, and whether the key has a meaning at all. Mirrors the type table of {@code coroparse.c}
 * (3.1.7), plus the keys of Corosync's main branch, which are known but documented as such.
 */
public final class ConfigSchema {

	private static final Set<String> TOTEM_U32 = Set.of("totem.version", "totem.nodeid", "totem.threads",
			"totem.token", "totem.token_coefficient", "totem.token_retransmit", "totem.token_warning", "totem.hold",
			"totem.token_retransmits_before_loss_const", "totem.join", "totem.send_join", "totem.consensus",
			"totem.merge", "totem.downcheck", "totem.fail_recv_const", "totem.seqno_unchanged_const",
			"totem.rrp_token_expired_timeout", "totem.rrp_problem_count_timeout",
			"totem.rrp_problem_count_threshold", "totem.rrp_problem_count_mcast_threshold",
			"totem.rrp_autorecovery_check_timeout", "totem.heartbeat_failures_allowed", "totem.max_network_delay",
			"totem.window_size", "totem.max_messages", "totem.miss_count_const", "totem.knet_pmtud_interval",
			"totem.knet_mtu", "totem.knet_compression_threshold", "totem.netmtu");

	private static final Set<String> QUORUM_U32 = Set.of("quorum.expected_votes", "quorum.votes",
			"quorum.last_man_standing_window", "quorum.leaving_timeout", "quorum.device.timeout",
			"quorum.device.sync_timeout", "quorum.device.votes");

	private static final Set<String> QUORUM_U8 = Set.of("quorum.two_node", "quorum.expected_votes_tracking",
			"quorum.allow_downscale", "quorum.wait_for_all", "quorum.auto_tie_breaker", "quorum.last_man_standing",
			"quorum.device.master_wins");

	private static final Pattern INTERFACE_KEY = Pattern.compile("totem\\.interface\\.\\d+\\.([a-z_]+)");

	private static final Pattern NODE_NUMBER_KEY = Pattern.compile("nodelist\\.node\\.\\d+\\.(nodeid|quorum_votes)");

	private static final Pattern POLL_PERIOD_KEY = Pattern.compile("resources\\.(system|process)(\\..+)?\\.poll_period");

	private static final Pattern UIDGID_KEY = Pattern.compile("uidgid\\.config\\.(uid|gid)\\..+");

	private static final Set<String> KNOWN_TOTEM = Set.of("cluster_name", "config_version", "transport",
			"ip_version", "ip_dscp", "clear_node_high_bit", "link_mode", "crypto_model", "crypto_cipher",
			"crypto_hash", "secauth", "keyfile", "key", "knet_compression_model", "knet_compression_level",
			"block_unlisted_ips", "cancel_token_hold_on_retransmit");

	private static final Set<String> KNOWN_INTERFACE = Set.of("bindnetaddr", "mcastaddr", "broadcast", "mcastport",
			"ttl", "knet_link_priority", "knet_ping_interval", "knet_ping_timeout", "knet_ping_precision",
			"knet_pong_count", "knet_transport");

	private static final Set<String> KNOWN_QUORUM = Set.of("quorum.provider", "quorum.auto_tie_breaker_node",
			"quorum.cancel_wait_for_all", "quorum.device.model");

	private static final Set<String> KNOWN_LOGGING = Set.of("to_stderr", "to_syslog", "to_logfile", "logfile",
			"logfile_priority", "syslog_priority", "syslog_level", "syslog_facility", "debug", "timestamp",
			"fileline", "function_name", "blackbox", "subsys", "name");

	private static final Set<String> KNOWN_SYSTEM = Set.of("system.qb_ipc_type", "system.sched_rr",
			"system.priority", "system.move_to_root_cgroup", "system.allow_knet_handle_fallback", "system.state_dir");

	private static final List<Pattern> KNOWN_PATTERNS = List.of(
			Pattern.compile("nodelist\\.node\\.\\d+\\.(ring\\d+_addr|nodeid|name|quorum_votes)"),
			Pattern.compile("totem\\.interface\\.\\d+\\.member\\.\\d+"),
			Pattern.compile("quorum\\.device\\.[a-z_]+\\..+"),
			Pattern.compile("resources\\.watchdog_(device|timeout)"),
			Pattern.compile("resources\\.system\\.(memory_used|load_15min)\\.(poll_period|max|recovery)"),
			Pattern.compile("resources\\.process\\..+"), Pattern.compile("nozzle\\.(name|ipaddr|ipprefix|macaddr)"),
			Pattern.compile("uidgid\\.config\\.(uid|gid)\\..+"), Pattern.compile("pload\\.(count|size|start)"));

	private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9._/:-]{3,254}");

	/** The crypto models corosync4j offers; {@code nss} and {@code openssl} are Corosync's names for the default. */
	static final List<String> CRYPTO_MODELS = List.of("nss", "openssl", "bouncycastle", "jca");

	/** Compression models a Corosync build may have; corosync4j implements none of them yet. */
	static final List<String> KNET_COMPRESSION_MODELS = List.of("zlib", "lz4", "lz4hc", "lzo2", "lzma", "bzip2",
			"zstd");

	private ConfigSchema() {
	}

	/** The CMAP type Corosync's parser gives {@code key}; {@link ValueType#STRING} for everything untyped. */
	public static ValueType typeOf(String key) {
		if (TOTEM_U32.contains(key) || QUORUM_U32.contains(key) || NODE_NUMBER_KEY.matcher(key).matches()
				|| key.equals("resources.watchdog_timeout")) {
			return ValueType.UINT32;
		}
		if (QUORUM_U8.contains(key) || UIDGID_KEY.matcher(key).matches()) {
			return ValueType.UINT8;
		}
		if (key.equals("totem.knet_compression_level")) {
			return ValueType.INT32;
		}
		if (key.equals("totem.config_version") || POLL_PERIOD_KEY.matcher(key).matches()) {
			return ValueType.UINT64;
		}
		var interfaceKey = INTERFACE_KEY.matcher(key);
		if (interfaceKey.matches()) {
			return switch (interfaceKey.group(1)) {
				case "mcastport" -> ValueType.UINT16;
				case "ttl", "knet_link_priority" -> ValueType.UINT8;
				case "knet_ping_interval", "knet_ping_timeout", "knet_ping_precision", "knet_pong_count" ->
					ValueType.UINT32;
				default -> ValueType.STRING;
			};
		}
		return ValueType.STRING;
	}

	/** Whether Corosync (3.1.7 or its main branch) gives {@code key} a meaning. */
	public static boolean isKnown(String key) {
		if (TOTEM_U32.contains(key) || QUORUM_U32.contains(key) || QUORUM_U8.contains(key)
				|| KNOWN_QUORUM.contains(key) || KNOWN_SYSTEM.contains(key)) {
			return true;
		}
		if (key.startsWith("totem.") && KNOWN_TOTEM.contains(key.substring("totem.".length()))) {
			return true;
		}
		var interfaceKey = INTERFACE_KEY.matcher(key);
		if (interfaceKey.matches()) {
			return KNOWN_INTERFACE.contains(interfaceKey.group(1));
		}
		if (key.startsWith("logging.")) {
			String item = key.substring(key.lastIndexOf('.') + 1);
			return KNOWN_LOGGING.contains(item)
					&& (key.indexOf('.') == key.lastIndexOf('.') || key.startsWith("logging.logger_subsys.")
							|| key.startsWith("logging.logging_daemon."));
		}
		for (Pattern pattern : KNOWN_PATTERNS) {
			if (pattern.matcher(key).matches()) {
				return true;
			}
		}
		return false;
	}

	/** Whether {@code key} is a name CMAP can store: 3 to 254 of letters, digits and {@code . _ - / :}. */
	public static boolean isValidKeyName(String key) {
		return KEY_NAME.matcher(key).matches();
	}

	/**
	 * Converts the text of a value into the typed entry Corosync's parser would store, applying the
	 * parser's own value checks ({@code ip_version}, crypto names, {@code system.*} words).
	 * @param key the CMAP key
	 * @param text the value as written
	 * @param origin where it was written
	 * @return the typed entry
	 * @throws ConfigException with a {@link ConfigStage#PARSE} problem when Corosync's parser would refuse it
	 */
	public static ConfigEntry convert(String key, String text, ConfigOrigin origin) {
		ValueType type = typeOf(key);
		if (type.isInteger()) {
			Long value = parseInteger(text, type);
			if (value == null) {
				throw integerRangeError(key, type, text, origin);
			}
			return ConfigEntry.ofNumber(key, type, value, origin);
		}
		Refusal refusal = checkWord(key, text);
		if (refusal != null) {
			throw problem(origin, key, refusal.message(), refusal.fix());
		}
		return ConfigEntry.ofString(key, text, origin);
	}

	/**
	 * Parses a decimal integer as {@code strtoll(…, 10)} does with Corosync's checks: optional sign,
	 * digits only (leading zeros are decimal), range of {@code type}.
	 */
	static @Nullable Long parseInteger(String text, ValueType type) {
		if (!text.matches("[+-]?[0-9]+")) {
			return null;
		}
		try {
			if (type == ValueType.UINT64) {
				// strtoull: a minus sign negates modulo 2^64, so "-1" is 18446744073709551615
				boolean negative = text.startsWith("-");
				long magnitude = Long.parseUnsignedLong(text.substring((negative || text.startsWith("+")) ? 1 : 0));
				return negative ? -magnitude : magnitude;
			}
			long value = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
			return (value < type.min() || value > type.max()) ? null : value;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** Whether {@code value} is within the range of the integer {@code type}. */
	static boolean inRange(ValueType type, long value) {
		return type == ValueType.UINT64 || type == ValueType.INT64 || (value >= type.min() && value <= type.max());
	}

	/** Corosync's message for a value that is not an integer of {@code type}. */
	static ConfigException integerRangeError(String key, ValueType type, String text, ConfigOrigin origin) {
		String range = (type == ValueType.UINT64) ? "0..18446744073709551615" : type.min() + ".." + type.max();
		return problem(origin, key, "Value of key \"" + key + "\" is expected to be integer in range (" + range
				+ "), but \"" + text + "\" was given", "write a decimal number without sign, unit or comment");
	}

	/** A value Corosync's parser refuses: its message and our fix. */
	private record Refusal(String message, String fix) {
	}

	private static @Nullable Refusal checkWord(String key, String value) {
		return switch (key) {
			case "totem.ip_version" -> oneOf(value, List.of("ipv4", "ipv6", "ipv6-4", "ipv4-6"), "Invalid ip_version type");
			case "totem.crypto_model" -> oneOf(value, CRYPTO_MODELS,
					"Invalid crypto model. Should be nss, openssl, bouncycastle or jca");
			case "totem.crypto_cipher" -> oneOf(value, List.of("none", "aes256", "aes192", "aes128"),
					"Invalid cipher type. Should be none, aes256, aes192 or aes128");
			case "totem.crypto_hash" -> oneOf(value, List.of("none", "md5", "sha1", "sha256", "sha384", "sha512"),
					"Invalid hash type. Should be none, md5, sha1, sha256, sha384 or sha512");
			case "totem.knet_compression_model" -> {
				if (value.equals("none")) {
					yield null;
				}
				yield KNET_COMPRESSION_MODELS.contains(value)
						? new Refusal("knet compression model \"" + value + "\" is not supported by corosync4j yet", "use none")
						: new Refusal("Invalid compression model. Should be none", "use none");
			}
			case "system.qb_ipc_type" -> oneOf(value, List.of("native", "shm", "socket"), "Invalid system.qb_ipc_type");
			case "system.sched_rr" -> oneOf(value, List.of("yes", "no"), "Invalid system.sched_rr value");
			case "system.move_to_root_cgroup" -> oneOf(value, List.of("yes", "no", "auto"),
					"Invalid system.move_to_root_cgroup");
			case "system.allow_knet_handle_fallback" -> oneOf(value, List.of("yes", "no"),
					"Invalid system.allow_knet_handle_fallback");
			default -> null;
		};
	}

	private static @Nullable Refusal oneOf(String value, List<String> allowed, String message) {
		return allowed.contains(value) ? null : new Refusal(message, "use " + String.join(", ", allowed));
	}

	private static ConfigException problem(ConfigOrigin origin, String key, String message, @Nullable String fix) {
		return new ConfigException(new ConfigProblem(ConfigStage.PARSE, origin, key, message, fix));
	}

}
