package io.corosync4j.engine.fuzz;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness itself: it reports a decoder that breaks the property, and only such a decoder. */
class FuzzerTests {

	private static final List<byte[]> SEEDS = List.of(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });

	@Test
	void aDecoderThatIndexesPastItsInputIsReportedWithTheInputThatBrokeIt() {
		FuzzTarget broken = FuzzTarget.of("broken", "reads a length byte and trusts it", SEEDS, (input) -> {
			if (input.length == 0) {
				return false;
			}
			int length = input[0] & 0xFF;
			return input[length] != 0;
		});
		Fuzzer.Report report = new Fuzzer(1).run(broken, 2000);
		assertThat(report.failures()).hasSize(1);
		Fuzzer.Failure failure = report.failures().get(0);
		assertThat(failure.signature()).startsWith(ArrayIndexOutOfBoundsException.class.getName() + " at ");
		assertThat(failure.count()).isPositive();
		assertThat(report.details()).contains("seed 1 input " + failure.index());
		// the reported input is the one the run made, and it breaks the decoder again
		byte[] again = new Fuzzer(1).input(broken, new Mutator(SEEDS, false), failure.index());
		assertThat(again).isEqualTo(failure.input());
		assertThat((again[0] & 0xFF) >= again.length).isTrue();
	}

	@Test
	void aDecoderThatAllocatesFarMoreThanItsInputIsReported() {
		FuzzTarget greedy = FuzzTarget.of("greedy", "allocates what a length field says", SEEDS,
				(input) -> new byte[(input.length > 0 && input[0] == 0) ? 8 * 1024 * 1024 : 16].length > 0);
		Fuzzer.Report report = new Fuzzer(2).run(greedy, 2000);
		assertThat(report.failures()).extracting(Fuzzer.Failure::signature)
			.singleElement()
			.isEqualTo("allocation");
	}

	@Test
	void aDecoderThatNeverReturnsIsReportedAsAHang() {
		FuzzTarget stuck = FuzzTarget.of("stuck", "waits forever on one input", SEEDS, (input) -> {
			if (input.length > 0 && input[0] == 0) {
				Thread.sleep(Long.MAX_VALUE);
			}
			return true;
		});
		Fuzzer.Report report = new Fuzzer(3, 500).run(stuck, 100_000);
		assertThat(report.failures()).extracting(Fuzzer.Failure::signature).containsExactly("hang");
		assertThat(report.failures().get(0).detail()).contains("Thread.sleep");
		assertThat(report.inputs()).isLessThan(100_000);
	}

	@Test
	void aDecoderThatKeepsItsContractPasses() {
		FuzzTarget careful = FuzzTarget.of("careful", "checks the length byte", SEEDS,
				(input) -> input.length > 0 && (input[0] & 0xFF) < input.length);
		Fuzzer.Report report = new Fuzzer(4).run(careful, 5000);
		assertThat(report.failures()).isEmpty();
		assertThat(report.inputs()).isEqualTo(5000);
		assertThat(report.accepted()).isPositive();
		assertThat(report.rejected()).isPositive();
		assertThat(report.accepted() + report.rejected()).isEqualTo(5000);
	}

}
