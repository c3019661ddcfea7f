package io.corosync4j.engine.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Turns configuration keys into a validated {@link CorosyncConfig}, with the defaults, derived values
 * and rules of Corosync 3.1.7 ({@code exec/totemconfig.c}, {@code exec/logconfig.c},
 * {@code exec/votequorum.c}).
 *
 * <p>Checks run in Corosync's order, and the first problem reported is the one Corosync would report.
 * Unlike Corosync, independent problems are all reported at once; timer problems stop at the first,
 * because the later timers derive from the earlier ones. Checks that need the host (address
 * resolution, the local node) are not done here but by {@link ClusterAddresses}; the authkey file is
 * read by {@link Authkey}.
 */
public final class CorosyncConfigReader {

	private static final Pattern NODE_KEY = Pattern.compile("nodelist\\.node\\.(\\d+)\\.(.+)");

	private static final Pattern RING_ADDR = Pattern.compile("ring(\\d+)_addr");

	private static final Pattern INTERFACE_KEY = Pattern.compile("totem\\.interface\\.(\\d+)\\.([a-z_]+).*");

	private static final Pattern SUBSYS_KEY = Pattern.compile("logging\\.logger_subsys\\.([^.]+)\\.(.+)");

	private static final int MAX_LINK_MODE_LENGTH = 63;

	private static final List<String> SYSLOG_FACILITIES = List.of("auth", "authpriv", "cron", "daemon", "ftp", "kern",
			"lpr", "mail", "news", "syslog", "user", "uucp", "local0", "local1", "local2", "local3", "local4", "local5",
			"local6", "local7");

	private static final int MAX_KNET_NODEID = 65535;

	private final Map<String, String> environment;

	/** A reader that takes {@code STATE_DIRECTORY} from the process environment. */
	public CorosyncConfigReader() {
		this(System.getenv());
	}

	/**
	 * A reader with the given environment.
	 * @param environment where {@code STATE_DIRECTORY} is looked up
	 */
	public CorosyncConfigReader(Map<String, String> environment) {
		this.environment = Map.copyOf(environment);
	}

	/**
	 * Parses and reads a {@code corosync.conf} file.
	 * @param file the file
	 * @return the validated configuration
	 * @throws ConfigException listing every problem found
	 */
	public CorosyncConfig read(Path file) {
		return read(ConfigParser.parse(file));
	}

	/**
	 * Reads configuration keys.
	 * @param keys the keys, from {@link ConfigParser} or built from another source
	 * @return the validated configuration
	 * @throws ConfigException listing every problem found
	 */
	public CorosyncConfig read(ConfigMap keys) {
		return new Run(keys).read();
	}

	private final class Run {

		private final ConfigMap keys;

		private final ConfigOrigin fileOrigin;

		private final List<ConfigProblem> problems = new ArrayList<>();

		private final List<ConfigWarning> warnings = new ArrayList<>();

		Run(ConfigMap keys) {
			this.keys = keys;
			this.fileOrigin = ConfigOrigin.of(keys.source());
		}

		CorosyncConfig read() {
			checkTypes();
			warnUnknownKeys();
			LoggingConfig logging = readLogging();
			List<NodeConfig> nodes = readNodes();
			TotemConfig totem = readTotem(nodes);
			QuorumConfig quorum = readQuorum(nodes);
			SystemConfig system = readSystem();
			ResourcesConfig resources = readResources();
			if (!this.problems.isEmpty() || totem == null) {
				throw new ConfigException(this.problems);
			}
			return new CorosyncConfig(totem, nodes, quorum, logging, system, resources, this.keys, this.warnings);
		}

		// ---- logging (logconfig.c; exit status 7)

		private LoggingConfig readLogging() {
			// logconfig.c's order: format options, blackbox, then the destinations and levels
			boolean fileline = onOff("logging.fileline", false, "on", "off");
			boolean functionName = onOff("logging.function_name", false, "on", "off");
			TimestampMode timestamp = TimestampMode.HIRES;
			String timestampText = this.keys.string("logging.timestamp").orElse(null);
			if (timestampText != null) {
				TimestampMode mode = TimestampMode.fromConfigName(timestampText);
				if (mode == null) {
					logging("logging.timestamp", "unknown value for timestamp", "use on, hires or off");
				}
				else {
					timestamp = mode;
				}
			}
			boolean blackbox = onOff("logging.blackbox", true, "on", "off");
			LoggerSubsysConfig top = readLoggerSettings("logging.", "");
			String facility = this.keys.string("logging.syslog_facility").orElse("daemon").toLowerCase(Locale.ROOT);
			String logfile = this.keys.string("logging.logfile").orElse(null);
			boolean toLogfile = Boolean.TRUE.equals(top.toLogfile());
			if (toLogfile && logfile == null) {
				warn("logging.to_logfile", "to_logfile is set but no logfile is configured; nothing is written to a file");
			}
			Map<String, Boolean> bySubsys = new TreeMap<>();
			for (ConfigEntry entry : this.keys.withPrefix("logging.logger_subsys.")) {
				Matcher matcher = SUBSYS_KEY.matcher(entry.key());
				if (matcher.matches()) {
					bySubsys.put(matcher.group(1), true);
				}
			}
			List<LoggerSubsysConfig> subsystems = new ArrayList<>();
			for (String subsys : bySubsys.keySet()) {
				subsystems.add(readLoggerSettings("logging.logger_subsys." + subsys + ".", subsys));
			}
			return new LoggingConfig(Boolean.TRUE.equals(top.toStderr()), Boolean.TRUE.equals(top.toSyslog()),
					toLogfile, logfile, Objects.requireNonNullElse(top.logfilePriority(), LogPriority.INFO),
					Objects.requireNonNullElse(top.syslogPriority(), LogPriority.INFO), facility,
					Objects.requireNonNullElse(top.debug(), DebugLevel.OFF), timestamp, fileline, functionName, blackbox,
					subsystems);
		}

