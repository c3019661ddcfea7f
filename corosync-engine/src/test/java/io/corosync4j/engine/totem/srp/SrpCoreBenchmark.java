package io.corosync4j.engine.totem.srp;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

import io.corosync4j.engine.fixtures.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the protocol core alone: a ring on the simulated network (real codec, no sockets, no
 * invariant checks), senders that keep their queues full of 64-byte messages, and the messages ordered
 * per second of this thread's CPU time. A measurement, not a test: run it with
 * {@code ./mvnw -pl corosync-engine test -Dtest=SrpCoreBenchmark -Dcorosync4j.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "corosync4j.benchmark", matches = "true")
class SrpCoreBenchmark {

	private static final int PAYLOAD = 64;

	@Test
	void orderedMessagesPerCpuSecond() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		System.out.println("nodes senders  ordered msgs  cpu s   msgs/cpu-s  virtual msgs/s");
		for (int round = 0; round < 2; round++) {
			for (int nodes : new int[] { 3, 16 }) {
				for (boolean allSend : new boolean[] { false, true }) {
					Simulation sim = new Simulation(42);
					sim.invariants.enabled = false;
					sim.network.latency(20_000, 60_000);
					sim.addNodes(nodes, (id) -> new SrpSettings(id, Simulation.timers(nodes, 0), true, 2974));
					sim.nodes.forEach(SimNode::start);
					sim.runUntil(10_000 * Simulation.MS);
					long virtualStart = sim.now();
					long virtual = 3_000 * Simulation.MS;
					for (long at = virtualStart; at < virtualStart + virtual; at += Simulation.MS / 2) {
						for (SimNode node : sim.nodes) {
							if (allSend || node.nodeid == 1) {
								sim.at(at, null, Simulation.Event.Kind.CONTROL, "send",
										() -> node.send(node.srp().available(), PAYLOAD - MessageId.SIZE));
							}
						}
					}
					long deliveredBefore = sim.invariants.deliveries;
					long cpu = threads.getCurrentThreadCpuTime();
					sim.runUntil(virtualStart + virtual);
					double seconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
					long ordered = (sim.invariants.deliveries - deliveredBefore) / nodes;
					if (round == 1) {
						System.out.printf(Locale.ROOT, "%5d %7s %13d %6.2f %12.0f %15.0f%n", nodes, allSend ? "all" : "one",
								ordered, seconds, ordered / seconds, ordered / (virtual / 1e9));
					}
				}
			}
		}
	}

}
