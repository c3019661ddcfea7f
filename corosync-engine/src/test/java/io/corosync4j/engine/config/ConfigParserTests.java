package io.corosync4j.engine.config;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * The {@code corosync.conf} syntax as Corosync 3.1.7's {@code coroparse.c} reads it.
 */
class ConfigParserTests {

	@Test
	void sectionsAndItemsBecomeDottedKeys() {
		ConfigMap map = parse("""
				totem {
					version: 2
					cluster_name: demo
				}
				quorum {
					provider: corosync_votequorum
					device {
						model: net
						net {
							host: 10.0.0.9
						}
					}
				}
				""");
		assertThat(map.number("totem.version")).hasValue(2);
		assertThat(map.get("totem.version").type()).isEqualTo(ValueType.UINT32);
		assertThat(map.string("totem.cluster_name")).hasValue("demo");
		assertThat(map.string("quorum.device.net.host")).hasValue("10.0.0.9");
		assertThat(map.get("totem.cluster_name").origin()).isEqualTo(ConfigOrigin.of("corosync.conf", 3));
	}

	@Test
	void valuesKeepInnerBlanksQuotesAndTrailingComments() {
		ConfigMap map = parse("totem {\n\tcluster_name:   my  test \"cluster\" # not a comment   \n}\n");
		assertThat(map.string("totem.cluster_name")).hasValue("my  test \"cluster\" # not a comment");
	}

	@Test
	void commentsAndBlankLinesAreSkipped() {
		ConfigMap map = parse("# top\n\n   # indented\ntotem {\n\t# inside\n\tversion: 2\n}\n");
		assertThat(map.entries()).extracting(ConfigEntry::key).containsExactly("totem.version");
	}

	@Test
	void carriageReturnsTabsAndNonBreakingSpacesAreBlanks() {
		ConfigMap map = parse("totem {\r\n\tversion:\u00a02\u00a0\r\n\tcluster_name:\tx\t\r\n}\r\n");
		assertThat(map.number("totem.version")).hasValue(2);
		assertThat(map.string("totem.cluster_name")).hasValue("x");
	}

	@Test
	void valuesMayContainColons() {
		ConfigMap map = parse("nodelist {\n\tnode {\n\t\tring0_addr: fd98::1\n\t}\n}\n");
		assertThat(map.string("nodelist.node.0.ring0_addr")).hasValue("fd98::1");
	}

	@Test
	void lastRepeatedKeyWinsAndRepeatedSectionsMerge() {
		ConfigMap map = parse("totem {\n\ttoken: 5000\n\ttoken: 7000\n\tjoin: 60\n}\ntotem {\n\tconsensus: 9000\n}\n");
		assertThat(map.number("totem.token")).hasValue(7000);
		assertThat(map.number("totem.join")).hasValue(60);
		assertThat(map.number("totem.consensus")).hasValue(9000);
	}

	@Test
	void interfaceKeysAreIndexedByLinkNumber() {
		ConfigMap map = parse("""
				totem {
					interface {
						mcastport: 5500
						linknumber: 1
						knet_link_priority: 3
						frobnicate: yes
						member {
							memberaddr: 10.0.0.1
						}
						member {
							memberaddr: 10.0.0.2
						}
					}
					interface {
						linknumber: 5
					}
				}
				""");
		assertThat(map.number("totem.interface.1.mcastport")).hasValue(5500);
		assertThat(map.get("totem.interface.1.mcastport").type()).isEqualTo(ValueType.UINT16);
		assertThat(map.get("totem.interface.1.mcastport").origin().line()).isEqualTo(3);
		assertThat(map.get("totem.interface.1.knet_link_priority").type()).isEqualTo(ValueType.UINT8);
		// Corosync lists members newest first
		assertThat(map.string("totem.interface.1.member.0")).hasValue("10.0.0.2");
		assertThat(map.string("totem.interface.1.member.1")).hasValue("10.0.0.1");
		// An unknown interface key is stored without the link number, as Corosync does.
		assertThat(map.string("totem.interface.frobnicate")).hasValue("yes");
		// A block holding only its link number creates no key at all.
		assertThat(map.withPrefix("totem.interface.5")).isEmpty();
	}