		/**
		 * The destination and level settings of {@code logging} (prefix {@code logging.}, defaults filled
		 * in) or of one {@code logger_subsys} (unset values stay {@code null}), checked in Corosync's order.
		 */
		private LoggerSubsysConfig readLoggerSettings(String prefix, String subsys) {
			boolean top = subsys.isEmpty();
			Boolean toStderr = destination(prefix + "to_stderr", top ? Boolean.TRUE : null);
			Boolean toSyslog = destination(prefix + "to_syslog", top ? Boolean.TRUE : null);
			String facility = this.keys.string(prefix + "syslog_facility").orElse(null);
			if (facility != null && !SYSLOG_FACILITIES.contains(facility.toLowerCase(Locale.ROOT))) {
				logging(prefix + "syslog_facility", "unknown syslog facility specified", "use daemon or local0 … local7");
			}
			LogPriority syslogPriority = null;
			if (this.keys.contains(prefix + "syslog_level")) {
				warn(prefix + "syslog_level", "syslog_level is obsolete — use syslog_priority");
				syslogPriority = priority(prefix + "syslog_level", "unknown syslog level specified");
			}
			if (this.keys.contains(prefix + "syslog_priority")) {
				syslogPriority = priority(prefix + "syslog_priority", "unknown syslog priority specified");
			}
			Boolean toLogfile = null;
			if (this.keys.contains(prefix + "to_file")) {
				warn(prefix + "to_file", "to_file is obsolete — use to_logfile");
				toLogfile = destination(prefix + "to_file", null);
			}
			Boolean configured = destination(prefix + "to_logfile", null);
			toLogfile = (configured != null) ? configured : (toLogfile != null) ? toLogfile : (top ? Boolean.FALSE : null);
			LogPriority logfilePriority = this.keys.contains(prefix + "logfile_priority")
					? priority(prefix + "logfile_priority", "unknown logfile priority specified") : null;
			DebugLevel debug = null;
			String debugText = this.keys.string(prefix + "debug").orElse(null);
			if (debugText != null) {
				debug = DebugLevel.fromConfigName(debugText);
				if (debug == null) {
					logging(prefix + "debug", "unknown value for debug", "use off, on or trace");
				}
			}
			return new LoggerSubsysConfig(top ? "" : subsys, debug, toStderr, toSyslog, toLogfile, logfilePriority,
					syslogPriority);
		}

		private @Nullable Boolean destination(String key, @Nullable Boolean defaultValue) {
			if (!this.keys.contains(key)) {
				return defaultValue;
			}
			return onOff(key, false, "yes", "no", "on", "off");
		}

		private boolean onOff(String key, boolean defaultValue, String... words) {
			String value = this.keys.string(key).orElse(null);
			if (value == null) {
				return defaultValue;
			}
			List<String> allowed = List.of(words);
			if (!allowed.contains(value)) {
				String item = key.substring(key.lastIndexOf('.') + 1);
				logging(key, "unknown value for " + item + ".", "use " + String.join(" or ", allowed));
				return defaultValue;
			}
			return value.equals("yes") || value.equals("on");
		}

		private LogPriority priority(String key, String refusal) {
			// logsys compares priority names without regard to case, and knows "error" as "err"
			String value = this.keys.string(key).orElse("info").toLowerCase(Locale.ROOT);
			LogPriority priority = LogPriority.fromConfigName(value.equals("error") ? "err" : value);
			if (priority == null) {
				logging(key, refusal, "use emerg, alert, crit, err, warning, notice, info or debug");
				return LogPriority.INFO;
			}
			return priority;
		}

		// ---- nodelist

