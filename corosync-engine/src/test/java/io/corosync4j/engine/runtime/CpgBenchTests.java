package io.corosync4j.engine.runtime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** cpgbench runs end to end on a small ring and refuses bad options. */
class CpgBenchTests {

	@Test
	void aLocalRingReportsEverySizeAndTheLatency() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		int status = CpgBench.run(new String[] { "--local", "2", "--sizes", "64,200000", "--seconds", "1", "--samples",
				"50", "--warmup", "0" }, new PrintStream(bytes, true, StandardCharsets.UTF_8));
		String output = bytes.toString(StandardCharsets.UTF_8);
		assertThat(status).as(output).isZero();
		assertThat(output).containsPattern("(?m)^\\| 64 B \\| [1-9]\\d* \\|")
			.containsPattern("(?m)^\\| 200000 B \\| [1-9]\\d* \\|")
			.containsPattern("latency 64 B \\(self-delivery, 50 samples\\): p50 \\d+ µs");
		// every ping waits for a visit of the token: fewer visits than pings means the count is wrong
		Matcher token = Pattern.compile("token: (\\d+\\.\\d\\d) visits per ping, one rotation of 2 members every "
				+ "[1-9]\\d* µs").matcher(output);
		assertThat(token.find()).as(output).isTrue();
		assertThat(Double.parseDouble(token.group(1))).isGreaterThanOrEqualTo(1.0);
	}

	@Test
	void badOptionsAreRefusedWithTheUsage() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		assertThat(CpgBench.run(new String[] { "--sizes", "10" }, out)).isEqualTo(8);
		assertThat(CpgBench.run(new String[] { "--mode", "both", "-c", "x.conf" }, out)).isEqualTo(8);
		assertThat(CpgBench.run(new String[] { "--seconds" }, out)).isEqualTo(8);
		assertThat(CpgBench.run(new String[] { "--warmup", "-1" }, out)).isEqualTo(8);
		assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("--sizes must be between 64 and 1048576")
			.contains("--mode must be sender, receiver or latency")
			.contains("--seconds needs a value")
			.contains("--warmup must not be negative")
			.contains("usage: corosync4j cpgbench");
	}

}
