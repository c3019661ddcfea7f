package io.corosync4j.engine.runtime;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.fixtures.CpgClientLog;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Java CPG handle and a C program using libcpg on a real Corosync daemon share a group: both multicast
 * a numbered sequence and record what they deliver. The daemons run in network namespaces; the Java
 * node runs in this JVM with its address on the test bridge ({@link InteropCluster}).
 */
class CpgInteropTests {

	private static final Duration BOUND = InteropCluster.BOUND;

	private static final String FILLER = "abcdefghijklmnopqrstuvwxyz";

	@TempDir
	Path directory;

	@Test
	void javaAndCProcessesDeliverTheSameMessagesInTheSameOrder() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			Path client = build(cluster, "cpgclient");
			InteropCluster.TwoDaemons daemons = cluster.twoDaemonsAndAJavaMember();
			Process daemon = daemons.first();

			try (CorosyncNode node = cluster.startJavaNode(3, daemons.javaConfig())) {
				node.awaitMembership((m) -> m.synced() && m.members().size() == 3, BOUND);
				Recorder recorder = new Recorder();
				CpgHandle handle = node.cpg().join(CpgName.of("interop"), recorder);
				handle.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);

				int count = 60;
				Process c = new ProcessBuilder(cluster.inDaemon(daemon, client.toString(), "-g", "interop", "-n",
						Integer.toString(count), "-s", "10,1000,3000,200000", "-i", "5", "-w", "2", "-l", "3", "-q"))
					.redirectErrorStream(true)
					.start();
				List<String> cOutput = Collections.synchronizedList(new ArrayList<>());
				Thread reader = new Thread(() -> readLines(c, cOutput));
				reader.start();
				Await.until("the C process in the group", BOUND, () -> handle.membership().size() >= 2,
						handle::membership);
				int[] sizes = { 10, 1000, 3000, 200000 };
				for (int k = 0; k < count; k++) {
					assertThat(handle.mcast(payload(3, k, sizes[k % sizes.length]), BOUND)).isTrue();
					// the same 5 ms pace as the C client (-i 5), so the two streams interleave
					Thread.sleep(5);
				}
				assertThat(c.waitFor(60, TimeUnit.SECONDS)).as("the C client finishes").isTrue();
				reader.join(5000);

