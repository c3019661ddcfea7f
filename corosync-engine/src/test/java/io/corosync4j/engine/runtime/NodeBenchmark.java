package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.totem.pg.Group;
import io.corosync4j.engine.totem.pg.Totempg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurements for the notes, not assertions: ring formation, re-formation after SIGKILL (separate
 * processes, Corosync's default timers), and ordered throughput between three local nodes. Run with
 * {@code ./mvnw -pl corosync-engine test -Dtest=NodeBenchmark -Dcorosync4j.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "corosync4j.benchmark", matches = "true")
class NodeBenchmark {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@TempDir
	Path directory;

	@Test
	void formation() throws Exception {
		long[] times = new long[5];
		for (int run = 0; run < times.length; run++) {
			try (LocalCluster cluster = new LocalCluster(this.directory.resolve("f" + run), 3, 3000)) {
				long started = System.nanoTime();
				cluster.startAll();
				cluster.awaitRing(BOUND);
				times[run] = (System.nanoTime() - started) / 1_000_000;
			}
		}
		report("formation of a 3-node ring (one JVM, token 3000)", times);
	}

	@Test
	void reformationAfterSigkill() throws Exception {
		LocalCluster cluster = new LocalCluster(this.directory, 3, 3000);
		List<NodeProcess> nodes = new ArrayList<>();
		long[] times = new long[5];
		try {
			for (int i = 1; i <= 3; i++) {
				nodes.add(new NodeProcess(cluster.configFile(i), "127.0.0." + i));
			}
			nodes.get(0).awaitLine(0, (line) -> line.contains("Members[3]: 1 2 3"), BOUND);
			for (int run = 0; run < times.length; run++) {
				int mark = nodes.get(0).lineCount();
				long killed = System.nanoTime();
				nodes.get(2).kill();
				nodes.get(0).awaitLine(mark, (line) -> line.contains("Members[2]: 1 2"), BOUND);
				times[run] = (System.nanoTime() - killed) / 1_000_000;
				mark = nodes.get(0).lineCount();
				nodes.set(2, new NodeProcess(cluster.configFile(3), "127.0.0.3"));
				nodes.get(0).awaitLine(mark, (line) -> line.contains("Members[3]: 1 2 3"), BOUND);
			}
		}
		finally {
			for (NodeProcess node : nodes) {
				node.close();
			}
		}
		report("re-formation after SIGKILL of 1 of 3 processes (token 3650 + consensus 4380 ms)", times);
	}

	@Test
	void orderedThroughput() throws Exception {
		for (int size : new int[] { 64, 1024 }) {
			int count = (size == 64) ? 300_000 : 100_000;
			long[] rates = new long[3];
			for (int run = 0; run < rates.length; run++) {
				rates[run] = throughput(run, size, count);
			}
			Arrays.sort(rates);
			System.out.printf("ordered throughput, 3 nodes in one JVM, 1 sender, %d B: median %,d msgs/s (%.1f MB/s), "
					+ "runs %s%n", size, rates[1], rates[1] * size / 1e6, Arrays.toString(rates));
		}
	}

	@Test
	void cpgThroughput() throws Exception {
		for (int size : new int[] { 64, 1024, 16 * 1024, 64 * 1024 }) {
			int count = (size <= 1024) ? 200_000 : 20_000;
			try (LocalCluster cluster = new LocalCluster(this.directory.resolve("cpg" + size), 3, 3000)) {
				List<CorosyncNode> nodes = cluster.startAll();
				cluster.awaitRing(BOUND);
				AtomicLong[] received = new AtomicLong[3];
				long[] finished = new long[3];
				List<CpgHandle> handles = new ArrayList<>();
				for (int n = 0; n < 3; n++) {
					AtomicLong counter = new AtomicLong();
					received[n] = counter;
					int index = n;
					handles.add(nodes.get(n).cpg().join(CpgName.of("cpg_bm"),
							new CpgListener() {

								@Override
								public void deliver(CpgName group, long nodeid, long pid,
										byte[] message) {
									if (counter.incrementAndGet() == count) {
										finished[index] = System.nanoTime();
									}
								}

								@Override
								public void configurationChange(CpgConfigurationChange change) {
								}

							}));
				}
				for (var handle : handles) {
					handle.joined().toCompletableFuture().get();
				}
				while (handles.get(0).membership().size() < 3) {
					Thread.sleep(5);
				}
				byte[] payload = new byte[size];
				long started = System.nanoTime();
				for (int i = 0; i < count; i++) {
					handles.get(0).mcast(payload, BOUND);
				}
				long deadline = System.nanoTime() + BOUND.toNanos();
				while (Arrays.stream(received).anyMatch((c) -> c.get() < count) && System.nanoTime() < deadline) {
					Thread.sleep(5);
				}
				double seconds = (Arrays.stream(finished).max().getAsLong() - started) / 1e9;
				System.out.printf("CPG, 3 nodes in one JVM, 1 sender, %d B: %,.0f msgs/s, %.1f MB/s%n", size,
						count / seconds, count * (double) size / seconds / 1e6);
			}
		}
	}

	private long throughput(int run, int size, int count) throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory.resolve("t" + size + "-" + run), 3, 3000)) {
			List<CorosyncNode> nodes = cluster.startAll();
			cluster.awaitRing(BOUND);
			AtomicLong[] received = new AtomicLong[3];
			long[] finished = new long[3];
			List<CorosyncNode.GroupChannel> channels = new ArrayList<>();
			for (int n = 0; n < 3; n++) {
				AtomicLong counter = new AtomicLong();
				received[n] = counter;
				int index = n;
				channels.add(nodes.get(n).openGroup(new Group("bench"), (Totempg.GroupListener) (from, message, big) -> {
					if (counter.incrementAndGet() == count) {
						finished[index] = System.nanoTime();
					}
				}));
			}
			byte[] payload = new byte[size];
			List<byte[]> batch = new ArrayList<>();
			for (int i = 0; i < 512; i++) {
				batch.add(payload);
			}
			long started = System.nanoTime();
			int sent = 0;
			while (sent < count) {
				int queued = channels.get(0).send(batch.subList(0, Math.min(batch.size(), count - sent))).get();
				sent += queued;
				if (queued == 0) {
					Thread.onSpinWait();
				}
			}
			long deadline = System.nanoTime() + BOUND.toNanos();
			while (Arrays.stream(received).anyMatch((c) -> c.get() < count) && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
			long last = Arrays.stream(finished).max().getAsLong();
			return (long) (count / ((last - started) / 1e9));
		}
	}

	private static void report(String what, long[] millis) {
		long[] sorted = millis.clone();
		Arrays.sort(sorted);
		System.out.printf("%s: median %d ms, min %d, max %d, runs %s%n", what, sorted[sorted.length / 2], sorted[0],
				sorted[sorted.length - 1], Arrays.toString(millis));
	}

}
