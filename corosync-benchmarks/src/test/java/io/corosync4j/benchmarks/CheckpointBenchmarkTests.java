package io.corosync4j.benchmarks;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The checkpoint rows: the window of outstanding writes, the digest the joiner is checked against, that
 * a short run on three corosync4j nodes writes and reads its state back, and what the report says when
 * a run gave no figures.
 */
class CheckpointBenchmarkTests {

	@Test
	void aWindowOfWritesThatCompleteAtOnceIsCountedWithoutGrowingTheStack() throws Exception {
		CheckpointMember.Writes immediate = new CheckpointMember.Writes() {

			@Override
			public CompletableFuture<Void> write(byte[] value) {
				return CompletableFuture.completedFuture(null);
			}

		};
		long[] done = CheckpointMember.rate(immediate, 16, 1);
		// a million or so writes in the second: a callback per write would have overflowed the stack
		assertThat(done[0]).isGreaterThan(1000);
		assertThat(done[1]).isGreaterThanOrEqualTo(1_000_000_000L);
	}

	@Test
	void aFailedWriteEndsTheRateWithItsCause() {
		CheckpointMember.Writes refusing = new CheckpointMember.Writes() {

			@Override
			public CompletableFuture<Void> write(byte[] value) {
				return CompletableFuture.failedFuture(new IllegalArgumentException("refused"));
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
	void aShortRunOnThreeCorosync4jNodesWritesAndReadsTheStateBack(@TempDir Path directory) throws Exception {
		Peers peers = new Peers(directory, List.of(64), 1, new byte[256], 0, 0);
		List<Path> configs = peers.corosync4jConfigs(directory, "udpu");
		List<CorosyncNode> nodes = new ArrayList<>();
		try {
			for (int node = 1; node <= 3; node++) {
				nodes.add(CorosyncNode.builder(new CorosyncConfigReader().read(configs.get(node - 1)))
					.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(),
							List.of(InetAddress.getByName("127.0.0." + node))))
					.start());
			}
			for (CorosyncNode node : nodes) {
				node.awaitMembership((membership) -> membership.synced() && membership.members().size() == 3,
						Duration.ofSeconds(CheckpointMember.BOUND_SECONDS));
				Corosync4jCheckpointMember.await(node.checkpoints().ready().toCompletableFuture(), "ready");
			}
			Corosync4jCheckpointMember.NodeStore store = new Corosync4jCheckpointMember.NodeStore(nodes.get(0).checkpoints());
			long[] micros = CheckpointMember.latency(store, 0, 100);
			assertThat(micros[0]).isPositive().isLessThanOrEqualTo(micros[1]);
			assertThat(micros[1]).isLessThanOrEqualTo(micros[2]);
			assertThat(CheckpointMember.rate(store, 4, 1)[0]).isPositive();

			store.fill(5, 4096);
			// another member reads what the filler wrote, as the joiner does, and gets the filler's digest
			Checkpoint state = Corosync4jCheckpointMember.await(nodes.get(2).checkpoints().open(CheckpointMember.STATE,
					null), "opening the state");
			Object[] read = Corosync4jCheckpointMember.readAll(state);
			assertThat(read).containsExactly(5L * 4096, 5, CheckpointMember.expectedDigest(5, 4096));
		}
		finally {
			for (CorosyncNode node : nodes) {
				node.close();
			}
		}
	}

	@Test
	void theReportKeepsFailedRunsAndRunsWithoutProbeFigures(@TempDir Path directory) {
		CheckpointBenchmark benchmark = new CheckpointBenchmark(new Peers(directory, List.of(64), 1, new byte[256], 0,
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
