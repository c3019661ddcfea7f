package io.corosync4j.engine.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.corosync4j.engine.service.ServiceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes as three JVM processes started by the launcher, as an operator runs them: the ring forms,
 * a SIGKILLed node is removed and comes back with a higher ring id, SIGTERM leaves cleanly, a node killed
 * through CFG exits as the daemon does.
 */
class NodeProcessTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	private static final Pattern NEW_RING = Pattern.compile("A new membership \\(([0-9a-f]+)\\.([0-9a-f]+)\\)");

	@TempDir
	Path directory;

	@Test
	void processesFormARingSurviveSigkillAndLeaveOnSigterm() throws Exception {
		LocalCluster cluster = new LocalCluster(this.directory, 3, 500);
		List<NodeProcess> nodes = new ArrayList<>();
		try {
			long started = System.nanoTime();
			for (int i = 1; i <= 3; i++) {
				nodes.add(new NodeProcess(cluster.configFile(i), "127.0.0." + i));
			}
			for (NodeProcess node : nodes) {
				node.awaitLine(0, (line) -> line.contains("Members[3]: 1 2 3"), BOUND);
			}
			System.out.printf("3 processes: one ring %d ms after the first JVM was started%n",
					(System.nanoTime() - started) / 1_000_000);
			long ringBefore = lastRingSeq(nodes.get(0));

			int mark = nodes.get(0).lineCount();
			long killed = System.nanoTime();
			nodes.get(2).kill();
			nodes.get(0).awaitLine(mark, (line) -> line.contains("Members[2]: 1 2"), BOUND);
			System.out.printf("SIGKILL of 1 of 3 (token 500 ms): survivors in a new ring after %d ms%n",
					(System.nanoTime() - killed) / 1_000_000);
			long ringAfterKill = lastRingSeq(nodes.get(0));
			assertThat(ringAfterKill).isGreaterThan(ringBefore);

			mark = nodes.get(0).lineCount();
			NodeProcess restarted = new NodeProcess(cluster.configFile(3), "127.0.0.3");
			nodes.set(2, restarted);
			nodes.get(0).awaitLine(mark, (line) -> line.contains("Members[3]: 1 2 3"), BOUND);
			restarted.awaitLine(0, (line) -> line.contains("Members[3]: 1 2 3"), BOUND);
			assertThat(lastRingSeq(restarted)).isGreaterThan(ringAfterKill);

			mark = nodes.get(0).lineCount();
			long terminated = System.nanoTime();
			assertThat(nodes.get(1).terminate()).isZero();
			nodes.get(0).awaitLine(mark, (line) -> line.contains("Members[2]: 1 3"), BOUND);
			System.out.printf("SIGTERM of 1 of 3: survivors in a new ring after %d ms%n",
					(System.nanoTime() - terminated) / 1_000_000);
			assertThat(nodes.get(1).log()).contains("Corosync Cluster Engine exiting normally");
		}
		finally {
			for (NodeProcess node : nodes) {
				node.close();
			}
		}
	}

	@Test
	void aNodeThatCannotStoreItsRingIdStopsWithCorosyncsExitStatus() throws Exception {
		LocalCluster cluster = new LocalCluster(this.directory, 2, 500);
		try (NodeProcess first = new NodeProcess(cluster.configFile(1), "127.0.0.1");
				NodeProcess second = new NodeProcess(cluster.configFile(2), "127.0.0.2")) {
			first.awaitLine(0, (line) -> line.contains("Members[2]: 1 2"), BOUND);
			// node 1's state directory turns into a file: the next ring's id cannot be stored
			Path state = this.directory.resolve("n1");
			try (Stream<Path> files = Files.list(state)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(state);
			Files.writeString(state, "not a directory");
			second.kill();
			assertThat(first.awaitExit(BOUND)).as(first.log()).isEqualTo(NodeFailure.EXIT_RING_ID);
			assertThat(first.log()).contains("Couldn't store new ring id").contains("exiting with status 21");
		}
	}

	@Test
	void aNodeKilledThroughCfgLeavesAndExitsWithCorosyncsStatus() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500);
				NodeProcess victim = new NodeProcess(cluster.configFile(2), "127.0.0.2")) {
			CorosyncNode killer = cluster.start(1);
			cluster.awaitRing(BOUND);
			victim.awaitLine(0, (line) -> line.contains("Members[2]: 1 2"), BOUND);
			killer.cfg().killNode(2, "maintenance").get(10, TimeUnit.SECONDS);
			assertThat(victim.awaitExit(BOUND)).as(victim.log()).isEqualTo(ServiceContext.EXIT_KILLED);
			assertThat(victim.log()).contains("Killed by node 1 : maintenance").contains("exiting with status 255");
			killer.awaitMembership((membership) -> membership.members().equals(List.of(1L)), BOUND);
		}
	}

	@Test
	void aNodeThatCannotLoadItsRingIdDoesNotStart() throws Exception {
		LocalCluster cluster = new LocalCluster(this.directory, 1, 500);
		Files.writeString(this.directory.resolve("n1"), "not a directory");
		try (NodeProcess node = new NodeProcess(cluster.configFile(1), "127.0.0.1")) {
			assertThat(node.awaitExit(BOUND)).as(node.log()).isEqualTo(NodeFailure.EXIT_RING_ID);
			assertThat(node.log()).contains("Couldn't load the ring id of node 1");
		}
	}

	private static long lastRingSeq(NodeProcess node) {
		Matcher matcher = NEW_RING.matcher(node.log());
		long seq = -1;
		while (matcher.find()) {
			seq = Long.parseLong(matcher.group(2), 16);
		}
		return seq;
	}

}
