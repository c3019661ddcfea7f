package io.corosync4j.engine.totem.srp;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimulationSmokeTests {

	@Test
	void threeNodesFormARingAndOrderMessages() {
		Simulation sim = threeNodesStarted(1);
		for (SimNode node : sim.nodes) {
			assertThat(node.srp().state()).isEqualTo(MembershipState.OPERATIONAL);
			assertThat(node.srp().members()).containsExactly(1L, 2L, 3L);
		}
		for (int i = 0; i < 100; i++) {
			long at = sim.now() + i * Simulation.MS;
			for (SimNode node : sim.nodes) {
				sim.at(at, null, Simulation.Event.Kind.CONTROL, "send", () -> node.send(5, 20));
			}
		}
		sim.runUntil(sim.now() + 5_000 * Simulation.MS);
		sim.invariants.checkDelivered();
		assertThat(sim.invariants.deliveries).isEqualTo(3 * 3 * 500);
	}

	@Test
	void theTokenIsSaidToReturnWhileMessagesFlowAndNotOnceTheRingIdles() {
		Simulation sim = threeNodesStarted(2);
		long start = sim.now();
		for (int i = 0; i < 200; i++) {
			sim.at(start + i * Simulation.MS, null, Simulation.Event.Kind.CONTROL, "send",
					() -> sim.nodes.get(0).send(1, 20));
		}
		List<Boolean> whileSending = new ArrayList<>();
		sim.at(start + 100 * Simulation.MS, null, Simulation.Event.Kind.CONTROL, "sample",
				() -> sim.nodes.forEach((node) -> whileSending.add(node.srp().tokenReturns())));
		sim.runUntil(start + 5_000 * Simulation.MS);
		assertThat(whileSending).hasSize(3).containsOnly(true);
		// idle: the representative holds the token, so a sender must wake it (token hold cancel)
		assertThat(sim.nodes).noneMatch((node) -> node.srp().tokenReturns());
	}

	/** Three nodes started together, five virtual seconds later. */
	private static Simulation threeNodesStarted(long seed) {
		Simulation sim = new Simulation(seed);
		sim.addNodes(3, (id) -> new SrpSettings(id, Simulation.timers(3, 0), true, 2974));
		sim.nodes.forEach(SimNode::start);
		sim.runUntil(5_000 * Simulation.MS);
		return sim;
	}

}
