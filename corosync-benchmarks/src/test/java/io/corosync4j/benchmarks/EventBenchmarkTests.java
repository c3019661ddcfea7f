package io.corosync4j.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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
 * The event rows: a member's count of a round, that a short run on three corosync4j nodes delivers every
 * event to every member with its latency taken at the others, and what the report says.
 */
class EventBenchmarkTests {

	private static final Pattern RECEIVED = Pattern
		.compile("received (\\d+) (\\d+) events in [\\d.]+ s, lost (\\d+), latency p50 (-?\\d+) .s, p99 (-?\\d+) .s");

	@Test
	void aRoundIsReportedOnceEveryPublishersEndArrivedAndCountsWhatIsMissing() {
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		EventMember.Counter counter = new EventMember.Counter(new PrintStream(text, true, StandardCharsets.UTF_8));
		counter.self(1);
		counter.expect(7, 2);
		counter.delivered(EventMember.event(EventMember.DATA, 7, 1, 0, 0));
		counter.delivered(EventMember.event(EventMember.DATA, 7, 2, 0, 0));
		counter.delivered(EventMember.event(EventMember.END, 7, 1, 0, 1));
		assertThat(text.toString(StandardCharsets.UTF_8)).isEmpty();
		// publisher 2 says it published two: one is missing
		counter.delivered(EventMember.event(EventMember.END, 7, 2, 0, 2));
		String report = text.toString(StandardCharsets.UTF_8);
		assertThat(report).startsWith("received 7 2 events in ").contains("samples 1")
			.contains("LOST: run 7 delivered 2 of 3 events");
	}

	@Test
	void aShortRunOnThreeCorosync4jNodesDeliversEveryEventToEveryMember(@TempDir Path directory) throws Exception {
		Peers peers = new Peers(directory, List.of(64), 1, new byte[256], 0, 0);
		List<Path> configs = peers.corosync4jConfigs(directory, "udpu");
		List<CorosyncNode> nodes = new ArrayList<>();
		List<ByteArrayOutputStream> outputs = new ArrayList<>();
		List<EventMember.Bus> buses = new ArrayList<>();
		try {
			for (int node = 1; node <= 3; node++) {
				nodes.add(CorosyncNode.builder(new CorosyncConfigReader().read(configs.get(node - 1)))
					.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(),
							List.of(InetAddress.getByName("127.0.0." + node))))
					.start());
			}
			List<EventMember.Counter> counters = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				ByteArrayOutputStream text = new ByteArrayOutputStream();
				EventMember.Counter counter = new EventMember.Counter(new PrintStream(text, true, StandardCharsets.UTF_8));
				counter.self(i + 1);
				outputs.add(text);
				counters.add(counter);
				buses.add(Corosync4jEventMember.ready(nodes.get(i), 3, counter));
			}
			for (EventMember.Counter counter : counters) {
				counter.expect(1, 1);
			}
			// member 1 publishes for a second, 16 outstanding, paced at 500 a second
			long published = EventMember.publish(buses.get(0), 1, 1, 1, 16, 500);
			assertThat(published).isPositive();
			for (int i = 0; i < 3; i++) {
				Matcher received = RECEIVED.matcher(awaitReport(outputs.get(i)));
				assertThat(received.find()).isTrue();
				assertThat(Long.parseLong(received.group(2))).isEqualTo(published);
				assertThat(received.group(3)).isEqualTo("0");
				// the publisher times none of its own events; the others time every one
				if (i == 0) {
					assertThat(received.group(4)).isEqualTo("-1");
				}
				else {
					assertThat(Long.parseLong(received.group(4))).isNotNegative()
						.isLessThanOrEqualTo(Long.parseLong(received.group(5)));
				}
			}
		}
		finally {
			for (CorosyncNode node : nodes) {
				node.close();
			}
		}
	}

	/**
	 * The member's report, once its deliveries of the round are all in and its line is whole: printf hands
	 * the stream its line piece by piece (a bound, not a timing).
	 */
	private static String awaitReport(ByteArrayOutputStream output) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventMember.BOUND_SECONDS);
		while (System.nanoTime() < deadline) {
			String text = output.toString(StandardCharsets.UTF_8);
			int report = text.indexOf("received ");
			if (report >= 0 && text.indexOf('\n', report) > report) {
				return text;
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("no report within " + EventMember.BOUND_SECONDS + " s");
	}

	@Test
	void theReportKeepsFailedRunsAndSaysCorosyncHasNoEventService(@TempDir Path directory) {
		EventBenchmark benchmark = new EventBenchmark(new Peers(directory, List.of(64), 1, new byte[256], 0, 0), 1, 1,
				16, 1000, 1, "udpu");
		String text = benchmark.markdown(List.of(
				new CheckpointBenchmark.Run<>("corosync4j", "EventService, udpu", 1,
						new EventBenchmark.Events(15000.4, 16000, new long[] { 700, 9000 }, 300000), "", 0.5, 2),
				new CheckpointBenchmark.Run<>("JGroups", "multicast, SEQUENCER", 1, null, "no | view", -1, -1)), 1);
		assertThat(text).contains("| corosync4j | EventService, udpu | 15,000 | 16,000 | 700 / 9,000 | 300,000 | 0.5 | 2.00 |")
			.contains("| JGroups | multicast, SEQUENCER | failed: no / view |")
			.contains("| Corosync 3.1.7 | none:");
	}

}
