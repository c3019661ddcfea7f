package io.corosync4j.engine.totem.srp;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.corosync4j.engine.totem.srp.SrpSimulationTests.Run;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPG on the simulated ring: every node runs the same service stack as a real node (totempg, sync,
 * CPG) with one handle in one group, under the simulation's faults. Every member must see the same
 * messages and configuration changes in the same order, the same messages between two changes both
 * saw, and its own messages. More seeds with {@code -Dcorosync4j.simulation.cpgSeeds=N}.
 */
class CpgSimulationTests {

	/**
	 * Seeds that once broke CPG agreement: MIXED 752, a node separated from another during aborted
	 * synchronizations was not reported as having left; MIXED 987, a joinlist of an older ring revived a
	 * process of a restarted node's previous incarnation; MIXED 536, totempg's staged frame went out in
	 * the next ring's synchronization and was thrown away with the sender's own messages in it; LEAVE 6
	 * and MIXED 1, 4 and 6, with messages of up to 33 KB: a frame of a fragment chain refused by a full
	 * Totem queue, and chains cut by membership changes, lost messages; ADVERSE 9, a message sent again
	 * was sent once more at the next change, whose queue still began with the end of its first chain.
	 */
	static final List<Arguments> REGRESSIONS = List.of(Arguments.of(Scenario.MIXED, 752L),
			Arguments.of(Scenario.MIXED, 987L), Arguments.of(Scenario.MIXED, 536L), Arguments.of(Scenario.LEAVE, 6L),
			Arguments.of(Scenario.MIXED, 1L), Arguments.of(Scenario.MIXED, 4L), Arguments.of(Scenario.MIXED, 6L),
			Arguments.of(Scenario.MIXED, 9L), Arguments.of(Scenario.CRASH_RESTART, 17L), Arguments.of(Scenario.LOSSY, 19L),
			Arguments.of(Scenario.ADVERSE, 9L));

	/**
	 * Runs in which Corosync's rule for cut fragment chains breaks virtual synchrony (found among 180
	 * seeds): a member that did not hold a chain's start throws away what the others deliver. The agreed
	 * rule passes them ({@link #REGRESSIONS}).
	 */
	static final List<Arguments> COROSYNC_RULE_BREAKS = List.of(Arguments.of(Scenario.MIXED, 9L),
			Arguments.of(Scenario.CRASH_RESTART, 17L), Arguments.of(Scenario.LOSSY, 19L));

	/** Messages cut by a membership change and sent again, over all runs: the runs must produce some. */
	private static final AtomicLong resent = new AtomicLong();

	static Stream<Arguments> runs() {
		int seeds = Integer.getInteger("corosync4j.simulation.cpgSeeds", 30);
		return Stream.concat(Stream.of(Scenario.LOSSY, Scenario.CRASH_RESTART, Scenario.PARTITION, Scenario.FREEZE,
				Scenario.LEAVE, Scenario.MIXED, Scenario.KNET, Scenario.ADVERSE)
			.flatMap((scenario) -> LongStream.rangeClosed(1, seeds).mapToObj((seed) -> Arguments.of(scenario, seed))),
				REGRESSIONS.stream());
	}

	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("runs")
	void cpgMembersAgree(Scenario scenario, long seed) {
		Run run = new Run(scenario, seed, true);
		run.execute();
		// CPG sends wait for synchronization and the token, and 33 KB messages for room in Totem's
		// queue: give the last ones time to arrive
		run.sim.runUntil(run.sim.now() + 10 * run.timers.token() * Simulation.MS);
		run.sim.nodes.forEach((node) -> resent.addAndGet(node.resent()));
		String where = scenario + " seed " + seed;
		assertThat(run.sim.cpg.violations()).as(where).isEmpty();
		assertThat(run.sim.cpg.undeliveredOwnMessages()).as(where + ": own messages of live handles").isEmpty();
		assertThat(run.sim.totempg.violations()).as(where + ": totempg messages").isEmpty();
		assertThat(run.sim.cpg.events()).as(where + ": CPG events").isGreaterThan(50);
	}

	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("corosyncRuleBreaks")
	void corosyncsRuleForCutChainsIsCaughtBreakingVirtualSynchrony(Scenario scenario, long seed) {
		Run run = new Run(scenario, seed, true);
		run.sim.nodes.forEach((node) -> run.sim.corosyncNodes.add(node.nodeid));
		run.execute();
		run.sim.runUntil(run.sim.now() + 10 * run.timers.token() * Simulation.MS);
		assertThat(run.sim.totempg.violations()).as(scenario + " seed " + seed + " under Corosync's rule").isNotEmpty();
	}

	/**
	 * A ring mixed like a real one: the even nodes behave as Corosync daemons. Receiving, everyone then
	 * follows Corosync's rule, whose violations remain for the Corosync senders' cut messages; but no
	 * message of a corosync4j sender may be delivered by one member and not by another that moved with it.
	 */
	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("mixedRuns")
	void inAMixedRingNoMessageOfACorosync4jSenderBreaksVirtualSynchrony(Scenario scenario, long seed) {
		Run run = new Run(scenario, seed, true);
		run.sim.nodes.stream().filter((node) -> node.nodeid % 2 == 0).forEach((node) -> run.sim.corosyncNodes.add(node.nodeid));
		run.execute();
		run.sim.runUntil(run.sim.now() + 10 * run.timers.token() * Simulation.MS);
		run.sim.nodes.forEach((node) -> resent.addAndGet(node.resent()));
		assertThat(run.sim.totempg.violations((sender) -> !run.sim.corosyncNodes.contains(sender)))
			.as(scenario + " seed " + seed + ": messages of corosync4j senders").isEmpty();
		assertThat(run.sim.cpg.violations((nodeid) -> !run.sim.corosyncNodes.contains(nodeid)))
			.as(scenario + " seed " + seed + ": CPG as the corosync4j members saw it").isEmpty();
	}

	/**
	 * More with {@code -Dcorosync4j.simulation.mixedSeeds=N}. Without the repair of cut messages, ADVERSE 9, 12
	 * and 23 and CRASH_RESTART 17 broke virtual synchrony with a corosync4j sender's message (4 of 210 runs).
	 */
	static Stream<Arguments> mixedRuns() {
		int seeds = Integer.getInteger("corosync4j.simulation.mixedSeeds", 10);
		return Stream.concat(Stream.of(Scenario.LOSSY, Scenario.CRASH_RESTART, Scenario.PARTITION, Scenario.FREEZE,
				Scenario.LEAVE, Scenario.MIXED, Scenario.ADVERSE)
			.flatMap((scenario) -> LongStream.rangeClosed(1, seeds).mapToObj((seed) -> Arguments.of(scenario, seed))),
				Stream.of(Arguments.of(Scenario.ADVERSE, 12L), Arguments.of(Scenario.ADVERSE, 23L),
						Arguments.of(Scenario.CRASH_RESTART, 17L)));
	}

	static Stream<Arguments> corosyncRuleBreaks() {
		return COROSYNC_RULE_BREAKS.stream();
	}

	@AfterAll
	static void membershipChangesCutMessages() {
		if (Integer.getInteger("corosync4j.simulation.cpgSeeds", 30) >= 8) {
			assertThat(resent.get()).as("messages cut by a membership change and sent again whole").isPositive();
		}
	}

}
