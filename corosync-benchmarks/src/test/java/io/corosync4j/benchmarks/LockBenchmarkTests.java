package io.corosync4j.benchmarks;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The lock rows: that the exclusion check catches what it is there for, that a short run on three
 * corosync4j nodes gives numbers that make sense, and what the report says.
 */
class LockBenchmarkTests {

	@Test
	void aSecondHolderATokenGoingBackAndALostEntryFailTheRun(@TempDir Path directory) throws Exception {
		Path file = directory.resolve("exclusion");
		try (LockExclusion first = LockExclusion.create(file); LockExclusion second = LockExclusion.open(file)) {
			first.enter(1, 5);
			second.enter(2, 4);
			second.leave(2);
			first.leave(1);
			LockExclusion.Counts counts = first.counts();
			// member 2 entered while 1 held, with a smaller token, and left a slot that named member 1
			assertThat(counts.violations()).isEqualTo(3);
			assertThat(second.violationsSeen()).isEqualTo(3);
			assertThatIllegalStateException()
				.isThrownBy(() -> LockBenchmark.checkExclusion(List.of(), counts, 2, second.violationsSeen()))
				.withMessageStartingWith("MUTUAL EXCLUSION VIOLATED");
		}
	}

	@Test
	void handOffsInTurnPassAndAnEntryMissingFromTheCounterFails(@TempDir Path directory) throws Exception {
		try (LockExclusion exclusion = LockExclusion.create(directory.resolve("exclusion"))) {
			int[] holders = { 1, 2, 2, 3 };
			for (int i = 0; i < holders.length; i++) {
				exclusion.enter(holders[i], 10 + i);
				exclusion.leave(holders[i]);
			}
			LockExclusion.Counts counts = exclusion.counts();
			assertThat(counts.entries()).isEqualTo(4);
			assertThat(counts.handoffs()).isEqualTo(2);
			assertThat(counts.perMember()).startsWith(0, 1, 2, 1);
			LockBenchmark.checkExclusion(List.of(), counts, 4, 0);
			// a member that reports more grants than entries: two holders' increments collided
			assertThatIllegalStateException().isThrownBy(() -> LockBenchmark.checkExclusion(List.of(), counts, 5, 0))
				.withMessageContaining("granted 5 locks but entered 4 times");
		}
	}

	@Test
	void aShortRunOnThreeCorosync4jNodesGivesSaneNumbers(@TempDir Path directory) throws Exception {
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
			List<Corosync4jLockMember.NodeLocker> lockers = new ArrayList<>();
			for (CorosyncNode node : nodes) {
				lockers.add(Corosync4jLockMember.ready(node, 3));
			}

			long[] micros = LockMember.uncontended(lockers.get(0), "solo", 0, 200);
			assertThat(micros[0]).isPositive();
			assertThat(micros[0]).isLessThanOrEqualTo(micros[1]);
			assertThat(micros[1]).isLessThanOrEqualTo(micros[2]);
			// the lock and the unlock each take part of the whole
			assertThat(micros[3]).isPositive().isLessThanOrEqualTo(micros[2]);
			assertThat(micros[4]).isPositive().isLessThanOrEqualTo(micros[2]);

			Path file = directory.resolve("exclusion");
			try (LockExclusion exclusion = LockExclusion.create(file)) {
				boolean[] stop = { false };
				List<CompletableFuture<Long>> grants = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					int index = i + 1;
					Corosync4jLockMember.NodeLocker locker = lockers.get(i);
					grants.add(CompletableFuture.supplyAsync(() -> {
						try (LockExclusion mine = LockExclusion.open(file)) {
							return LockMember.contend(locker, mine, index, () -> {
								synchronized (stop) {
									return stop[0];
								}
							});
						}
						catch (Exception ex) {
							throw new IllegalStateException(ex);
						}
					}, (task) -> new Thread(task, "contender-" + index).start()));
				}
				TimeUnit.MILLISECONDS.sleep(1500);
				synchronized (stop) {
					stop[0] = true;
				}
				long total = 0;
				for (CompletableFuture<Long> member : grants) {
					total += member.get(2 * LockMember.BOUND_SECONDS, TimeUnit.SECONDS);
				}
				LockExclusion.Counts counts = exclusion.counts();
				assertThat(total).isPositive();
				LockBenchmark.checkExclusion(List.of(), counts, total, 0);
				assertThat(counts.handoffs()).isPositive().isLessThanOrEqualTo(total);
			}
		}
		finally {
			for (CorosyncNode node : nodes) {
				node.close();
			}
		}
	}

	@Test
	void theReportNamesTheFailuresAndSaysCorosyncHasNoLockService() {
		LockBenchmark.Result result = new LockBenchmark.Result(new long[] { 400, 600, 900 }, new long[] { 250, 150 },
				2500.4, 0.98, new long[] { 8000, 8100, 8900 }, 0, 30000);
		String report = LockBenchmark.markdown(List.of(
				new LockBenchmark.Run("corosync4j", "LockService, udpu", 1, result, "", 1.5, 0.8),
				new LockBenchmark.Run("JGroups 5.3.24", "CENTRAL_LOCK2 + LockService", 1, null, "no | JGroups jar", 0.2,
						0.9)), 1, 20, 10000, 10);
		assertThat(report).contains("| corosync4j | LockService, udpu | 400 / 900 | 2,500 | 98 | 30,000 | 1.5 | 0.80 |")
			.contains("| Corosync 3.1.7 | none:")
			.contains("| JGroups 5.3.24 | CENTRAL_LOCK2 + LockService | failed: no / JGroups jar |");
	}

}
