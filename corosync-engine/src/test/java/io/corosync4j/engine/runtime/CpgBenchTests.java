package io.corosync4j.engine.runtime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
	void aSenderPingsAfterItsSizesWhileTheReceiversAreStillJoined(@TempDir Path state) throws Exception {
		Path[] configs = twoNodes(state);
		ByteArrayOutputStream receiverBytes = new ByteArrayOutputStream();
		CompletableFuture<Integer> receiver = CompletableFuture.supplyAsync(() -> {
			try {
				return CpgBench.run(new String[] { "-c", configs[1].toString(), "-a", "127.0.0.2", "--mode", "receiver",
						"--members", "2" }, new PrintStream(receiverBytes, true, StandardCharsets.UTF_8));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		ByteArrayOutputStream senderBytes = new ByteArrayOutputStream();
		int status = CpgBench.run(new String[] { "-c", configs[0].toString(), "-a", "127.0.0.1", "--mode",
				"sender+latency", "--members", "2", "--sizes", "1024", "--seconds", "1", "--samples", "50", "--warmup",
				"0" }, new PrintStream(senderBytes, true, StandardCharsets.UTF_8));
		String sent = senderBytes.toString(StandardCharsets.UTF_8);
		assertThat(status).as(sent).isZero();
		assertThat(receiver.get(60, TimeUnit.SECONDS)).isZero();
		// the pings went round a ring of two: the receiver left only with DONE, after them
		assertThat(sent).containsPattern("(?m)^\\| 1 KiB \\| [1-9]\\d* \\|")
			.containsPattern("latency 64 B \\(self-delivery, 50 samples\\): p50 \\d+ µs")
			.contains("one rotation of 2 members");
		assertThat(receiverBytes.toString(StandardCharsets.UTF_8)).contains("size 1 KiB");
	}

	/**
	 * With every member sending, each counts what all sent: the same count at both members, and no LOST line
	 * (which a member prints when it delivered fewer than the ENDs of all members say were sent).
	 */
	@Test
	void everyMemberSendsAndCountsWhatAllSent(@TempDir Path state) throws Exception {
		Path[] configs = twoNodes(state);
		ByteArrayOutputStream secondBytes = new ByteArrayOutputStream();
		CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> {
			try {
				return CpgBench.run(new String[] { "-c", configs[1].toString(), "-a", "127.0.0.2", "--mode", "all",
						"--members", "2", "--sizes", "64,1024", "--seconds", "1" },
						new PrintStream(secondBytes, true, StandardCharsets.UTF_8));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		ByteArrayOutputStream firstBytes = new ByteArrayOutputStream();
		int status = CpgBench.run(new String[] { "-c", configs[0].toString(), "-a", "127.0.0.1", "--mode", "all",
				"--members", "2", "--sizes", "64,1024", "--seconds", "1" },
				new PrintStream(firstBytes, true, StandardCharsets.UTF_8));
		String first = firstBytes.toString(StandardCharsets.UTF_8);
		assertThat(status).as(first).isZero();
		assertThat(second.get(60, TimeUnit.SECONDS)).isZero();
		String other = secondBytes.toString(StandardCharsets.UTF_8);
		assertThat(first).doesNotContain("LOST");
		assertThat(other).doesNotContain("LOST");
		for (String size : new String[] { "64 B", "1 KiB" }) {
			Pattern counted = Pattern.compile("size " + size + ", ([1-9]\\d*) messages");
			Matcher atFirst = counted.matcher(first);
			Matcher atOther = counted.matcher(other);
			assertThat(atFirst.find()).as(first).isTrue();
			assertThat(atOther.find()).as(other).isTrue();
			assertThat(atFirst.group(1)).isEqualTo(atOther.group(1));
		}
	}

	/** The configurations of a ring of two on loopback, with a free port. */
	private static Path[] twoNodes(Path state) throws Exception {
		int port = CpgBench.freePort();
		Path[] configs = new Path[2];
		for (int node = 1; node <= 2; node++) {
			configs[node - 1] = Files.writeString(state.resolve("n" + node + ".conf"),
					CpgBench.localConfig(2, node, port, state));
		}
		return configs;
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
			.contains("--mode must be sender, receiver, latency, sender+latency or all")
			.contains("--seconds needs a value")
			.contains("--warmup must not be negative")
			.contains("usage: corosync4j cpgbench");
	}

}
