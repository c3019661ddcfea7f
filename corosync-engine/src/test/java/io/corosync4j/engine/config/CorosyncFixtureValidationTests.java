package io.corosync4j.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every configuration case recorded from Corosync 3.1.7 ({@code config-behaviour.md} §2 and §4) gets
 * the same outcome here: accepted, or refused with the same exit status and Corosync's message. The
 * few deliberate differences are listed in {@link #DEVIATIONS} with their reason.
 */
class CorosyncFixtureValidationTests {

	/**
	 * Cases where corosync4j says something other than Corosync, on purpose. The outcome (exit
	 * status) is the same; only the wording differs.
	 */
	static final Map<String, String> DEVIATIONS = Map.of(
			// The knet nodeid rule is checked for every node before the local node is known, so the
			// message names the address instead of "the local node".
			"v-knet-no-nodeid", "Knet requires an explicit nodeid to be specified for address '10.98.0.1'.",
			// Our crypto models are Bouncy Castle and the JCA; nss and openssl are accepted aliases.
			"v-crypto-model-bogus", "Invalid crypto model. Should be nss, openssl, bouncycastle or jca");

	@TempDir
	Path etc;

	static Stream<Map<String, String>> cases() {
		return Fixtures.table("validation-cases.tsv").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void outcomeMatchesCorosync(Map<String, String> row) throws IOException {
		String name = row.get("case");
		int recordedExit = Integer.parseInt(row.get("exit"));
		// The key and config files live in a temporary directory instead of /etc/corosync.
		String recordedMessage = DEVIATIONS.getOrDefault(name, row.get("message")).replace("/etc/corosync/", this.etc + "/");
		Outcome outcome = check(name);
		// Corosync ran as root there; an unprivileged test run cannot read a mode 0000 file.
		boolean unreadable = name.equals("v-keyfile-0000") && !Files.isReadable(this.etc.resolve("authkey"));
		int exit = unreadable ? 8 : recordedExit;
		String message = unreadable ? "Could not open " + this.etc.resolve("authkey") + ": Permission denied"
				: recordedMessage;
		assertThat(outcome.exit()).as("exit status of %s (%s)", name, outcome).isEqualTo(exit);
		if (exit != 0) {
			assertThat(outcome.problem().message()).as(name).isEqualTo(message);
			if (!row.get("line").isEmpty()) {
				assertThat(outcome.problem().origin().line()).as("line of %s", name)
					.isEqualTo(Integer.parseInt(row.get("line")));
			}
		}
		else if (!message.isEmpty()) {
			assertThat(outcome.warnings()).as("warnings of %s", name).anyMatch((warning) -> warning.contains(message));
		}
	}

	private Outcome check(String name) throws IOException {
		writeKeys(name);
		Map<String, String> environment = Map.of(ConfigLocations.AUTHKEY_FILE_VARIABLE,
				this.etc.resolve("authkey").toString());
		try {
			if (name.equals("v-missing-config")) {
				ConfigParser.parse(this.etc.resolve("corosync.conf"));
			}
			String text = Fixtures.config(name).replace("/etc/corosync/", this.etc + "/");
			ConfigMap keys = ConfigParser.parse(name + ".conf", text.getBytes(StandardCharsets.UTF_8));
			CorosyncConfig config = new CorosyncConfigReader(Map.of()).read(keys);
			Authkey key = Authkey.load(config, false, environment);
			ClusterAddresses.resolve(config, FakeHost.fixtureNode1());
			List<String> warnings = new ArrayList<>();
			config.warnings().forEach((warning) -> warnings.add(warning.message()));
			if (key != null) {
				key.warnings().forEach((warning) -> warnings.add(warning.message()));
			}
			return new Outcome(0, null, warnings);
		}
		catch (ConfigException ex) {
			return new Outcome(ex.exitStatus(), ex.firstProblem(), List.of());
		}
	}

	private void writeKeys(String name) throws IOException {
		int size = switch (name) {
			case "v-keyfile-100" -> 100;
			case "v-keyfile-127" -> 127;
			case "v-keyfile-128" -> 128;
			case "v-keyfile-5000" -> 5000;
			default -> 256;
		};
		String mode = switch (name) {
			case "v-keyfile-0644" -> "rw-r--r--";
			case "v-keyfile-0000" -> "---------";
			default -> "r--------";
		};
		Path key = this.etc.resolve("authkey");
		Files.write(key, new byte[size]);
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
	}

	record Outcome(int exit, ConfigProblem problem, List<String> warnings) {
	}

}