		private List<NodeConfig> readNodes() {
			Map<Integer, Map<String, ConfigEntry>> byPosition = new TreeMap<>();
			for (ConfigEntry entry : this.keys.withPrefix("nodelist.node.")) {
				Matcher matcher = NODE_KEY.matcher(entry.key());
				if (matcher.matches()) {
					int position = index(matcher.group(1));
					if (position < 0) {
						totem(entry.key(), "nodelist entry " + matcher.group(1) + " is out of range",
								"write nodes as nodelist { node { … } } sections");
						continue;
					}
					byPosition.computeIfAbsent(position, (key) -> new TreeMap<>()).put(matcher.group(2), entry);
				}
			}
			List<NodeConfig> nodes = new ArrayList<>();
			for (Map.Entry<Integer, Map<String, ConfigEntry>> node : byPosition.entrySet()) {
				Map<String, ConfigEntry> items = node.getValue();
				Map<Integer, String> addresses = new HashMap<>();
				ConfigOrigin origin = null;
				for (ConfigEntry item : items.values()) {
					origin = (origin == null || item.origin().line() < origin.line()) ? item.origin() : origin;
					Matcher ring = RING_ADDR.matcher(item.key().substring(item.key().lastIndexOf('.') + 1));
					if (ring.matches()) {
						addresses.put(linkNumber(ring.group(1)), item.valueText());
					}
				}
				ConfigEntry nodeid = items.get("nodeid");
				ConfigEntry name = items.get("name");
				ConfigEntry votes = items.get("quorum_votes");
				Long id = (nodeid != null && nodeid.longValue() != 0) ? nodeid.longValue() : null;
				nodes.add(new NodeConfig(node.getKey(), id, (name != null) ? name.valueText() : null, addresses,
						(votes != null) ? votes.longValue() : 1, (origin != null) ? origin : this.fileOrigin));
			}
			return nodes;
		}

		// ---- totem (totemconfig.c: totem_config_read, then totem_config_validate)

		private @Nullable TotemConfig readTotem(List<NodeConfig> nodes) {
			String transportText = this.keys.string("totem.transport").orElse("knet");
			Transport transport = Transport.fromConfigName(transportText);
			if (transport == null) {
				totem("totem.transport", "Invalid transport type. Should be udpu, udp or knet",
						"set transport to knet (default, encrypted), udpu or udp");
				return null;
			}
			CryptoConfig crypto = readCrypto();
			String linkModeText = this.keys.string("totem.link_mode").orElse("passive");
			if (linkModeText.length() > MAX_LINK_MODE_LENGTH) {
				totem("totem.link_mode", "totem.link_mode is too long", "use active, passive or rr");
			}
			if (this.keys.contains("totem.nodeid")) {
				warn("totem.nodeid", "nodeid in totem section is deprecated and ignored. "
						+ "Nodelist (or autogenerated) nodeid is going to be used. Please migrate config file to nodelist.");
			}
			boolean hasNodelist = !nodes.isEmpty();
			if (this.keys.contains("totem.interface.0.bindnetaddr") && this.keys.contains("nodelist.node.0.ring0_addr")) {
				warn("totem.interface.0.bindnetaddr", "interface section bindnetaddr is used together with nodelist. "
						+ "Nodelist one is going to be used. Please migrate config file to nodelist.");
			}
			IpVersion ipVersion = IpVersion.fromConfigName(this.keys.string("totem.ip_version")
				.orElse((transport == Transport.UDP) ? "ipv4" : "ipv6-4"));
			if (ipVersion == null) {
				// only reachable for keys built without the parser's checks
				totem("totem.ip_version", "Invalid ip_version type", "use ipv4, ipv6, ipv4-6 or ipv6-4");
				ipVersion = IpVersion.IPV6_4;
			}
			int ipDscp = readIpDscp();

			TreeSet<Integer> links = new TreeSet<>();
			for (ConfigEntry entry : this.keys.withPrefix("totem.interface.")) {
				Matcher matcher = INTERFACE_KEY.matcher(entry.key());
				// udp configures a link from its bindnetaddr only (get_interface_params)
				if (matcher.matches() && (transport != Transport.UDP || matcher.group(2).equals("bindnetaddr"))) {
					links.add(linkNumber(matcher.group(1)));
				}
			}
			for (NodeConfig node : nodes) {
				links.addAll(node.addresses().keySet());
			}
			for (int link : links) {
				if (link >= InterfaceConfig.MAX_LINKS) {
					totem(linkKey(link), "interface ring number "
							+ ((link == Integer.MAX_VALUE) ? "(too large)" : link) + " is bigger than allowed maximum "
							+ (InterfaceConfig.MAX_LINKS - 1), "use link numbers 0 to 7");
				}
			}
			links.removeIf((link) -> link >= InterfaceConfig.MAX_LINKS);
			checkKnetNodeids(transport, nodes);

			int ring0Members = (int) nodes.stream().filter((node) -> node.ring0Address() != null).count();
			TotemTimers timers = TotemTimers.derive(this.keys, ring0Members);
			String clusterName = this.keys.string("totem.cluster_name").orElse(null);
			boolean broadcast = links.stream()
				.anyMatch((link) -> "yes".equals(this.keys.string("totem.interface." + link + ".broadcast").orElse(null)));
			List<InterfaceConfig> interfaces = new ArrayList<>();
			for (int link : links) {
				interfaces.add(readInterface(link, transport, clusterName, broadcast, timers, hasNodelist));
			}

			// totem_config_validate
			if (interfaces.isEmpty()) {
				totem("nodelist", "No interfaces defined",
						"add a nodelist with a node { ring0_addr: ADDRESS; nodeid: N } entry for every node");
			}
			for (InterfaceConfig link : interfaces) {
				validateInterface(link, transport);
			}
			long version = this.keys.number("totem.version").orElse(0);
			if (version != 2) {
				totem("totem.version", "This totem parser can only parse version 2 configurations.",
						"add 'version: 2' to the totem section");
			}
			validateTimers(timers);
			validateLinks(interfaces, nodes);
			checkDuplicateNodeids(nodes);
			LinkMode linkMode = LinkMode.fromConfigName(linkModeText);
			if (linkMode == null && linkModeText.length() <= MAX_LINK_MODE_LENGTH) {
				totem("totem.link_mode", "The Knet link mode \"" + linkModeText
						+ "\" specified is invalid.  It must be active, passive or rr.", "use passive (default), active or rr");
			}
			if (transport != Transport.KNET && interfaces.size() > 1) {
				totem(linkKey(interfaces.get(1).linknumber()), interfaces.size()
						+ " is too many configured interfaces for non-Knet transport.",
						"use one link with udp/udpu, or transport: knet for redundant links");
			}
			if (transport != Transport.KNET && crypto.enabled()) {
				totem(this.keys.contains("totem.crypto_cipher") ? "totem.crypto_cipher" : "totem.crypto_hash",
						"crypto_cipher & crypto_hash are only valid for the Knet transport.",
						"use transport: knet to encrypt, or set crypto_cipher and crypto_hash to none");
			}
			long netmtu = this.keys.number("totem.netmtu").orElse(0);
			if (netmtu == 0) {
				netmtu = (transport == Transport.KNET) ? 65536 : 1500;
			}
			return new TotemConfig(version, clusterName, this.keys.number("totem.config_version").orElse(0), transport,
					ipVersion, ipDscp, "yes".equals(this.keys.string("totem.clear_node_high_bit").orElse(null)), netmtu,
					(linkMode != null) ? linkMode : LinkMode.PASSIVE, crypto, timers, interfaces,
					this.keys.number("totem.knet_mtu").orElse(0), positive("totem.knet_pmtud_interval", 30),
					this.keys.number("totem.knet_compression_threshold").orElse(0),
					this.keys.number("totem.knet_compression_level").orElse(0),
					yesNo("totem.block_unlisted_ips", true), yesNo("totem.cancel_token_hold_on_retransmit", false));
		}

