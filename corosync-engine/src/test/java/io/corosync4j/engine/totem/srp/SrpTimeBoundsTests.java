package io.corosync4j.engine.totem.srp;

import java.util.List;

import io.corosync4j.engine.config.TotemTimers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How fast rings form and re-form with Corosync's default timers, in virtual time, against the bounds of
 * {@link TimerBounds}; and the ring id rules.
 */
class SrpTimeBoundsTests {

	private static final TotemTimers DEFAULT_3 = Simulation.timers(3, 0);

	@Test
	void threeFreshNodesStartedTogetherFormOneRingWithinTheFormationBound() {
		long slowest = 0;
		for (long seed = 1; seed <= 20; seed++) {
			Simulation sim = threeNodes(seed);
			sim.nodes.forEach(SimNode::start);
			long formed = runUntilRing(sim, List.of(1L, 2L, 3L), 20_000);
			assertThat(formed).as("seed %d", seed).isLessThanOrEqualTo(TimerBounds.formation(DEFAULT_3));
			slowest = Math.max(slowest, formed);
		}
		System.out.printf("3 fresh nodes: one ring after at most %d ms (bound %d ms)%n", slowest,
				TimerBounds.formation(DEFAULT_3));
	}

	@Test
	void aNodeStartedLaterJoinsWithinTheFormationBound() {
		Simulation sim = threeNodes(7);
		sim.node(1).start();
		sim.node(2).start();
		sim.runUntil(5_000 * Simulation.MS);
		sim.node(3).start();
		long start = sim.now();
		long formed = runUntilRing(sim, List.of(1L, 2L, 3L), 20_000) - start / Simulation.MS;
		assertThat(formed).isLessThanOrEqualTo(TimerBounds.formation(DEFAULT_3));
	}

	@Test
	void survivorsOfACrashReformAfterTokenAndConsensus() {
		long fastest = Long.MAX_VALUE;
		long slowest = 0;
		for (long seed = 1; seed <= 20; seed++) {
			Simulation sim = threeNodes(seed);
			sim.nodes.forEach(SimNode::start);
			runUntilRing(sim, List.of(1L, 2L, 3L), 20_000);
			sim.runUntil(sim.now() + 2_000 * Simulation.MS);
			long crash = sim.now();
			sim.node(3).crash();
			long reformed = runUntilRing(sim, List.of(1L, 2L), 30_000) - crash / Simulation.MS;
			// not before the token is declared lost, and within token + consensus + slack
			assertThat(reformed).as("seed %d", seed)
				.isGreaterThanOrEqualTo(DEFAULT_3.token() - DEFAULT_3.tokenRetransmit())
				.isLessThanOrEqualTo(TimerBounds.failure(DEFAULT_3));
			fastest = Math.min(fastest, reformed);
			slowest = Math.max(slowest, reformed);
		}
		System.out.printf("crash of 1 of 3: survivors re-formed after %d-%d ms (token %d + consensus %d, bound %d ms)%n",
				fastest, slowest, DEFAULT_3.token(), DEFAULT_3.consensus(), TimerBounds.failure(DEFAULT_3));
	}

	@Test
	void aLeaveIsNoticedWithoutWaitingForTheToken() {
		Simulation sim = threeNodes(3);
		sim.nodes.forEach(SimNode::start);
		runUntilRing(sim, List.of(1L, 2L, 3L), 20_000);
		long leave = sim.now();
		sim.node(2).leave();
		long reformed = runUntilRing(sim, List.of(1L, 3L), 30_000) - leave / Simulation.MS;
		assertThat(reformed).isLessThan(DEFAULT_3.token());
	}

	@Test
	void ringIdsStartOneAboveTheStoredSequenceAndAdvanceByFour() {
		Simulation sim = new Simulation(11);
		sim.addNodes(1, (id) -> new SrpSettings(id, DEFAULT_3, true, 100));
		SimNode node = sim.node(1);
		node.store.preset(0xd);
		sim.at(0, null, Simulation.Event.Kind.CONTROL, "start", node::start);
		sim.runUntil(1);
		assertThat(node.srp().ringId()).hasToString("1.e");
		assertThat(node.store.seq()).isEqualTo(0xd);
		sim.runUntil(100 * Simulation.MS);
		assertThat(node.store.seq()).isEqualTo(0x12);
		assertThat(node.store.writes()).isEqualTo(1);
		assertThat(node.srp().state()).isEqualTo(MembershipState.OPERATIONAL);
		assertThat(node.srp().ringId()).hasToString("1.12");
	}

	@Test
	void aRingIdThatCannotBeStoredStopsTheNodeWithAClearError() {
		Simulation sim = new Simulation(5);
		sim.addNodes(1, (id) -> new SrpSettings(id, DEFAULT_3, true, 100));
		SimNode node = sim.node(1);
		node.store.fail();
		sim.at(0, null, Simulation.Event.Kind.CONTROL, "start", node::start);
		assertThatThrownBy(() -> sim.runUntil(100 * Simulation.MS)).cause()
			.isInstanceOf(TotemFatalException.class)
			.hasMessageContaining("Couldn't store new ring id 1.5")
			.hasMessageContaining("No space left on device");
		assertThat(node.srp().isStopped()).isTrue();
	}

	private static Simulation threeNodes(long seed) {
		Simulation sim = new Simulation(seed);
		sim.addNodes(3, (id) -> new SrpSettings(id, DEFAULT_3, true, 2974));
		return sim;
	}

	/** Runs in 1 ms steps until every listed node is operational in one ring of exactly them; returns ms. */
	private static long runUntilRing(Simulation sim, List<Long> members, long limitMs) {
		long limit = sim.now() + limitMs * Simulation.MS;
		while (sim.now() < limit) {
			sim.runUntil(sim.now() + Simulation.MS);
			if (inOneRing(sim, members)) {
				return sim.now() / Simulation.MS;
			}
		}
		throw new AssertionError("no ring of " + members + " within " + limitMs + " ms\n" + sim.describeNodes());
	}

	private static boolean inOneRing(Simulation sim, List<Long> members) {
		Object ring = null;
		for (long id : members) {
			TotemSrp core = sim.node(id).srp();
			if (core.state() != MembershipState.OPERATIONAL || !core.membersView().equals(members)) {
				return false;
			}
			if (ring != null && !ring.equals(core.ringId())) {
				return false;
			}
			ring = core.ringId();
		}
		return true;
	}

}
