package io.corosync4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The ring-size rows: rings of n members configured as such, and what the report says about them. */
class ScaleBenchmarkTests {

	@TempDir
	Path directory;

	@Test
	void aRingOfEightHasEightMembersInEveryConfiguration() throws Exception {
		Peers peers = new Peers(this.directory, List.of(1024), 1, new byte[256], 0, 0).ring(List.of(1024), 1, 0, 0, 8);
		List<Path> configs = peers.corosync4jConfigs(this.directory, "udpu");
		assertThat(configs).hasSize(8);
		for (Path config : configs) {
			String text = Files.readString(config);
			assertThat(text).contains("ring0_addr: 127.0.0.8").doesNotContain("127.0.0.9");
			assertThat(text.split("node \\{", -1)).hasSize(9);
		}
	}

	@Test
	void everyMemberSendingIsTheSameRingWithTheSameRounds() {
		Peers ring = new Peers(this.directory, List.of(1024), 1, new byte[256], 0, 0).ring(List.of(1024), 5, 12, 0, 8)
			.withHeapFlags(List.of("-XX:+UseZGC"));
		Peers everyone = ring.withAllSenders();
		assertThat(ring.traffic()).isEqualTo(Peers.Traffic.ONE_SENDER_THEN_PINGS);
		assertThat(everyone.traffic()).isEqualTo(Peers.Traffic.ALL_SENDERS);
		assertThat(everyone.members()).isEqualTo(8);
		assertThat(everyone.senderSizes()).isEqualTo(ring.senderSizes()).isEqualTo("1024,1024,1024,1024");
		assertThat(everyone.heapFlags()).containsExactly("-XX:+UseZGC");
	}

	@Test
	void ringsOutsideWhatTheHostCanGiveAddressesAreRefused() {
		Peers peers = new Peers(this.directory, List.of(1024), 1, new byte[256], 0, 0);
		assertThatIllegalArgumentException().isThrownBy(() -> peers.ring(List.of(1024), 1, 0, 0, 1));
		assertThatIllegalArgumentException().isThrownBy(() -> peers.ring(List.of(1024), 1, 0, 0, Peers.MOST_MEMBERS + 1));
		Map<String, String> options = ScaleBenchmark.defaults();
		options.put("--scale", "3,64");
		assertThatIllegalArgumentException().isThrownBy(() -> ScaleBenchmark.fromOptions(options, peers))
			.withMessageContaining("not 64");
	}

	@Test
	void noMemberCountsMeansNoSection() throws Exception {
		Map<String, String> options = ScaleBenchmark.defaults();
		options.put("--scale", "");
		assertThat(ScaleBenchmark.fromOptions(options, new Peers(this.directory, List.of(1024), 1, new byte[256], 0, 0)))
			.isEmpty();
	}

