package io.corosync4j.benchmarks;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message rows: that a short run on three corosync4j nodes hands the group's messages to its three
 * consumers in turn and acknowledges every one, that request/reply answers, and what the report says.
 */
class MessageBenchmarkTests {

	private static final Pattern HANDLED = Pattern.compile("handled (\\d+) (\\d+) last=(\\d+) latency p50 (-?\\d+) .s");

	@Test
	void aShortRunOnThreeCorosync4jNodesAcknowledgesEveryMessageInTurnAndAnswersRequests(@TempDir Path directory)
			throws Exception {
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
			List<MessageMember.Counter> counters = new ArrayList<>();
			List<MessageMember.Queues> queues = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				MessageMember.Counter counter = new MessageMember.Counter();
				counters.add(counter);
				queues.add(Corosync4jMessageMember.ready(nodes.get(i), 3, i + 1, Corosync4jMessageMember.PREFETCH, counter));
			}
			// member 2 sends into the group for a second, 16 outstanding, paced at 300 a second
			long sent = EventMember.paced(queues.get(1)::send, 1, 2, 1, 16, 300);
			assertThat(sent).isPositive();
			long[] each = awaitAcknowledged(counters, sent);
			// round robin over three queues: none is more than one message ahead of another
			for (long count : each) {
				assertThat(count).isBetween(sent / 3, sent / 3 + 1);
			}

			CheckpointMember.Writes calls = MessageMember.calls(queues.get(1));
			long[] micros = CheckpointMember.latency(calls, 0, 100);
			assertThat(micros[0]).isPositive().isLessThanOrEqualTo(micros[2]);
			assertThat(CheckpointMember.rate(calls, 16, 1)[0]).isPositive();
		}
		finally {
			for (CorosyncNode node : nodes) {
				node.close();
			}
		}
	}

	/** Each consumer's acknowledgements once they add up to {@code sent} (a bound, not a timing). */
	private static long[] awaitAcknowledged(List<MessageMember.Counter> counters, long sent) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventMember.BOUND_SECONDS);
		while (true) {
			long[] each = new long[counters.size()];
			long total = 0;
			for (int i = 0; i < counters.size(); i++) {
				Matcher handled = HANDLED.matcher(counters.get(i).report(1));
				assertThat(handled.find()).isTrue();
				each[i] = Long.parseLong(handled.group(2));
				total += each[i];
			}
			assertThat(total).isLessThanOrEqualTo(sent);
			if (total == sent) {
				return each;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(total + " of " + sent + " acknowledged within " + EventMember.BOUND_SECONDS
						+ " s");
			}
			Thread.sleep(20);
		}
	}

	@Test
	void theReportKeepsFailedRunsAndSaysCorosyncHasNoMessageService(@TempDir Path directory) {
		MessageBenchmark benchmark = new MessageBenchmark(new Peers(directory, List.of(64), 1, new byte[256], 0, 0),
				1, 1, 16, 1000, 1, 100, "udpu");
		String text = benchmark.markdown(List.of(
				new CheckpointBenchmark.Run<>("corosync4j", "MessageService, udpu", 1,
						new MessageBenchmark.Messages(2000.4, new long[] { 3300, 50000 }, new long[] { 1000, 3500, 8400 },
								new double[] { 410, 7600 }, 10000),
						"", 0.5, 2),
				new CheckpointBenchmark.Run<>("JGroups", "round robin", 1, null, "no | view", -1, -1)), 1);
		assertThat(text)
			.contains("| corosync4j | MessageService, udpu | 2,000 | 3,300 / 50,000 | 1,000 / 8,400 | 410 | 7,600 | 10,000 "
					+ "| 0.5 | 2.00 |")
			.contains("| JGroups | round robin | failed: no / view |")
			.contains("| Corosync 3.1.7 | none:");
	}

}