		private CryptoConfig readCrypto() {
			CryptoCipher cipher = CryptoCipher.NONE;
			CryptoHash hash = CryptoHash.NONE;
			if ("on".equals(this.keys.string("totem.secauth").orElse(null))) {
				cipher = CryptoCipher.AES256;
				hash = CryptoHash.SHA256;
			}
			// The words were checked by the parser; keys built without it are checked here.
			String cipherText = this.keys.string("totem.crypto_cipher").orElse(null);
			if (cipherText != null) {
				cipher = CryptoCipher.fromConfigName(cipherText);
				if (cipher == null) {
					totem("totem.crypto_cipher", "Invalid cipher type. Should be none, aes256, aes192 or aes128",
							"use none, aes256, aes192 or aes128");
					cipher = CryptoCipher.NONE;
				}
			}
			String hashText = this.keys.string("totem.crypto_hash").orElse(null);
			if (hashText != null) {
				hash = CryptoHash.fromConfigName(hashText);
				if (hash == null) {
					totem("totem.crypto_hash", "Invalid hash type. Should be none, md5, sha1, sha256, sha384 or sha512",
							"use none, md5, sha1, sha256, sha384 or sha512");
					hash = CryptoHash.NONE;
				}
			}
			CryptoModel model = CryptoModel.fromConfigName(this.keys.string("totem.crypto_model").orElse("nss"));
			if (model == null) {
				totem("totem.crypto_model", "Invalid crypto model. Should be nss, openssl, bouncycastle or jca",
						"use nss, openssl, bouncycastle or jca");
				model = CryptoModel.NSS;
			}
			String keyfile = this.keys.string("totem.keyfile").orElse(null);
			String inlineKey = this.keys.string("totem.key").orElse(null);
			CryptoConfig crypto = new CryptoConfig(cipher, hash, model, keyfile, inlineKey);
			if (cipher != CryptoCipher.NONE && hash == CryptoHash.NONE) {
				totem(this.keys.contains("totem.crypto_hash") ? "totem.crypto_hash" : "totem.crypto_cipher",
						"crypto_cipher requires crypto_hash with value other than none",
						"set crypto_hash to sha256 (or sha1, sha384, sha512)");
			}
			else if (crypto.enabled() && keyfile == null && inlineKey != null) {
				// Corosync stores the inline key as a C string and uses its terminating NUL as key material.
				int length = Authkey.inlineKeyBytes(inlineKey).length;
				if (length > Authkey.MAX_LENGTH) {
					totem("totem.key", "key is too long", "use a key of at most 4096 bytes, or a keyfile");
				}
				else if (length < Authkey.MIN_LENGTH) {
					totem("totem.key", "key is too short",
							"use a key of at least 128 bytes, or generate a keyfile with the keygen command");
				}
			}
			return crypto;
		}

