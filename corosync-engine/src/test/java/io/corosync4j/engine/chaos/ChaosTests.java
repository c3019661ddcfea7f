package io.corosync4j.engine.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A short chaos run of real processes in every build (about 75 s of faults per ring; see
 * {@code docs/chaos.md}): five corosync4j JVMs on udpu, and three corosync4j JVMs with two Corosync
 * daemons on knet with aes256/sha256. Needs root, iproute2, nftables, util-linux, and Debian's corosync,
 * gcc, pkg-config and libcpg-dev for the mixed ring; skips without them unless
 * {@code COROSYNC4J_REQUIRE_INTEROP=1}, which makes that a failure.
 *
 * <p>System properties: {@code corosync4j.chaos.seed} (default 1 and 2), {@code corosync4j.chaos.seconds}
 * (default 75), {@code corosync4j.chaos.dir} (default {@code target/chaos}). A run's logs, the daemons'
 * logs, the faults and {@code report.txt} stay in its directory when it fails.
 */
class ChaosTests {

	@Test
	void corosync4jRingOnUdpuKeepsEveryRule() throws Exception {
		ChaosRing.Settings settings = settings("corosync4j-udpu", 1);
		ChaosRing.Result result = run(settings);
		assertThat(result.formed()).as("the ring re-formed with all nodes; " + result.summary()).isTrue();
		assertThat(result.report().violations()).as(result.summary()).isEmpty();
		assertThat(result.unexpectedExits()).as("processes that ended on their own").isEmpty();
	}

	@Test
	void mixedRingOnKnetWithCryptoKeepsEveryRuleThatCorosyncsOwnRuleDoesNotBreak() throws Exception {
		ChaosRing.Settings settings = settings("mixed-knet", 2);
		ChaosRing.Result result = run(settings);
		assertThat(result.formed()).as("the ring re-formed with all nodes; " + result.summary()).isTrue();
		// Corosync's own rule for fragment chains cut by a membership change breaks virtual synchrony in rings
		// of Corosync daemons too, and receiving beside them corosync4j follows it (docs/virtual-synchrony.md):
		// members that held the start of a Corosync sender's cut message deliver it, the others do not, whatever
		// their implementation; and the two implementations report some changes differently. Every rule but
		// SYNCHRONY and VIEWS must hold for the corosync4j processes here; ChaosMain's hour-long runs hold mixed
		// rings to the stricter bar (ChaosMain.bar), which they do not meet yet (docs/chaos.md, Figures)
		assertThat(result.report().violations().stream()
			.filter((v) -> v.kind() != ChaosChecker.Kind.SYNCHRONY && v.kind() != ChaosChecker.Kind.VIEWS)
			.filter((v) -> v.differingImpls().contains("corosync4j")))
			.as(result.summary())
			.isEmpty();
		assertThat(result.unexpectedExits()).as("processes that ended on their own").isEmpty();
	}

	static ChaosRing.Settings settings(String name, long defaultSeed) {
		ChaosRing.Settings settings = ChaosRing.Settings.of(name);
		settings.seed = Long.getLong("corosync4j.chaos.seed", defaultSeed);
		settings.chaos = Duration.ofSeconds(Long.getLong("corosync4j.chaos.seconds", 75));
		settings.directory = Path.of(System.getProperty("corosync4j.chaos.dir", "target/chaos"));
		return settings;
	}

	/** Runs a ring (skipping or failing when the machine cannot), prints its summary and violations. */
	static ChaosRing.Result run(ChaosRing.Settings settings) throws Exception {
		List<String> missing = ChaosRing.missingTools(settings);
		if (!missing.isEmpty()) {
			String message = "The chaos run " + settings.name() + " needs " + String.join(", ", missing)
					+ " (root, iproute2, nftables, util-linux; corosync, gcc, pkg-config, libcpg-dev for Corosync nodes)";
			if ("1".equals(System.getenv("COROSYNC4J_REQUIRE_INTEROP"))) {
				fail(message);
			}
			Assumptions.abort(message);
		}
		try (ChaosRing ring = new ChaosRing(settings)) {
			ChaosRing.Result result = ring.run();
			System.out.println(result.summary());
			result.report().violations().stream().limit(20).forEach((v) -> System.out.println("  " + v));
			if (result.report().violations().isEmpty() && result.formed() && result.unexpectedExits().isEmpty()) {
				ring.deleteLogs();
			}
			return result;
		}
	}

}