				List<CpgClientLog.Delivery> cDeliveries = CpgClientLog.parse(cOutput);
				List<CpgClientLog.Delivery> javaDeliveries = recorder.deliveries();
				System.out.printf("interop CPG: C client delivered %d messages, Java handle %d%n", cDeliveries.size(),
						javaDeliveries.size());
				assertThat(String.join("\n", cOutput)).doesNotContain(" BAD");
				assertThat(cDeliveries).hasSize(2 * count);
				// what both delivered while both were members is the same sequence
				assertThat(javaDeliveries.subList(0, cDeliveries.size())).isEqualTo(cDeliveries);
				long cPid = cDeliveries.stream().filter((d) -> d.nodeid() == 1).findFirst().orElseThrow().pid();
				// the C process left: the Java handle saw it leave with reason LEAVE
				Await.until("the C process leaving", BOUND, () -> recorder.lastLeft() != null);
				assertThat(recorder.lastLeft()).isEqualTo(new CpgAddress(1, cPid, CpgReason.LEAVE));
				assertThat(recorder.badPayloads).isZero();
			}
		}
	}

	/**
	 * cpgbench in a mixed ring: the C sender on a Corosync node, a C receiver on another, corosync4j's
	 * cpgbench as the third member; the Java receiver counts every message of every size.
	 */
	@Test
	void cpgbenchMeasuresAMixedRing() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			MixedRing ring = mixedRing(cluster);
			ByteArrayOutputStream javaOutput = new ByteArrayOutputStream();
			Thread javaReceiver = new Thread(() -> {
				try {
					CpgBench.run(new String[] { "-c", ring.daemons().javaConfig().toString(), "-a", cluster.address(3), "--mode",
							"receiver" }, new PrintStream(javaOutput, true, StandardCharsets.UTF_8));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, "cpgbench-receiver");
			javaReceiver.start();
			Process cReceiver = new ProcessBuilder(cluster.inDaemon(ring.daemons().second(), ring.bench().toString(), "receiver"))
				.redirectErrorStream(true)
				.start();
			String sizes = "64,1024,100000";
			Process sender = new ProcessBuilder(
					cluster.inDaemon(ring.daemons().first(), ring.bench().toString(), "sender", "-m", "3", "-z", sizes, "-s", "1"))
				.redirectErrorStream(true)
				.start();
			assertThat(sender.waitFor(120, TimeUnit.SECONDS)).as("the C sender finishes").isTrue();
			String table = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			javaReceiver.join(60_000);
			assertThat(cReceiver.waitFor(30, TimeUnit.SECONDS)).isTrue();
			String javaReport = javaOutput.toString(StandardCharsets.UTF_8);
			System.out.println("mixed-ring cpgbench, C sender:\n" + table + "Java receiver:\n" + javaReport);
			for (String size : sizes.split(",")) {
				Matcher row = Pattern.compile("(?m)^\\| " + size + " \\| (\\d+) \\|")
					.matcher(table);
				assertThat(row.find()).as("the sender's row for %s in%n%s", size, table).isTrue();
				long sent = Long.parseLong(row.group(1));
				assertThat(sent).isPositive();
				assertThat(javaReport).as("the Java receiver's count for %s", size).containsPattern(
						"size " + ((size.equals("1024")) ? "1 KiB" : size + " B") + ", " + sent + " messages");
			}
		}
	}

	/**
	 * cpgbench's {@code all} mode in a mixed ring: a C member on each of two Corosync nodes and corosync4j's
	 * cpgbench as the third all send at once, and each counts the same messages of every size, none lost.
	 */
	@Test
	void everyMemberOfAMixedRingSendsAndCountsTheSame() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			MixedRing ring = mixedRing(cluster);
			String sizes = "64,1024";
			ByteArrayOutputStream javaOutput = new ByteArrayOutputStream();
			Thread javaMember = new Thread(() -> {
				try {
					CpgBench.run(new String[] { "-c", ring.daemons().javaConfig().toString(), "-a", cluster.address(3), "--mode", "all",
							"--members", "3", "--sizes", sizes, "--seconds", "1" },
							new PrintStream(javaOutput, true, StandardCharsets.UTF_8));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, "cpgbench-all");
			javaMember.start();
			List<Process> cMembers = new ArrayList<>();
			for (Process daemon : List.of(ring.daemons().first(), ring.daemons().second())) {
				cMembers.add(new ProcessBuilder(
						cluster.inDaemon(daemon, ring.bench().toString(), "all", "-m", "3", "-z", sizes, "-s", "1"))
					.redirectErrorStream(true)
					.start());
			}
			List<String> reports = new ArrayList<>();
			for (Process member : cMembers) {
				assertThat(member.waitFor(120, TimeUnit.SECONDS)).as("a C member finishes").isTrue();
				reports.add(new String(member.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
			}
			javaMember.join(120_000);
			assertThat(javaMember.isAlive()).isFalse();
			reports.add(javaOutput.toString(StandardCharsets.UTF_8));
			for (String size : List.of("64 B", "1 KiB")) {
				String unit = size.equals("64 B") ? "64" : "1024";
				Long counted = null;
				for (String report : reports) {
					assertThat(report).doesNotContain("LOST");
					Matcher line = Pattern.compile("size (" + size + "|" + unit + "), ([1-9]\\d*) messages")
						.matcher(report);
					assertThat(line.find()).as("the count for %s in%n%s", size, report).isTrue();
					long count = Long.parseLong(line.group(2));
					if (counted == null) {
						counted = count;
					}
					assertThat(count).as("every member counts the same %s messages", size).isEqualTo(counted);
				}
			}
		}
	}

	/** cpgbench built, two Corosync daemons in a ring, and the configuration of a Java third member. */
	private record MixedRing(Path bench, InteropCluster.TwoDaemons daemons) {
	}

	private MixedRing mixedRing(InteropCluster cluster) throws Exception {
		Path bench = build(cluster, "cpgbench");
		return new MixedRing(bench, cluster.twoDaemonsAndAJavaMember());
	}

	private Path build(InteropCluster cluster, String program) throws Exception {
		Path source = this.directory.resolve(program + ".c");
		cluster.copyResource("/interop/" + program + ".c", source);
		Path binary = this.directory.resolve(program);
		String output = InteropCluster.run(List.of("sh", "-c", "gcc -O2 -o " + binary + " " + source
				+ " $(pkg-config --cflags --libs libcpg)"));
		assertThat(binary).as("gcc: " + output + " (needs libcpg-dev)").isExecutable();
		return binary;
	}

	/** The C client's payload: {@code n<node>m<k>:} then the alphabet, cut to the size. */
	static byte[] payload(long nodeid, int k, int size) {
		String prefix = String.format("n%dm%02d:", nodeid, k);
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) ((i < prefix.length()) ? prefix.charAt(i) : FILLER.charAt((i - prefix.length()) % 26));
		}
		return bytes;
	}

	private static void readLines(Process process, List<String> lines) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				lines.add(line);
			}
		}
		catch (IOException ex) {
			// the process ended
		}
	}

	private static final class Recorder implements CpgListener {

		private final List<CpgClientLog.Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());

		private volatile CpgAddress lastLeft;

		volatile int badPayloads;

		@Override
		public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			String head = new String(message, 0, Math.min(12, message.length), StandardCharsets.US_ASCII);
			int k = Integer.parseInt(head.substring(head.indexOf('m') + 1, head.indexOf(':')));
			if (!Arrays.equals(message, payload(nodeid, k, message.length))) {
				this.badPayloads++;
			}
			this.deliveries.add(new CpgClientLog.Delivery(nodeid, pid, message.length,
					CpgClientLog.fnv1a(message, 0, message.length)));
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			if (!change.left().isEmpty()) {
				this.lastLeft = change.left().get(0);
			}
		}

		List<CpgClientLog.Delivery> deliveries() {
			synchronized (this.deliveries) {
				return List.copyOf(this.deliveries);
			}
		}

		CpgAddress lastLeft() {
			return this.lastLeft;
		}

	}

}