		private int readIpDscp() {
			String text = this.keys.string("totem.ip_dscp").orElse(null);
			if (text == null) {
				return 0;
			}
			Integer dscp = IpDscp.parse(text);
			if (dscp == null) {
				totem("totem.ip_dscp", "ip_dscp \"" + text + "\" is invalid",
						"use a number from 0 to 63 or one of cs0…cs7, af11…af43, ef");
				return 0;
			}
			return dscp;
		}

		private void checkKnetNodeids(Transport transport, List<NodeConfig> nodes) {
			if (transport != Transport.KNET) {
				return;
			}
			for (NodeConfig node : nodes) {
				for (String address : node.addressesByLink().values()) {
					String key = "nodelist.node." + node.position() + ".nodeid";
					if (node.nodeid() == null) {
						totem(key, "Knet requires an explicit nodeid to be specified for address '" + address + "'.",
								"add 'nodeid: N' (1 to 65535) to this node");
					}
					else if (node.nodeid() > MAX_KNET_NODEID) {
						totem(key, "Knet requires nodeid to be less than 65536 for address '" + address + "'.",
								"use a nodeid from 1 to 65535");
					}
					break;
				}
			}
		}

		private InterfaceConfig readInterface(int link, Transport transport, @Nullable String clusterName, boolean broadcast, TotemTimers timers, boolean hasNodelist) {
			String prefix = "totem.interface." + link + ".";
			String mcastaddr = this.keys.string(prefix + "mcastaddr").orElse(null);
			if (broadcast && link == 0 && transport == Transport.UDP) {
				mcastaddr = "255.255.255.255";
			}
			else if (mcastaddr == null && transport == Transport.UDP && clusterName != null) {
				mcastaddr = MulticastAddress.forCluster(clusterName, link, linkIsIpv6(link));
			}
			// 0 means the default for these, as configure_link_params fills them in
			int mcastport = (int) positive(prefix + "mcastport", InterfaceConfig.DEFAULT_PORT + (broadcast ? 2L * link : link));
			String knetTransport = this.keys.string(prefix + "knet_transport").orElse("udp");
			if (!knetTransport.equals("udp")) {
				totem(prefix + "knet_transport",
						knetTransport.equals("sctp") ? "knet_transport sctp is not supported by corosync4j"
								: "Unrecognised knet_transport. expected 'udp' or 'sctp'",
						"use knet_transport: udp");
			}
			long pongCount = positive(prefix + "knet_pong_count", 2);
			long pingTimeout = positive(prefix + "knet_ping_timeout", timers.token() / pongCount);
			long pingInterval = positive(prefix + "knet_ping_interval", timers.token() / (pongCount * 2));
			List<String> members = new ArrayList<>();
			for (ConfigEntry member : this.keys.withPrefix(prefix + "member.")) {
				members.add(member.valueText());
			}
			if (!members.isEmpty()) {
				warn(prefix + "member.0", hasNodelist ? "member section is used together with nodelist. Members ignored."
						: "member section is deprecated. Please migrate config file to nodelist.");
			}
			return new InterfaceConfig(link, this.keys.string(prefix + "bindnetaddr").orElse(null), mcastaddr,
					broadcast && transport == Transport.UDP, mcastport, (int) this.keys.number(prefix + "ttl").orElse(1),
					(int) positive(prefix + "knet_link_priority", 1), pingInterval, pingTimeout,
					positive(prefix + "knet_ping_precision", 2048), pongCount, knetTransport, members);
		}

		/** Whether a link's first written address is an IPv6 literal, which picks the derived multicast family. */
		private boolean linkIsIpv6(int link) {
			String address = this.keys.string("totem.interface." + link + ".bindnetaddr").orElse(null);
			if (address == null) {
				address = this.keys.withPrefix("nodelist.node.").stream()
					.filter((entry) -> entry.key().endsWith(".ring" + link + "_addr"))
					.map(ConfigEntry::valueText)
					.findFirst()
					.orElse("");
			}
			return address.indexOf(':') >= 0;
		}

		private void validateInterface(InterfaceConfig link, Transport transport) {
			String prefix = "totem.interface." + link.linknumber() + ".";
			int number = link.linknumber();
			if (transport == Transport.UDP && link.mcastaddr() == null && !link.broadcast()) {
				totem(prefix + "mcastaddr", "No multicast address specified for interface " + number,
						"set totem.cluster_name (the address is derived from it) or mcastaddr");
			}
			if (transport != Transport.UDP && link.ttl() != 1) {
				totem(prefix + "ttl", "Can only set ttl on multicast transport types for interface " + number,
						"remove ttl, it applies to transport: udp only");
			}
			if (transport != Transport.KNET && link.knetLinkPriority() != 1) {
				totem(prefix + "knet_link_priority",
						"Can only set link priority on knet transport type for interface " + number,
						"remove knet_link_priority, it applies to transport: knet only");
			}
		}