	@Test
	void nodesAreNumberedInFileOrder() {
		ConfigMap map = parse("""
				nodelist {
					node {
						ring0_addr: 10.0.0.1
						nodeid: 1
						quorum_votes: 2
					}
					node {
						name: second
					}
				}
				""");
		assertThat(map.number("nodelist.node.0.nodeid")).hasValue(1);
		assertThat(map.get("nodelist.node.0.quorum_votes").type()).isEqualTo(ValueType.UINT32);
		assertThat(map.string("nodelist.node.1.name")).hasValue("second");
	}

	@Test
	void loggerSubsysSectionsAreKeyedBySubsystem() {
		ConfigMap map = parse("logging {\n\tlogger_subsys {\n\t\tdebug: on\n\t\tsubsys: TOTEM\n\t}\n}\n");
		assertThat(map.string("logging.logger_subsys.TOTEM.debug")).hasValue("on");
		assertThat(map.string("logging.logger_subsys.TOTEM.subsys")).hasValue("TOTEM");
	}

	@Test
	void repeatedLoggerSubsysItemsKeepTheFirstValue() {
		ConfigMap map = parse("logging {\n\tlogger_subsys {\n\t\tsubsys: CPG\n\t\tdebug: on\n\t\tdebug: off\n\t}\n}\n");
		assertThat(map.string("logging.logger_subsys.CPG.debug")).hasValue("on");
	}

	@Test
	void aLineEndsAtANulByte() {
		ConfigMap map = parse("totem {\n\tcluster_name: abc\0def\n}\n");
		assertThat(map.string("totem.cluster_name")).hasValue("abc");
	}

	@Test
	void memberSectionsBelongInAnInterface() {
		assertParseError("totem.interface.member {\n\tmemberaddr: 10.0.0.1\n}\n", 2,
				"member section outside of totem.interface");
	}

	@Test
	void loggingDaemonSectionsForCorosyncMapToLogging() {
		ConfigMap map = parse(
				"logging {\n\tlogging_daemon {\n\t\tname: corosync\n\t\tsubsys: CPG\n\t\tdebug: on\n\t}\n}\n");
		assertThat(map.string("logging.logger_subsys.CPG.debug")).hasValue("on");
	}

	@Test
	void uidgidEntriesBecomeFlags() {
		ConfigMap map = parse("uidgid {\n\tuid: 1000\n\tgid: 1001\n}\n");
		assertThat(map.number("uidgid.config.uid.1000")).hasValue(1);
		assertThat(map.get("uidgid.config.gid.1001").type()).isEqualTo(ValueType.UINT8);
	}