	@Test
	void theReportShowsEachPeersGrowthItsSlopeAndTheRatioOfOurBestToTheBestOtherPeer() {
		List<ScaleBenchmark.Result> results = List.of(result("corosync4j", "udpu", 3, 60_000, 90, 150),
				result("corosync4j", "udpu-tuned", 3, 50_000, 80, 160), result("corosync", "udpu", 3, 30_000, 100, 170),
				result("jgroups", "sequencer", 3, 40_000, 200, 900),
				result("corosync4j", "udpu", 8, 30_000, 190, 300)
					.withEveryoneSending(everyone("corosync4j", "udpu", 8, 45_000)),
				result("corosync", "udpu", 8, 15_000, 250, 400)
					.withEveryoneSending(everyone("corosync", "udpu", 8, 20_000)),
				new ScaleBenchmark.Result(new ScaleBenchmark.Run("jgroups", "sequencer"), 8, null,
						"a member | did not join", 0.0, null),
				result("corosync4j", "udpu", 16, 15_000, 350, 600),
				result("corosync", "udpu", 16, 8_000, 490, 700)
					.withEveryoneSending(new ScaleBenchmark.Result(new ScaleBenchmark.Run("corosync", "udpu"), 16, null,
							"all | broke", 0.0, null)),
				result("jgroups", "sequencer", 16, 20_000, 300, 2_000));
		String report = ScaleBenchmark.markdown(results, 1024, 10, 30, 10);
		String jgroups = "JGroups " + org.jgroups.Version.printVersion();
		assertThat(report).contains("| corosync4j | udpu | 8 | 30,000 | 0.50 | 45,000 | 190 | 300 | 0.0 |")
			.contains("| corosync4j | udpu | 3 | 60,000 | 1.00 | – | 90 | 150 | 0.0 |")
			.contains("| Corosync 3.1.7 | udpu | 16 | 8,000 | 0.27 | failed: all / broke | 490 | 700 | 0.0 |")
			.contains("| " + jgroups + " | sequencer | 8 | failed: a member / did not join | | – | | | |")
			// corosync4j's p50 over 3, 8, 16 members: 20 µs per member, exactly
			.contains("| corosync4j | udpu | 20.0 |")
			.contains("| corosync4j | udpu-tuned | – | – |")
			// our best of each figure: udpu's rate and p99, udpu-tuned's p50
			.contains("| 3 | 1.50 vs " + jgroups + " sequencer | – | 1.25 vs Corosync 3.1.7 udpu | 1.13 vs Corosync 3.1.7 udpu |")
			// every member sending, where both sides were measured: 45,000 against Corosync's 20,000
			.contains("| 8 | 2.00 vs Corosync 3.1.7 udpu | 2.25 vs Corosync 3.1.7 udpu | 1.32 vs Corosync 3.1.7 udpu "
					+ "| 1.33 vs Corosync 3.1.7 udpu |")
			.contains("| 16 | 0.75 vs " + jgroups + " sequencer | – | 0.86 vs " + jgroups
					+ " sequencer | 1.17 vs Corosync 3.1.7 udpu |");
	}

	@Test
	void failoverRowsGiveTheMedianTheSpreadAndTotemsBoundForTheirSize() {
		String report = ScaleBenchmark.failoverMarkdown(List.of(
				new ScaleBenchmark.Kills("corosync4j", 3, List.of(3_500L, 3_400L, 3_600L), ""),
				new ScaleBenchmark.Kills("corosync", 16, List.of(), "no ring of 1,2 within 60 s"),
				new ScaleBenchmark.Kills("jgroups", 8, List.of(5_100L), "")));
		assertThat(report).contains("| corosync4j | 3 | 3,500 | 3,400–3,600 | 3,630 |")
			.contains(" | 8 | 5,100 | 5,100–5,100 | – |")
			.contains("| Corosync 3.1.7 | 16 | failed: no ring of 1,2 within 60 s |");
		assertThat(Failover.totemBoundMillis(16)).isEqualTo(10_100 + 12_120);
		assertThat(ScaleBenchmark.failoverMarkdown(List.of())).isEmpty();
	}

	@Test
	void theSlopeOfALineIsItsGradientAndOfOnePointNone() {
		assertThat(ScaleBenchmark.slope(new double[] { 3, 8, 16 }, new double[] { 10, 20, 36 })).isEqualTo(2.0);
		assertThat(ScaleBenchmark.slope(new double[] { 3 }, new double[] { 10 })).isNaN();
		assertThat(ScaleBenchmark.slope(new double[] { 3, 3 }, new double[] { 10, 12 })).isNaN();
	}

	private static ScaleBenchmark.Result result(String peer, String setting, int members, double rate, long p50,
			long p99) {
		return new ScaleBenchmark.Result(new ScaleBenchmark.Run(peer, setting), members,
				new Measurement(Map.of(1024, rate), new long[] { p50, 0, p99 }), "", 0.0, null);
	}

	private static ScaleBenchmark.Result everyone(String peer, String setting, int members, double rate) {
		return new ScaleBenchmark.Result(new ScaleBenchmark.Run(peer, setting), members,
				Measurement.ratesOnly(Map.of(1024, rate)), "", 0.0, null);
	}

}