		private void validateTimers(TotemTimers timers) {
			long min = TotemTimers.MINIMUM_TIMEOUT;
			if (timers.maxNetworkDelay() < min) {
				timer("totem.max_network_delay", "The max_network_delay parameter (" + timers.maxNetworkDelay()
						+ " ms) may not be less than (30 ms).");
			}
			else if (timers.token() < min) {
				timer("totem.token", "The token timeout parameter (" + timers.token() + " ms) may not be less than (30 ms).");
			}
			else if (timers.tokenWarning() > 100) {
				timer("totem.token_warning", "The token warning parameter (" + timers.tokenWarning()
						+ "%) must be between 0 (disabled) and 100.");
			}
			else if (timers.tokenRetransmit() < min) {
				if (!timers.tokenRetransmitSet()) {
					timer("totem.token", "Not appropriate token or token_retransmits_before_loss_const value set",
							"the derived token_retransmit, token / (token_retransmits_before_loss_const + 0.2), is "
									+ timers.tokenRetransmit() + " ms, below 30 ms: raise token or lower the constant");
				}
				else {
					timer("totem.token_retransmit", "The token retransmit timeout parameter (" + timers.tokenRetransmit()
							+ " ms) may not be less than (30 ms).");
				}
			}
			else if (timers.hold() < TotemTimers.MINIMUM_TIMEOUT_HOLD) {
				timer("totem.hold", "The token hold timeout parameter (" + timers.hold()
						+ " ms) may not be less than (14 ms).");
			}
			else if (timers.join() < min) {
				timer("totem.join", "The join timeout parameter (" + timers.join() + " ms) may not be less than (30 ms).");
			}
			else if (timers.consensus() < min) {
				timer("totem.consensus", "The consensus timeout parameter (" + timers.consensus()
						+ " ms) may not be less than (30 ms).");
			}
			else if (timers.consensus() < timers.join()) {
				timer(this.keys.contains("totem.consensus") ? "totem.consensus" : "totem.join",
						"The consensus timeout parameter (" + timers.consensus()
								+ " ms) may not be less than join timeout (" + timers.join() + " ms).",
						"make consensus at least join (consensus defaults to 1.2 × token)");
			}
			else if (timers.merge() < min) {
				timer("totem.merge", "The merge timeout parameter (" + timers.merge() + " ms) may not be less than (30 ms).");
			}
			else if (timers.downcheck() < min) {
				timer("totem.downcheck", "The downcheck timeout parameter (" + timers.downcheck()
						+ " ms) may not be less than (30 ms).");
			}
		}

		private void timer(String key, String message) {
			timer(key, message, "use at least the minimum shown, in milliseconds");
		}

		private void timer(String key, String message, String fix) {
			totem(key, message, fix);
		}

		private void validateLinks(List<InterfaceConfig> interfaces, List<NodeConfig> nodes) {
			if (interfaces.size() <= 1) {
				return;
			}
			List<NodeConfig> members = nodes.stream().filter((node) -> !node.addresses().isEmpty()).toList();
			for (NodeConfig node : members) {
				if (node.name() == null) {
					totem("nodelist.node." + node.position() + ".name",
							"for a multi-link configuration, all nodes must have a 'name' attribute",
							"add 'name: HOSTNAME' to every node");
					break;
				}
			}
			for (InterfaceConfig link : interfaces) {
				long count = members.stream().filter((node) -> node.addresses().containsKey(link.linknumber())).count();
				if (count != members.size()) {
					totem("nodelist", "Not all nodes have the same number of links",
							"give every node a ring" + link.linknumber() + "_addr");
					break;
				}
			}
		}

		private void checkDuplicateNodeids(List<NodeConfig> nodes) {
			Map<Long, NodeConfig> seen = new HashMap<>();
			for (NodeConfig node : nodes) {
				if (node.nodeid() == null) {
					continue;
				}
				NodeConfig first = seen.putIfAbsent(node.nodeid(), node);
				if (first != null) {
					totem("nodelist.node." + node.position() + ".nodeid",
							"Nodeid " + node.nodeid() + " appears twice in corosync.conf",
							"give every node its own nodeid (also used by node " + first.position() + ")");
				}
			}
		}

		/** The first key that configures {@code link}: a node's ringN_addr, else the interface block. */
		private String linkKey(int link) {
			for (ConfigEntry entry : this.keys.withPrefix("nodelist.node.")) {
				Matcher ring = RING_ADDR.matcher(entry.key().substring(entry.key().lastIndexOf('.') + 1));
				if (ring.matches() && linkNumber(ring.group(1)) == link) {
					return entry.key();
				}
			}
			return "totem.interface." + link;
		}

		// ---- quorum (votequorum.c: votequorum_readconfig; exit status 20)

