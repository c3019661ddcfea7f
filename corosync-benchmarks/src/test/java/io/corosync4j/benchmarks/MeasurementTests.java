package io.corosync4j.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

/**
 * The suite's verdicts come from parsing what the three cpgbench variants print: which rounds count,
 * whose rate is kept, and which runs are refused.
 */
class MeasurementTests {

	/** corosync4j's cpgbench and JGroupsBench name sizes with units, the C cpgbench in bytes. */
	private static final String JAVA_RECEIVER = """
			receiver node 2: size 64 B, 900000 messages in 2.000 s: 450,000 msgs/s, 28.8 MB/s
			receiver node 2: size 64 B, 1000000 messages in 2.000 s: 500,000 msgs/s, 32.0 MB/s
			receiver node 2: size 16 KiB, 30000 messages in 2.000 s: 15,000 msgs/s, 245.8 MB/s
			""";

	private static final String C_RECEIVER = """
			receiver: size 64, 10000 messages in 1.000 s: 10000 msgs/s, 0.6 MB/s
			receiver: size 64, 800000 messages in 2.000 s: 400000 msgs/s, 25.6 MB/s
			receiver: size 16384, 40000 messages in 2.000 s: 20000 msgs/s, 327.7 MB/s
			""";

	@Test
	void leavesOutTheWarmupRoundAndKeepsTheSlowerReceiverPerSize() {
		assertThat(Measurement.rates(List.of(JAVA_RECEIVER, C_RECEIVER), 3, 1))
			.containsExactly(entry(64, 400_000.0), entry(16384, 15_000.0));
	}

	@Test
	void withoutWarmupTheFirstRoundCountsToo() {
		assertThat(Measurement.rates(List.of(C_RECEIVER), 3, 0)).containsEntry(64, 10_000.0);
	}

	@Test
	void refusesARunThatLostMessages() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Measurement.rates(List.of(JAVA_RECEIVER + "LOST: delivered 29999 of 30000\n"), 3, 1));
	}

	@Test
	void refusesAReceiverThatReportedTooFewRounds() {
		assertThatIllegalStateException().isThrownBy(() -> Measurement.rates(List.of(JAVA_RECEIVER), 4, 1))
			.withMessageContaining("reported 3 of 4 sizes");
	}

	@Test
	void readsTheLatencyPercentiles() {
		assertThat(Measurement.latency("latency 64 B (self-delivery, 20000 samples): p50 125 µs, p90 198 µs, p99 398 µs"))
			.containsExactly(125, 198, 398);
	}

}