	@ParameterizedTest
	@CsvSource({ "010000, 10000", "+3000, 3000", "0, 0", "4294967295, 4294967295" })
	void integersAreDecimal(String text, long value) {
		assertThat(parse("totem {\n\ttoken: " + text + "\n}\n").number("totem.token")).hasValue(value);
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "-1", "0x1000", "3000.5", "4294967296", "5000;", "5000 # x", "" })
	void nonDecimalIntegersAreRefusedWithTheLine(String text) {
		assertParseError("totem {\n\tversion: 2\n\ttoken: " + text + "\n}\n", 3,
				"Value of key \"totem.token\" is expected to be integer in range (0..4294967295), but \"" + text
						+ "\" was given");
	}

	@Test
	void quorumFlagsTakeNumbersOnly() {
		assertParseError("quorum {\n\twait_for_all: yes\n}\n", 2,
				"Value of key \"quorum.wait_for_all\" is expected to be integer in range (0..255), but \"yes\" was given");
	}

	@Test
	void interfaceIntegersAreCheckedOnTheirLine() {
		assertParseError("totem {\n\tinterface {\n\t\tmcastport: 70000\n\t}\n}\n", 3,
				"Value of key \"totem.interface.mcastport\" is expected to be integer in range (0..65535), but \"70000\" was given");
		assertParseError("totem {\n\tinterface {\n\t\tlinknumber: x\n\t}\n}\n", 3,
				"Value of key \"totem.interface.linknumber\" is expected to be integer in range (0..255), but \"x\" was given");
	}

	@Test
	void unsigned64BitValues() {
		assertThat(parse("totem {\n\tconfig_version: 18446744073709551615\n}\n").get("totem.config_version")
			.valueText()).isEqualTo("18446744073709551615");
		// strtoull negates modulo 2^64
		assertThat(parse("totem {\n\tconfig_version: -1\n}\n").get("totem.config_version").valueText())
			.isEqualTo("18446744073709551615");
		assertParseError("totem {\n\tconfig_version: 1e3\n}\n", 2,
				"Value of key \"totem.config_version\" is expected to be integer in range (0..18446744073709551615), but \"1e3\" was given");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"totem {\\n\\tip_version: ipv5\\n}\\n|2|Invalid ip_version type",
			"totem {\\n\\tcrypto_cipher: aes512\\n}\\n|2|Invalid cipher type. Should be none, aes256, aes192 or aes128",
			"totem {\\n\\tcrypto_hash: sha3\\n}\\n|2|Invalid hash type. Should be none, md5, sha1, sha256, sha384 or sha512",
			"totem {\\n\\tcrypto_model: gcrypt\\n}\\n|2|Invalid crypto model. Should be nss, openssl, bouncycastle or jca",
			"totem {\\n\\tknet_compression_model: lz4\\n}\\n|2|knet compression model \"lz4\" is not supported by corosync4j yet",
			"totem {\\n\\tknet_compression_model: snappy\\n}\\n|2|Invalid compression model. Should be none",
			"system {\\n\\tqb_ipc_type: pipe\\n}\\n|2|Invalid system.qb_ipc_type",
			"system {\\n\\tsched_rr: maybe\\n}\\n|2|Invalid system.sched_rr value",
			"system {\\n\\tmove_to_root_cgroup: sometimes\\n}\\n|2|Invalid system.move_to_root_cgroup",
			"system {\\n\\tallow_knet_handle_fallback: 1\\n}\\n|2|Invalid system.allow_knet_handle_fallback" })
	void wordsTheParserChecks(String text, int line, String message) {
		assertParseError(text.replace("\\n", "\n").replace("\\t", "\t"), line, message);
	}

	@Test
	void syntaxErrors() {
		assertParseError("totem {\n\tversion: 2\n}\n}\n", 4, "Unexpected closing brace");
		assertParseError("totem {\n\tversion: 2\n", 2, "Missing closing brace");
		assertParseError("totem { version: 2\n}\n", 1, "Extra characters after opening bracket '{'");
		// ':' is looked for before '}', so a brace after an item becomes part of the value.
		assertParseError("totem {\n\tcluster_name: x }\n", 2, "Missing closing brace");
		assertParseError("totem {\n\tversion: 2\n} x\n", 3, "Extra characters before or after closing bracket '}'");
		assertParseError("{\n}\n", 1, "Missing section name before opening bracket '{'");
		assertParseError("totem {\n\ttoken 5000\n}\n", 2, "Line is not opening or closing section or key value");
		assertParseError("totem {\n\ttoken = 5000\n}\n", 2, "Line is not opening or closing section or key value");
		assertParseError("totem {\n\t: 5000\n}\n", 2, "Key name can't be empty");
		assertParseError("totem {\n\tinterface {\n\t\tmember {\n\t\t\taddr: x\n\t\t}\n\t}\n}\n", 4,
				"Only memberaddr is allowed in member section");
		assertParseError("uidgid {\n\tuser: x\n}\n", 2, "uidgid: Only uid and gid are allowed items");
		assertParseError("logging {\n\tlogger_subsys {\n\t\tdebug: on\n\t}\n}\n", 4,
				"No subsys key in logger_subsys directive");
		assertParseError("logging {\n\tlogging_daemon {\n\t\tdebug: on\n\t}\n}\n", 4,
				"No name key in logging_daemon directive");
		assertParseError("totem {\n\tbad key: 1\n}\n", 2,
				"Can't store key \"totem.bad key\" into icmap, returned error is Invalid key name");
		assertParseError("ab: 1\n", 1, "Can't store key \"ab\" into icmap, returned error is Invalid key name");
	}

	@Test
	void pathsLongerThanCmapAllowsAreRefused() {
		String longName = "x".repeat(250);
		assertParseError("totem {\n\t" + longName + " {\n\t}\n}\n", 2, "Start of section makes total cmap path too long");
		assertParseError("totem {\n\t" + longName + ": 1\n}\n", 2, "New key makes total cmap path too long");
	}

	@Test
	void linesOfMoreThan510BytesAreTooLong() {
		String fits = "totem {\n" + "\tcluster_name: " + "x".repeat(510 - 15) + "\n}\n";
		assertThat(parse(fits).string("totem.cluster_name")).isPresent();
		String tooLong = "totem {\n" + "\tcluster_name: " + "x".repeat(511 - 15) + "\n}\n";
		assertParseError(tooLong, 2, "Line too long");
	}

	@Test
	void unreadableFileIsReportedWithItsName() {
		assertThatExceptionOfType(ConfigException.class)
			.isThrownBy(() -> ConfigParser.parse(java.nio.file.Path.of("/nonexistent/corosync.conf")))
			.satisfies((ex) -> {
				assertThat(ex.firstProblem().message())
					.isEqualTo("Can't read file /nonexistent/corosync.conf: No such file or directory");
				assertThat(ex.exitStatus()).isEqualTo(8);
			});
	}

	@Test
	void errorsReadAsOriginKeyMessageAndFix() {
		assertThatExceptionOfType(ConfigException.class)
			.isThrownBy(() -> parse("totem {\n\ttoken: 3s\n}\n"))
			.withMessage("corosync.conf:2: totem.token: Value of key \"totem.token\" is expected to be integer in range "
					+ "(0..4294967295), but \"3s\" was given — write a decimal number without sign, unit or comment");
	}

	@Test
	void garbageNeverEscapesAsAnythingButAConfigException() {
		Random random = new Random(42);
		String alphabet = "ab:{}# \t\n\r.-_0123456789\u00a0\u00ff";
		for (int round = 0; round < 5_000; round++) {
			StringBuilder text = new StringBuilder();
			int length = random.nextInt(200);
			for (int i = 0; i < length; i++) {
				text.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			try {
				ConfigMap map = ConfigParser.parse("fuzz.conf", text.toString().getBytes(StandardCharsets.ISO_8859_1));
				new CorosyncConfigReader(java.util.Map.of()).read(map);
			}
			catch (ConfigException ex) {
				assertThat(ex.getMessage()).startsWith("fuzz.conf");
			}
			catch (RuntimeException ex) {
				fail("round " + round + " threw " + ex + " for input: " + text, ex);
			}
		}
	}

	private static ConfigMap parse(String text) {
		return ConfigParser.parse("corosync.conf", text);
	}

	private static void assertParseError(String text, int line, String message) {
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> parse(text)).satisfies((ex) -> {
			assertThat(ex.problems()).hasSize(1);
			assertThat(ex.firstProblem().message()).isEqualTo(message);
			assertThat(ex.firstProblem().origin()).isEqualTo(ConfigOrigin.of("corosync.conf", line));
			assertThat(ex.firstProblem().stage()).isEqualTo(ConfigStage.PARSE);
			assertThat(ex.exitStatus()).isEqualTo(8);
		});
	}

}
