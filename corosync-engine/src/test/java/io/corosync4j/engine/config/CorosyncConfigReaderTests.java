package io.corosync4j.engine.config;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Realistic configurations read into the model, and every validation rule with its message.
 */
class CorosyncConfigReaderTests {

	private static final String THREE_NODES = """
			nodelist {
				node {
					nodeid: 1
					name: n1
					ring0_addr: 10.0.0.1
				}
				node {
					nodeid: 2
					name: n2
					ring0_addr: 10.0.0.2
				}
				node {
					nodeid: 3
					name: n3
					ring0_addr: 10.0.0.3
				}
			}
			""";

	@Test
	void twoNodeClusterImpliesWaitForAll() {
		CorosyncConfig config = read("""
				totem {
					version: 2
					cluster_name: pair
					transport: knet
				}
				nodelist {
					node {
						nodeid: 1
						ring0_addr: 192.168.1.1
					}
					node {
						nodeid: 2
						ring0_addr: 192.168.1.2
					}
				}
				quorum {
					provider: corosync_votequorum
					two_node: 1
				}
				""");
		assertThat(config.quorum().twoNode()).isTrue();
		assertThat(config.quorum().waitForAll()).isTrue();
		assertThat(config.quorum().votequorum()).isTrue();
		assertThat(config.totem().timers().token()).isEqualTo(3000);
		assertThat(config.totem().netmtu()).isEqualTo(65536);
		assertThat(config.totem().ipVersion()).isEqualTo(IpVersion.IPV6_4);
		assertThat(config.totem().crypto().enabled()).isFalse();
		assertThat(config.warnings()).isEmpty();
		CorosyncConfig explicit = read(config.keys().toBuilder()
			.putNumber("quorum.wait_for_all", ValueType.UINT8, 0, ConfigOrigin.of("test"))
			.build());
		assertThat(explicit.quorum().waitForAll()).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "3, 3650", "5, 4950", "16, 12100" })
	void udpuClustersScaleTheToken(int nodes, long token) {
		StringBuilder text = new StringBuilder("totem {\n\tversion: 2\n\ttransport: udpu\n}\nnodelist {\n");
		for (int i = 1; i <= nodes; i++) {
			text.append("\tnode {\n\t\tring0_addr: 10.1.0.").append(i).append("\n\t}\n");
		}
		CorosyncConfig config = read(text.append("}\n").toString());
		assertThat(config.totem().transport()).isEqualTo(Transport.UDPU);
		assertThat(config.totem().netmtu()).isEqualTo(1500);
		assertThat(config.totem().timers().token()).isEqualTo(token);
		assertThat(config.nodes()).hasSize(nodes).allSatisfy((node) -> assertThat(node.nodeid()).isNull());
		assertThat(config.totem().link(0).mcastport()).isEqualTo(5405);
	}

	@Test
	void knetWithTwoLinksAndCrypto() {
		CorosyncConfig config = read("""
				totem {
					version: 2
					cluster_name: secure
					crypto_cipher: aes256
					crypto_hash: sha256
					keyfile: /etc/corosync/authkey
					link_mode: active
					interface {
						linknumber: 1
						knet_link_priority: 2
						knet_pong_count: 5
					}
				}
				nodelist {
					node {
						nodeid: 1
						name: a
						ring0_addr: 10.0.0.1
						ring1_addr: 10.1.0.1
					}
					node {
						nodeid: 2
						name: b
						ring0_addr: 10.0.0.2
						ring1_addr: 10.1.0.2
					}
				}
				""");
		TotemConfig totem = config.totem();
		assertThat(totem.crypto().cipher()).isEqualTo(CryptoCipher.AES256);
		assertThat(totem.crypto().hash()).isEqualTo(CryptoHash.SHA256);
		assertThat(totem.crypto().keyfile()).isEqualTo("/etc/corosync/authkey");
		assertThat(totem.linkMode()).isEqualTo(LinkMode.ACTIVE);
		assertThat(totem.interfaces()).extracting(InterfaceConfig::linknumber).containsExactly(0, 1);
		InterfaceConfig link1 = totem.link(1);
		assertThat(link1.mcastport()).isEqualTo(5406);
		assertThat(link1.knetLinkPriority()).isEqualTo(2);
		assertThat(link1.knetPingTimeout()).isEqualTo(600);
		assertThat(link1.knetPingInterval()).isEqualTo(300);
		assertThat(totem.link(0).knetPingTimeout()).isEqualTo(1500);
	}

	@Test
	void ipv6Knet() {
		CorosyncConfig config = read("""
				totem {
					version: 2
					ip_version: ipv6
				}
				nodelist {
					node {
						nodeid: 1
						ring0_addr: fd00::1
					}
					node {
						nodeid: 2
						ring0_addr: fd00::2
					}
				}
				""");
		assertThat(config.totem().ipVersion()).isEqualTo(IpVersion.IPV6);
		assertThat(config.nodes().get(1).ring0Address()).isEqualTo("fd00::2");
	}

	@Test
	void votequorumWithEveryFlag() {
		CorosyncConfig config = read(totem("") + THREE_NODES.replace("name: n3", "name: n3\n\t\tquorum_votes: 2") + """
				quorum {
					provider: corosync_votequorum
					expected_votes: 4
					wait_for_all: 1
					last_man_standing: 1
					last_man_standing_window: 20000
					auto_tie_breaker: 1
					auto_tie_breaker_node: 3 1
					allow_downscale: 1
				}
				""");
		QuorumConfig quorum = config.quorum();
		assertThat(quorum.expectedVotes()).isEqualTo(4L);
		assertThat(quorum.waitForAll()).isTrue();
		assertThat(quorum.lastManStanding()).isTrue();
		assertThat(quorum.lastManStandingWindow()).isEqualTo(20000);
		assertThat(quorum.autoTieBreaker()).isTrue();
		assertThat(quorum.autoTieBreakerNode()).containsExactly("3", "1");
		assertThat(quorum.allowDownscale()).isTrue();
		assertThat(quorum.expectedVotesTracking()).as("forced on by allow_downscale").isTrue();
		assertThat(config.nodes().get(2).quorumVotes()).isEqualTo(2);
		assertThat(quorum.device()).isNull();
	}

	@Test
	void quorumDeviceDefaults() {
		CorosyncConfig config = read(totem("") + THREE_NODES
				+ "quorum {\n\tprovider: corosync_votequorum\n\tdevice {\n\t\tmodel: net\n\t\tnet {\n\t\t\thost: q\n\t\t}\n\t}\n}\n");
		assertThat(config.quorum().device()).isEqualTo(new QuorumDeviceConfig("net", null, 10000, 30000, false));
		assertThat(config.warnings()).isEmpty();
	}

	@Test
	void secauthSelectsAes256AndSha256UnlessOverridden() {
		assertThat(read(totem("secauth: on") + THREE_NODES).totem().crypto())
			.satisfies((crypto) -> assertThat(crypto.cipher()).isEqualTo(CryptoCipher.AES256))
			.satisfies((crypto) -> assertThat(crypto.hash()).isEqualTo(CryptoHash.SHA256));
		assertThat(read(totem("secauth: on\n\tcrypto_cipher: aes128") + THREE_NODES).totem().crypto().cipher())
			.isEqualTo(CryptoCipher.AES128);
		assertThat(read(totem("secauth: off") + THREE_NODES).totem().crypto().enabled()).isFalse();
	}

	@Test
	void udpDerivesTheMulticastAddressFromTheClusterName() {
		CorosyncConfig config = read(totem("transport: udp\n\tcluster_name: cfgtest") + THREE_NODES);
		InterfaceConfig link = config.totem().link(0);
		assertThat(link.mcastaddr()).isEqualTo("239.192.50.176");
		assertThat(config.totem().ipVersion()).isEqualTo(IpVersion.IPV4);
		assertThat(config.toCmap().string("totem.interface.0.mcastaddr")).hasValue("239.192.50.176");
		assertThat(config.toCmap().get("totem.interface.0.mcastport").type()).isEqualTo(ValueType.UINT16);
		assertThat(MulticastAddress.forCluster("cfgtest", 1, true)).isEqualTo("ff15::327f");
	}

	@Test
	void udpBroadcastUsesEveryOtherPort() {
		CorosyncConfig config = read(totem("transport: udp\n\tinterface {\n\t\tbroadcast: yes\n\t}") + THREE_NODES);
		assertThat(config.totem().link(0).broadcast()).isTrue();
		assertThat(config.totem().link(0).mcastport()).isEqualTo(5405);
	}

	@Test
	void stateDirectoryComesFromConfigThenEnvironmentThenDefault() {
		String text = totem("") + THREE_NODES;
		assertThat(read(text).system().stateDir()).isEqualTo(Path.of("/var/lib/corosync"));
		CorosyncConfig fromEnvironment = new CorosyncConfigReader(Map.of("STATE_DIRECTORY", "/run/state"))
			.read(ConfigParser.parse("corosync.conf", text));
		assertThat(fromEnvironment.system().stateDir()).isEqualTo(Path.of("/run/state"));
		CorosyncConfig fromConfig = new CorosyncConfigReader(Map.of("STATE_DIRECTORY", "/run/state"))
			.read(ConfigParser.parse("corosync.conf", text + "system {\n\tstate_dir: /srv/corosync\n}\n"));
		assertThat(fromConfig.system().stateDir()).isEqualTo(Path.of("/srv/corosync"));
	}

	@Test
	void loggingDefaultsAndOverrides() {
		CorosyncConfig config = read(totem("") + THREE_NODES + """
				logging {
					to_syslog: no
					to_logfile: yes
					logfile: /var/log/corosync.log
					debug: on
					timestamp: on
					logger_subsys {
						subsys: TOTEM
						debug: trace
					}
				}
				""");
		LoggingConfig logging = config.logging();
		assertThat(logging.toStderr()).isTrue();
		assertThat(logging.toSyslog()).isFalse();
		assertThat(logging.toLogfile()).isTrue();
		assertThat(logging.debug()).isEqualTo(DebugLevel.ON);
		assertThat(logging.timestamp()).isEqualTo(TimestampMode.ON);
		assertThat(logging.syslogFacility()).isEqualTo("daemon");
		assertThat(logging.blackbox()).isTrue();
		assertThat(logging.subsystems()).singleElement()
			.satisfies((subsys) -> assertThat(subsys.subsys()).isEqualTo("TOTEM"))
			.satisfies((subsys) -> assertThat(subsys.debug()).isEqualTo(DebugLevel.TRACE));
	}

	@Test
	void unknownKeysAreWarnedOnceEachAndKept() {
		CorosyncConfig config = read(totem("frobnicate: 1") + THREE_NODES + "foo {\n\tbar: baz\n}\n");
		assertThat(config.warnings()).extracting(ConfigWarning::key).containsExactly("foo.bar", "totem.frobnicate");
		assertThat(config.warnings().get(1).format()).isEqualTo("corosync.conf:3: totem.frobnicate: unknown key, "
				+ "kept in CMAP but without meaning to Corosync or corosync4j — check its spelling");
		assertThat(config.toCmap().string("foo.bar")).hasValue("baz");
	}

	@Test
	void deprecatedSettingsAreWarned() {
		CorosyncConfig config = read(totem("nodeid: 1\n\tinterface {\n\t\tbindnetaddr: 10.0.0.0\n\t}") + THREE_NODES);
		assertThat(config.warnings()).extracting(ConfigWarning::message).containsExactly(
				"nodeid in totem section is deprecated and ignored. Nodelist (or autogenerated) nodeid is going to be used. "
						+ "Please migrate config file to nodelist.",
				"interface section bindnetaddr is used together with nodelist. Nodelist one is going to be used. "
						+ "Please migrate config file to nodelist.");
	}

	@Test
	void keysBuiltWithoutTheParserAreCheckedToo() {
		ConfigOrigin origin = ConfigOrigin.of("application.yml");
		ConfigMap.Builder keys = ConfigParser.parse("corosync.conf", totem("") + THREE_NODES).toBuilder();
		keys.putString("totem.ip_version", "ipv5", origin).putString("totem.crypto_cipher", "rot13", origin)
			.putString("totem.crypto_model", "gcrypt", origin);
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> read(keys.build()))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(ConfigProblem::key)
				.containsExactly("totem.crypto_cipher", "totem.crypto_model", "totem.ip_version"));
		assertThatExceptionOfType(ConfigException.class)
			.isThrownBy(() -> keys.putText("totem.token", "3s", origin))
			.satisfies((ex) -> assertThat(ex.firstProblem().origin()).isEqualTo(origin));
		assertThat(keys.putText("totem.token", "5000", origin).build().get("totem.token").type())
			.isEqualTo(ValueType.UINT32);
	}

	@Test
	void zeroLinkSettingsMeanTheirDefaults() {
		InterfaceConfig link = read(totem("interface {\n\t\tmcastport: 0\n\t\tknet_link_priority: 0\n\t\t"
				+ "knet_ping_precision: 0\n\t}") + THREE_NODES).totem().link(0);
		assertThat(link.mcastport()).isEqualTo(5405);
		assertThat(link.knetLinkPriority()).isEqualTo(1);
		assertThat(link.knetPingPrecision()).isEqualTo(2048);
	}

	@Test
	void udpConfiguresLinksFromBindnetaddrOnly() {
		CorosyncConfig config = read(totem("transport: udp\n\tcluster_name: u\n\tinterface {\n\t\tlinknumber: 1\n"
				+ "\t\tmcastport: 6000\n\t}") + THREE_NODES);
		assertThat(config.totem().interfaces()).extracting(InterfaceConfig::linknumber).containsExactly(0);
		CorosyncConfig broadcast = read(totem("transport: udp\n\tinterface {\n\t\tbroadcast: yes\n\t\t"
				+ "bindnetaddr: 10.0.0.0\n\t}") + THREE_NODES);
		assertThat(broadcast.totem().link(0).mcastaddr()).isEqualTo("255.255.255.255");
	}

	@Test
	void tieBreakerNodesAreReadLikeAtoi() {
		CorosyncConfig config = read(totem("") + THREE_NODES.replace("name: n3", "name: n3\n\t\tquorum_votes: 2")
				+ "quorum {\n\tprovider: corosync_votequorum\n\tauto_tie_breaker: 1\n\tauto_tie_breaker_node: 3 1 x 2\n}\n");
		assertThat(config.quorum().autoTieBreakerNode()).containsExactly("3", "1");
		assertThat(config.quorum().autoTieBreaker()).isTrue();
	}

	@Test
	void deviceVotesAreComputedWhenTheVoteSumEqualsTheNodeCount() {
		CorosyncConfig config = read(totem("") + THREE_NODES.replace("name: n1", "name: n1\n\t\tquorum_votes: 2")
			.replace("name: n2", "name: n2\n\t\tquorum_votes: 0")
				+ "quorum {\n\tprovider: corosync_votequorum\n\tdevice {\n\t\tmodel: net\n\t}\n}\n");
		assertThat(config.quorum().device().votes()).isNull();
	}

	@Test
	void totemArithmeticIsUnsigned32Bit() {
		assertThat(read(totem("token_coefficient: 4294967295") + THREE_NODES).totem().timers().token()).isEqualTo(2999);
	}

	@Test
	void aPresentTokenRetransmitOfZeroGetsTheExplicitMessage() {
		assertProblem(totem("token: 100\n\ttoken_coefficient: 0\n\ttoken_retransmit: 0") + THREE_NODES,
				ConfigStage.TOTEM, "totem.token_retransmit",
				"The token retransmit timeout parameter (23 ms) may not be less than (30 ms).");
	}

	@Test
	void keysOfTheWrongTypeOrRangeAreRefused() {
		ConfigOrigin origin = ConfigOrigin.of("application.yml");
		ConfigMap keys = ConfigParser.parse("corosync.conf", totem("") + THREE_NODES).toBuilder()
			.putString("nodelist.node.0.nodeid", "one", origin)
			.putNumber("totem.interface.0.knet_pong_count", ValueType.UINT32, -5, origin)
			.build();
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> read(keys)).satisfies((ex) -> {
			assertThat(ex.problems()).extracting(ConfigProblem::message).containsExactly(
					"Value of key \"nodelist.node.0.nodeid\" must be of type u32, but str was given",
					"Value of key \"totem.interface.0.knet_pong_count\" is expected to be integer in range "
							+ "(0..4294967295), but \"-5\" was given");
			assertThat(ex.exitStatus()).isEqualTo(8);
		});
		assertProblem(totem("") + THREE_NODES.replace("ring0_addr: 10.0.0.3", "ring0_addr: 10.0.0.3\n\t\t"
				+ "ring99999999999_addr: 10.9.0.3"), ConfigStage.TOTEM, "nodelist.node.2.ring99999999999_addr",
				"interface ring number (too large) is bigger than allowed maximum 7");
	}

	@Test
	void priorityNamesIgnoreCase() {
		assertThat(read(totem("") + THREE_NODES + "logging {\n\tlogfile_priority: WARNING\n\tsyslog_priority: error\n}\n")
			.logging()).satisfies((logging) -> {
				assertThat(logging.logfilePriority()).isEqualTo(LogPriority.WARNING);
				assertThat(logging.syslogPriority()).isEqualTo(LogPriority.ERR);
			});
	}

	@Test
	void acceptedButNotedSettings() {
		CorosyncConfig config = read(totem("interface {\n\t\tmember {\n\t\t\tmemberaddr: 10.0.0.9\n\t\t}\n\t}")
				+ THREE_NODES + "resources {\n\twatchdog_device: /dev/watchdog\n\twatchdog_timeout: 200\n}\n"
				+ "logging {\n\tsyslog_level: info\n\tto_logfile: yes\n}\n");
		assertThat(config.warnings()).extracting(ConfigWarning::message).containsExactlyInAnyOrder(
				"syslog_level is obsolete — use syslog_priority",
				"to_logfile is set but no logfile is configured; nothing is written to a file",
				"member section is used together with nodelist. Members ignored.",
				"the hardware watchdog is not used by corosync4j; the node runs without it",
				"watchdog_timeout 200 is out of range (2..120), using 6");
		assertThat(config.resources()).isEqualTo(new ResourcesConfig("/dev/watchdog", 6));
		assertThat(config.totem().link(0).members()).containsExactly("10.0.0.9");
		assertThat(read(totem("") + THREE_NODES + "resources {\n\twatchdog_device: off\n}\n").resources()
			.watchdogDevice()).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"transport: tcp|totem.transport|Invalid transport type. Should be udpu, udp or knet",
			"crypto_cipher: aes256\\n\\tcrypto_hash: none|totem.crypto_hash|crypto_cipher requires crypto_hash with value other than none",
			"transport: udpu\\n\\tcrypto_cipher: aes256\\n\\tcrypto_hash: sha1|totem.crypto_cipher|crypto_cipher & crypto_hash are only valid for the Knet transport.",
			"crypto_cipher: aes256\\n\\tcrypto_hash: sha1\\n\\tkey: short|totem.key|key is too short",
			"link_mode: fast|totem.link_mode|The Knet link mode \"fast\" specified is invalid.  It must be active, passive or rr.",
			"link_mode: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|totem.link_mode|totem.link_mode is too long",
			"version: 3|totem.version|This totem parser can only parse version 2 configurations.",
			"interface {\\n\\t\\tlinknumber: 0\\n\\t\\tttl: 5\\n\\t}|totem.interface.0.ttl|Can only set ttl on multicast transport types for interface 0",
			"transport: udpu\\n\\tinterface {\\n\\t\\tknet_link_priority: 5\\n\\t}|totem.interface.0.knet_link_priority|Can only set link priority on knet transport type for interface 0",
			"transport: udp|totem.interface.0.mcastaddr|No multicast address specified for interface 0",
			"interface {\\n\\t\\tlinknumber: 9\\n\\t\\tmcastport: 6000\\n\\t}|totem.interface.9|interface ring number 9 is bigger than allowed maximum 7",
			"interface {\\n\\t\\tknet_transport: sctp\\n\\t}|totem.interface.0.knet_transport|knet_transport sctp is not supported by corosync4j",
			"interface {\\n\\t\\tknet_transport: tcp\\n\\t}|totem.interface.0.knet_transport|Unrecognised knet_transport. expected 'udp' or 'sctp'",
			"ip_dscp: af99|totem.ip_dscp|ip_dscp \"af99\" is invalid",
			"token: 20\\n\\ttoken_coefficient: 0|totem.token|The token timeout parameter (20 ms) may not be less than (30 ms).",
			"max_network_delay: 10|totem.max_network_delay|The max_network_delay parameter (10 ms) may not be less than (30 ms).",
			"token_warning: 101|totem.token_warning|The token warning parameter (101%) must be between 0 (disabled) and 100.",
			"token_retransmit: 20|totem.token_retransmit|The token retransmit timeout parameter (20 ms) may not be less than (30 ms).",
			"token: 100\\n\\ttoken_coefficient: 0|totem.token|Not appropriate token or token_retransmits_before_loss_const value set",
			"hold: 13|totem.hold|The token hold timeout parameter (13 ms) may not be less than (14 ms).",
			"join: 20|totem.join|The join timeout parameter (20 ms) may not be less than (30 ms).",
			"consensus: 20|totem.consensus|The consensus timeout parameter (20 ms) may not be less than (30 ms).",
			"join: 5000|totem.join|The consensus timeout parameter (4380 ms) may not be less than join timeout (5000 ms).",
			"merge: 20|totem.merge|The merge timeout parameter (20 ms) may not be less than (30 ms).",
			"downcheck: 20|totem.downcheck|The downcheck timeout parameter (20 ms) may not be less than (30 ms)." })
	void totemRules(String settings, String key, String message) {
		assertProblem(totem(settings.replace("\\n", "\n").replace("\\t", "\t")) + THREE_NODES, ConfigStage.TOTEM, key,
				message);
	}

	@Test
	void nodelistRules() {
		assertProblem(totem("") + THREE_NODES.replace("nodeid: 2", "nodeid: 1"), ConfigStage.TOTEM,
				"nodelist.node.1.nodeid", "Nodeid 1 appears twice in corosync.conf");
		assertProblem(totem("") + THREE_NODES.replace("nodeid: 3", "nodeid: 70000"), ConfigStage.TOTEM,
				"nodelist.node.2.nodeid", "Knet requires nodeid to be less than 65536 for address '10.0.0.3'.");
		assertProblem(totem("") + THREE_NODES.replace("nodeid: 2\n", ""), ConfigStage.TOTEM, "nodelist.node.1.nodeid",
				"Knet requires an explicit nodeid to be specified for address '10.0.0.2'.");
		assertProblem(totem("") + THREE_NODES.replace("ring0_addr: 10.0.0.1", "ring0_addr: 10.0.0.1\n\t\tring1_addr: 10.1.0.1")
			.replace("name: n1\n", ""), ConfigStage.TOTEM, "nodelist.node.0.name",
				"for a multi-link configuration, all nodes must have a 'name' attribute");
		assertProblem(totem("") + THREE_NODES.replace("ring0_addr: 10.0.0.1", "ring0_addr: 10.0.0.1\n\t\tring1_addr: 10.1.0.1"),
				ConfigStage.TOTEM, "nodelist", "Not all nodes have the same number of links");
		assertProblem(totem("transport: udpu") + THREE_NODES.replaceAll("ring0_addr: 10.0.0.(\\d)",
				"ring0_addr: 10.0.0.$1\n\t\tring1_addr: 10.1.0.$1"), ConfigStage.TOTEM, "nodelist.node.0.ring1_addr",
				"2 is too many configured interfaces for non-Knet transport.");
		assertProblem(totem("") + THREE_NODES.replace("ring0_addr: 10.0.0.1", "ring0_addr: 10.0.0.1\n\t\tring8_addr: 10.8.0.1"),
				ConfigStage.TOTEM, "nodelist.node.0.ring8_addr", "interface ring number 8 is bigger than allowed maximum 7");
		assertProblem(totem(""), ConfigStage.TOTEM, "nodelist", "No interfaces defined");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"to_syslog: maybe|logging.to_syslog|unknown value for to_syslog.",
			"to_stderr: 1|logging.to_stderr|unknown value for to_stderr.",
			"fileline: yes|logging.fileline|unknown value for fileline.",
			"blackbox: yes|logging.blackbox|unknown value for blackbox.",
			"to_file: maybe|logging.to_file|unknown value for to_file.",
			"logger_subsys {\\n\\t\\tsubsys: CPG\\n\\t\\tsyslog_facility: nowhere\\n\\t}|logging.logger_subsys.CPG.syslog_facility|unknown syslog facility specified",
			"logfile_priority: loud|logging.logfile_priority|unknown logfile priority specified",
			"syslog_priority: loud|logging.syslog_priority|unknown syslog priority specified",
			"syslog_facility: local9|logging.syslog_facility|unknown syslog facility specified",
			"debug: yes|logging.debug|unknown value for debug",
			"timestamp: yes|logging.timestamp|unknown value for timestamp",
			"logger_subsys {\\n\\t\\tsubsys: CPG\\n\\t\\tdebug: loud\\n\\t}|logging.logger_subsys.CPG.debug|unknown value for debug" })
	void loggingRules(String settings, String key, String message) {
		assertProblem(totem("") + THREE_NODES + "logging {\n\t" + settings.replace("\\n", "\n").replace("\\t", "\t")
				+ "\n}\n", ConfigStage.LOGGING, key, message);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"provider: bogus|quorum.provider|Invalid quorum provider",
			"provider: corosync_ykd|quorum.provider|Quorum provider corosync_ykd is not supported by corosync4j",
			"provider: corosync_votequorum\\n\\ttwo_node: 1\\n\\tdevice {\\n\\t\\tmodel: net\\n\\t}|quorum.two_node|configuration error: two_node and quorum device cannot be configured at the same time!",
			"provider: corosync_votequorum\\n\\tauto_tie_breaker: 1\\n\\tlast_man_standing: 1|quorum.auto_tie_breaker|configuration error: auto_tie_breaker & last_man_standing not available in odd sized cluster",
			"provider: corosync_votequorum\\n\\tlast_man_standing: 1\\n\\tdevice {\\n\\t\\tmodel: net\\n\\t}|quorum.last_man_standing|configuration error: quorum.device is not compatible with last_man_standing",
			"provider: corosync_votequorum\\n\\tauto_tie_breaker: 1\\n\\twait_for_all: 1\\n\\tdevice {\\n\\t\\tmodel: net\\n\\t}|quorum.auto_tie_breaker|configuration error: quorum.device is not compatible with auto_tie_breaker",
			"provider: corosync_votequorum\\n\\tallow_downscale: 1\\n\\tdevice {\\n\\t\\tmodel: net\\n\\t}|quorum.allow_downscale|configuration error: quorum.device is not compatible with allow_downscale",
			"provider: corosync_votequorum\\n\\texpected_votes: 5\\n\\tdevice {\\n\\t\\tmodel: net\\n\\t}|quorum.device.votes|configuration error: quorum.device.votes must be specified when quorum.expected_votes is set",
			"provider: corosync_votequorum\\n\\texpected_votes: 4\\n\\tdevice {\\n\\t\\tmodel: net\\n\\t\\tvotes: 3\\n\\t}|quorum.device.votes|configuration error: quorum.device.votes is too high or expected_votes is too low" })
	void quorumRules(String settings, String key, String message) {
		assertProblem(totem("") + THREE_NODES + "quorum {\n\t" + settings.replace("\\n", "\n").replace("\\t", "\t")
				+ "\n}\n", ConfigStage.SERVICES, key, message);
	}

	@Test
	void quorumNeedsNodesOrExpectedVotes() {
		String udp = """
				totem {
					version: 2
					transport: udp
					interface {
						bindnetaddr: 10.0.0.0
						mcastaddr: 239.255.1.1
					}
				}
				quorum {
					provider: corosync_votequorum
				}
				""";
		assertProblem(udp, ConfigStage.SERVICES, "quorum.expected_votes",
				"configuration error: nodelist or quorum.expected_votes must be configured!");
		assertThat(read(udp.replace("provider: corosync_votequorum", "provider: corosync_votequorum\n\texpected_votes: 3"))
			.quorum().expectedVotes()).isEqualTo(3L);
	}

	@Test
	void deviceVotesNeededWithUnevenNodeVotes() {
		assertProblem(totem("") + THREE_NODES.replace("name: n3", "name: n3\n\t\tquorum_votes: 2")
				+ "quorum {\n\tprovider: corosync_votequorum\n\tdevice {\n\t\tmodel: net\n\t}\n}\n", ConfigStage.SERVICES,
				"quorum.device.votes",
				"configuration error: quorum.device.votes must be specified when not all nodes votes 1");
	}

	@Test
	void quorumSettingsCorosyncCorrectsWithAWarning() {
		CorosyncConfig oddWithoutWaitForAll = read(totem("") + THREE_NODES
				+ "quorum {\n\tprovider: corosync_votequorum\n\tauto_tie_breaker: 1\n}\n");
		assertThat(oddWithoutWaitForAll.quorum().autoTieBreaker()).isFalse();
		assertThat(oddWithoutWaitForAll.warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning.message()).startsWith("auto_tie_breaker is set and the cluster has an odd number of nodes."));
		CorosyncConfig twoNodeAndTieBreaker = read(totem("") + THREE_NODES.replace("name: n3", "name: n3\n\t\tquorum_votes: 2")
				+ "quorum {\n\tprovider: corosync_votequorum\n\tauto_tie_breaker: 1\n\ttwo_node: 1\n}\n");
		assertThat(twoNodeAndTieBreaker.quorum().twoNode()).isFalse();
		assertThat(twoNodeAndTieBreaker.quorum().autoTieBreaker()).isTrue();
		CorosyncConfig badTieBreakerList = read(totem("") + THREE_NODES
				+ "quorum {\n\tprovider: corosync_votequorum\n\tauto_tie_breaker: 1\n\twait_for_all: 1\n\tauto_tie_breaker_node: first\n}\n");
		assertThat(badTieBreakerList.quorum().autoTieBreaker()).isFalse();
		CorosyncConfig meaningless = read(totem("") + THREE_NODES
				+ "quorum {\n\tprovider: corosync_votequorum\n\tauto_tie_breaker_node: highest\n}\n");
		assertThat(meaningless.warnings()).extracting(ConfigWarning::message)
			.containsExactly("auto_tie_breaker_node: is meaningless if auto_tie_breaker is set to 0");
	}

	@Test
	void independentProblemsAreReportedTogetherInCorosyncsOrder() {
		assertThatExceptionOfType(ConfigException.class)
			.isThrownBy(() -> read(totem("version: 1\n\tlink_mode: fast") + THREE_NODES + "logging {\n\tdebug: loud\n}\n"
					+ "quorum {\n\tprovider: bogus\n}\n"))
			.satisfies((ex) -> {
				assertThat(ex.problems()).extracting(ConfigProblem::key).containsExactly("logging.debug", "totem.version",
						"totem.link_mode", "quorum.provider");
				assertThat(ex.exitStatus()).isEqualTo(7);
				assertThat(ex.getMessage()).contains("corosync.conf:3: totem.version: This totem parser can only parse "
						+ "version 2 configurations. — add 'version: 2' to the totem section");
			});
	}

	@Test
	void readsFromAFile(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
		Path file = directory.resolve("corosync.conf");
		java.nio.file.Files.writeString(file, totem("") + THREE_NODES);
		CorosyncConfig config = new CorosyncConfigReader(Map.of()).read(file);
		assertThat(config.totemNodes()).hasSize(3);
		assertThat(config.keys().get("totem.version").origin()).isEqualTo(ConfigOrigin.of(file.toString(), 2));
	}

	@Test
	void inlineKeyIncludesItsTerminatingNul() {
		String key127 = "k".repeat(127);
		CorosyncConfig config = read(totem("crypto_cipher: aes128\n\tcrypto_hash: sha1\n\tkey: " + key127) + THREE_NODES);
		Authkey authkey = Authkey.load(config, false, Map.of());
		assertThat(authkey.length()).isEqualTo(128);
		assertThat(authkey.bytes()[127]).isZero();
		assertProblem(totem("crypto_cipher: aes128\n\tcrypto_hash: sha1\n\tkey: " + "k".repeat(126)) + THREE_NODES,
				ConfigStage.TOTEM, "totem.key", "key is too short");
	}

	static String totem(String settings) {
		return "totem {\n\tversion: 2\n\t" + settings + "\n}\n";
	}

	static CorosyncConfig read(String text) {
		return read(ConfigParser.parse("corosync.conf", text));
	}

	static CorosyncConfig read(ConfigMap keys) {
		return new CorosyncConfigReader(Map.of()).read(keys);
	}

	static void assertProblem(String text, ConfigStage stage, String key, String message) {
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> read(text)).satisfies((ex) -> {
			ConfigProblem problem = ex.firstProblem();
			assertThat(problem.message()).isEqualTo(message);
			assertThat(problem.key()).isEqualTo(key);
			assertThat(problem.stage()).isEqualTo(stage);
			assertThat(problem.fix()).as("a fix for: " + message).isNotBlank();
			assertThat(ex.exitStatus()).isEqualTo(stage.exitStatus());
		});
	}

}
