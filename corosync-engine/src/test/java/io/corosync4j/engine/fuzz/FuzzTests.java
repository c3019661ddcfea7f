package io.corosync4j.engine.fuzz;

import java.util.List;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short fuzz run of the build: every target, a fixed seed, 20,000 inputs each (2,000 for
 * the file targets). The long run
 * is {@link FuzzMain} (docs/fuzzing.md).
 */
class FuzzTests {

	private static final long SEED = 20261205;

	@TestFactory
	List<DynamicTest> everyDecoderReturnsOrRejectsAsDocumented() {
		Fuzzer fuzzer = new Fuzzer(SEED);
		return FuzzTargets.all().stream().map((target) -> DynamicTest.dynamicTest(target.name(), () -> {
			Fuzzer.Report report = fuzzer.run(target, target.shortRunInputs());
			assertThat(report.failures()).as(report::details).isEmpty();
			assertThat(report.inputs()).isEqualTo(target.shortRunInputs());
		})).toList();
	}

}