		private QuorumConfig readQuorum(List<NodeConfig> nodes) {
			String provider = this.keys.string("quorum.provider").orElse(null);
			Long expectedVotes = this.keys.number("quorum.expected_votes").stream().boxed().filter((v) -> v != 0)
				.findFirst().orElse(null);
			boolean twoNode = flag("quorum.two_node");
			boolean waitForAll = this.keys.contains("quorum.wait_for_all") ? flag("quorum.wait_for_all") : twoNode;
			boolean lastManStanding = flag("quorum.last_man_standing");
			boolean autoTieBreaker = flag("quorum.auto_tie_breaker");
			boolean allowDownscale = flag("quorum.allow_downscale");
			String atbText = this.keys.string("quorum.auto_tie_breaker_node").orElse("lowest");
			List<String> atbNodes = tieBreakerNodes(atbText);
			QuorumDeviceConfig device = null;
			String model = this.keys.string("quorum.device.model").orElse("");
			if (!model.isEmpty()) {
				device = new QuorumDeviceConfig(model, this.keys.number("quorum.device.votes").stream().boxed()
					.findFirst().orElse(null), positive("quorum.device.timeout", 10000),
						positive("quorum.device.sync_timeout", 30000), flag("quorum.device.master_wins"));
			}
			if (provider != null && !provider.equals(QuorumConfig.VOTEQUORUM)) {
				services("quorum.provider", provider.equals("corosync_ykd")
						? "Quorum provider corosync_ykd is not supported by corosync4j" : "Invalid quorum provider",
						"use provider: corosync_votequorum, or remove the provider line for no quorum");
			}
			else if (provider != null) {
				long nodeVotes = nodes.stream().mapToLong(NodeConfig::quorumVotes).sum();
				// votequorum compares the vote sum with the node count, not each node's votes
				boolean allOneVote = nodeVotes == nodes.size();
				if (!this.keys.contains("quorum.auto_tie_breaker_node")) {
					atbNodes = List.of("lowest");
				}
				else if (!autoTieBreaker) {
					warn("quorum.auto_tie_breaker_node",
							"auto_tie_breaker_node: is meaningless if auto_tie_breaker is set to 0");
				}
				else if (atbNodes.isEmpty()) {
					warn("quorum.auto_tie_breaker_node", "auto_tie_breaker_nodes is not valid. It must be 'lowest', "
							+ "'highest' or a space-separated list of node IDs. auto_tie_breaker is disabled");
					autoTieBreaker = false;
				}
				if (nodes.isEmpty() && expectedVotes == null) {
					services("quorum.expected_votes",
							"configuration error: nodelist or quorum.expected_votes must be configured!",
							"add a nodelist or quorum.expected_votes");
				}
				else if (twoNode && device != null) {
					services("quorum.two_node",
							"configuration error: two_node and quorum device cannot be configured at the same time!",
							"remove two_node or the quorum device");
				}
				else {
					if (twoNode && autoTieBreaker) {
						warn("quorum.two_node", "two_node and auto_tie_breaker are both specified but are not compatible. "
								+ "two_node has been disabled, please fix your corosync.conf");
						twoNode = false;
					}
					if (autoTieBreaker && nodeVotes % 2 == 1 && !waitForAll) {
						if (lastManStanding) {
							services("quorum.auto_tie_breaker", "configuration error: auto_tie_breaker & "
									+ "last_man_standing not available in odd sized cluster",
									"disable last_man_standing and enable wait_for_all");
						}
						else {
							warn("quorum.auto_tie_breaker", "auto_tie_breaker is set and the cluster has an odd number "
									+ "of nodes. wait_for_all needs to be set for this configuration but it is missing. "
									+ "Therefore auto_tie_breaker has been disabled. Please fix your corosync.conf");
							autoTieBreaker = false;
						}
					}
					if (device != null) {
						checkDevice(device, lastManStanding, autoTieBreaker, allowDownscale, expectedVotes, nodes,
								allOneVote);
					}
				}
			}
			return new QuorumConfig(provider, expectedVotes, positive("quorum.votes", 1), twoNode, waitForAll,
					lastManStanding, positive("quorum.last_man_standing_window", 10000), autoTieBreaker, atbNodes,
					allowDownscale, allowDownscale || flag("quorum.expected_votes_tracking"), device);
		}

		private void checkDevice(QuorumDeviceConfig device, boolean lastManStanding, boolean autoTieBreaker,
				boolean allowDownscale, @Nullable Long expectedVotes, List<NodeConfig> nodes, boolean allOneVote) {
			if (lastManStanding) {
				services("quorum.last_man_standing",
						"configuration error: quorum.device is not compatible with last_man_standing",
						"remove last_man_standing or the quorum device");
			}
			else if (autoTieBreaker) {
				services("quorum.auto_tie_breaker",
						"configuration error: quorum.device is not compatible with auto_tie_breaker",
						"remove auto_tie_breaker or the quorum device");
			}
			else if (allowDownscale) {
				services("quorum.allow_downscale",
						"configuration error: quorum.device is not compatible with allow_downscale",
						"remove allow_downscale or the quorum device");
			}
			else if (expectedVotes != null && device.votes() == null) {
				services("quorum.device.votes",
						"configuration error: quorum.device.votes must be specified when quorum.expected_votes is set",
						"add quorum.device.votes");
			}
			else if (device.votes() == null && !nodes.isEmpty() && !allOneVote) {
				services("quorum.device.votes",
						"configuration error: quorum.device.votes must be specified when not all nodes votes 1",
						"add quorum.device.votes");
			}
			else if (device.votes() != null && device.votes() > 0 && expectedVotes != null
					&& expectedVotes - device.votes() < 2) {
				services("quorum.device.votes",
						"configuration error: quorum.device.votes is too high or expected_votes is too low",
						"expected_votes must exceed the device's votes by at least 2");
			}
		}

