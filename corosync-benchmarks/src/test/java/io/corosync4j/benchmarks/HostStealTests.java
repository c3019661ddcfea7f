package io.corosync4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The steal share the suite prints beside every row. */
class HostStealTests {

	@Test
	void stealIsTheEighthCounterOfTheCpuLineAndGuestTimeIsNotCountedTwice() {
		long[] before = HostSteal.parse("cpu  1000 0 500 8000 0 0 100 400 900 0");
		long[] after = HostSteal.parse("cpu  1600 0 700 8600 0 0 100 500 1500 0");
		// 600 + 200 + 600 + 100 = 1,500 ticks, 100 of them stolen; guest (600 more) is inside user already
		assertThat(HostSteal.percent(before, after)).isCloseTo(100.0 * 100 / 1500, offset(1e-9));
	}

	@Test
	void aMissingSampleIsReportedAsUnknownAndAnotherLineIsRefused() {
		assertThat(HostSteal.percent(null, HostSteal.parse("cpu 1 2 3 4 5 6 7 8"))).isEqualTo(-1);
		assertThatIllegalArgumentException().isThrownBy(() -> HostSteal.parse("cpu0 1 2 3 4 5 6 7 8"));
		assertThatIllegalArgumentException().isThrownBy(() -> HostSteal.parse("cpu 1 2 3"));
	}

	@Test
	void thisMachineCanBeSampled() {
		assumeTrue(Files.isReadable(Path.of("/proc/stat")), "no /proc/stat here");
		long[] sample = HostSteal.sample();
		assertThat(sample).hasSize(8);
		assertThat(HostSteal.percent(sample, HostSteal.sample())).isBetween(0.0, 100.0);
	}

}
