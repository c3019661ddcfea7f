package io.corosync4j.benchmarks;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The checkpoint rows' own arithmetic: the window of outstanding writes, the digest the joiner is checked
 * against, and what the report says when a run gave no figures.
 */
class CheckpointBenchmarkTests {

	@Test
	void aWindowOfWritesThatCompleteAtOnceIsCountedWithoutGrowingTheStack() throws Exception {
		CheckpointMember.Store immediate = new CheckpointMember.Store() {

			@Override
			public CompletableFuture<Void> write(byte[] value) {
				return CompletableFuture.completedFuture(null);
			}

			@Override
			public void fill(int sections, int sectionBytes) {
			}

		};
		long[] done = CheckpointMember.rate(immediate, 16, 1);
		// a million or so writes in the second: a callback per write would have overflowed the stack
		assertThat(done[0]).isGreaterThan(1000);
		assertThat(done[1]).isGreaterThanOrEqualTo(1_000_000_000L);
	}

	@Test
	void aFailedWriteEndsTheRateWithItsCause() {
		CheckpointMember.Store refusing = new CheckpointMember.Store() {

			@Override
			public CompletableFuture<Void> write(byte[] value) {
				return CompletableFuture.failedFuture(new IllegalArgumentException("refused"));
			}

			@Override
			public void fill(int sections, int sectionBytes) {
			}

		};
		assertThatIllegalStateException().isThrownBy(() -> CheckpointMember.rate(refusing, 4, 1))
			.withMessageContaining("refused");
	}

	@Test
	void theFillersDigestIsTheSectionsInIdOrderOnEveryJvm() throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		digest.update(CheckpointMember.sectionData(0, 64));
		digest.update(CheckpointMember.sectionData(1, 64));
		assertThat(CheckpointMember.expectedDigest(2, 64)).isEqualTo(HexFormat.of().formatHex(digest.digest()));
		assertThat(CheckpointMember.sectionData(1, 64)).isEqualTo(CheckpointMember.sectionData(1, 64))
			.isNotEqualTo(CheckpointMember.sectionData(0, 64));
		// the joiner sorts by id: ids must sort as the indexes do
		assertThat(CheckpointMember.sectionName(9).compareTo(CheckpointMember.sectionName(10))).isNegative();
	}

	@Test
	void theReportKeepsFailedRunsAndRunsWithoutProbeFigures(@TempDir Path directory) {
		CheckpointBenchmark benchmark = new CheckpointBenchmark(new Peers(directory, List.of(64), 1, new byte[256], false,
				0), 1, 100, 1, 1, 256, 1, "udpu");
		CheckpointBenchmark.Transfer held = new CheckpointBenchmark.Transfer(1 << 20, 4, 500, 600, 900,
				new long[] { -1, -1, -1, -1 }, 0, 0);
		String text = benchmark.markdown(
				List.of(new CheckpointBenchmark.Run<>("JGroups", "map", 1, null, "no | members", -1, -1)),
				List.of(new CheckpointBenchmark.Run<>("corosync4j", "checkpoint", 1, held, "", 0.5, 3)),
				new CheckpointBenchmark.Run<>("corosync4j", "units", 1,
						new CheckpointBenchmark.Failovers(List.of(3700L, 3600L, 3800L), List.of(10L), 0, 42, List.of()),
						"", 0, 2),
				1);
		assertThat(text).contains("| JGroups | map | failed: no / members |")
			.contains("| corosync4j | checkpoint | 500 | 2.0 | 600 | 900 | – / – / – | 0 / 0 | 0.5 | 3.00 |")
			.contains("| corosync4j | SIGKILL of the active | 3 | 3,700 | 3,600–3,800 | ≤ 3,830 | 0 | 42 |");
	}

}