		/**
		 * {@code lowest}, {@code highest}, or the node ids at the start of the text as
		 * {@code atoi}/{@code strtol} read them ("1 2 x" gives 1 and 2); empty when there are none.
		 */
		private List<String> tieBreakerNodes(String text) {
			if (text.equals("lowest") || text.equals("highest")) {
				return List.of(text);
			}
			List<String> ids = new ArrayList<>();
			for (String word : text.trim().split("\\s+")) {
				Long id = ConfigSchema.parseInteger(word, ValueType.UINT32);
				if (id == null || id == 0) {
					break;
				}
				ids.add(Long.toString(id));
			}
			return ids;
		}

		// ---- system, resources

		private SystemConfig readSystem() {
			String stateDir = this.keys.string("system.state_dir").orElse(null);
			if (stateDir == null) {
				String fromEnvironment = CorosyncConfigReader.this.environment.get("STATE_DIRECTORY");
				stateDir = (fromEnvironment != null && !fromEnvironment.isEmpty()) ? fromEnvironment : null;
			}
			Path path = SystemConfig.DEFAULT_STATE_DIR;
			if (stateDir != null) {
				try {
					path = Path.of(stateDir);
				}
				catch (InvalidPathException ex) {
					totem("system.state_dir", "state_dir \"" + stateDir + "\" is not a usable path", "name a directory");
				}
			}
			return new SystemConfig(path, yesNo("system.sched_rr", true),
					this.keys.string("system.qb_ipc_type").orElse("native"));
		}

		private ResourcesConfig readResources() {
			String device = this.keys.string("resources.watchdog_device").orElse(null);
			if (device != null && (device.isEmpty() || device.equals("off"))) {
				device = null;
			}
			if (device != null) {
				warn("resources.watchdog_device",
						"the hardware watchdog is not used by corosync4j; the node runs without it");
			}
			long timeout = this.keys.number("resources.watchdog_timeout").orElse(6);
			if (timeout < 2 || timeout > 120) {
				warn("resources.watchdog_timeout", "watchdog_timeout " + timeout + " is out of range (2..120), using 6");
				timeout = 6;
			}
			return new ResourcesConfig(device, timeout);
		}

		// ---- helpers

		/**
		 * Keys from the parser are typed already; keys built from another source may not be. A key of
		 * the wrong type or range is refused here, so nothing below meets a value it cannot use.
		 */
		private void checkTypes() {
			for (ConfigEntry entry : this.keys.entries()) {
				ValueType expected = ConfigSchema.typeOf(entry.key());
				if (entry.type() != expected) {
					problem(ConfigStage.PARSE, entry.key(), "Value of key \"" + entry.key() + "\" must be of type "
							+ expected.cmapName() + ", but " + entry.type().cmapName() + " was given",
							"give it as a " + expected.cmapName() + " value");
				}
				else if (expected.isInteger() && !ConfigSchema.inRange(expected, entry.longValue())) {
					problem(ConfigStage.PARSE, entry.key(), "Value of key \"" + entry.key()
							+ "\" is expected to be integer in range (" + expected.min() + ".." + expected.max()
							+ "), but \"" + entry.valueText() + "\" was given", "use a value in that range");
				}
			}
			if (!this.problems.isEmpty()) {
				throw new ConfigException(this.problems);
			}
		}

		/** A decimal index from a key, or -1 when it does not fit an {@code int}. */
		private static int index(String digits) {
			return (digits.length() <= 9) ? Integer.parseInt(digits) : -1;
		}

		/** A link number from a key; one too large for an {@code int} becomes {@code Integer.MAX_VALUE}. */
		private static int linkNumber(String digits) {
			int link = index(digits);
			return (link >= 0) ? link : Integer.MAX_VALUE;
		}

		private void warnUnknownKeys() {
			for (ConfigEntry entry : this.keys.entries()) {
				if (!ConfigSchema.isKnown(entry.key())) {
					this.warnings.add(new ConfigWarning(entry.origin(), entry.key(),
							"unknown key, kept in CMAP but without meaning to Corosync or corosync4j — check its spelling"));
				}
			}
		}

		private boolean flag(String key) {
			return this.keys.number(key).orElse(0) != 0;
		}

		private boolean yesNo(String key, boolean defaultValue) {
			String value = this.keys.string(key).orElse("");
			return value.equals("yes") || (!value.equals("no") && defaultValue);
		}

		private long positive(String key, long defaultValue) {
			long value = this.keys.number(key).orElse(0);
			return (value != 0) ? value : defaultValue;
		}

		private void logging(String key, String message, @Nullable String fix) {
			problem(ConfigStage.LOGGING, key, message, fix);
		}

		private void totem(String key, String message, @Nullable String fix) {
			problem(ConfigStage.TOTEM, key, message, fix);
		}

		private void services(String key, String message, @Nullable String fix) {
			problem(ConfigStage.SERVICES, key, message, fix);
		}

		private void problem(ConfigStage stage, String key, String message, @Nullable String fix) {
			this.problems.add(new ConfigProblem(stage, this.keys.originOf(key, this.fileOrigin), key, message, fix));
		}

		private void warn(String key, String message) {
			this.warnings.add(new ConfigWarning(this.keys.originOf(key, this.fileOrigin), key, message));
		}

	}

}
