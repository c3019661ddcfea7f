package io.corosync4j.engine.totem.srp;

import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import io.corosync4j.engine.config.TotemTimers;
import io.corosync4j.engine.totem.srp.Simulation.Event;
import io.corosync4j.engine.totem.wire.OrfToken;
import io.corosync4j.engine.totem.wire.RingId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The case the chaos suite found in a mixed ring, staged. Node 4 pauses; the others form R1, but the token
 * that would carry the last member of the rotation (the skipper) into R1 is lost, so the others install
 * R1 without it and may deliver there what it never receives. They re-form with the skipper (for them it
 * "left and joined"), and node 4 comes back before any of these rings is synchronized. The skipper is in
 * the latest transitional configuration of the ring that is: Corosync's CPG, which compares the members
 * of the last synchronized ring with that latest list only, reports node 4 down and the skipper as having
 * stayed, hiding the separation. corosync4j reports down whoever was missing from any transitional
 * configuration since (the narrowed list), beside Corosync daemons too.
 */
class SkippedRingTests {

	private static final long SEED = 7;

	@Test
	void corosync4jMembersReportTheSeparationBesideCorosyncDaemons() {
		Staged staged = stage(Set.of(2L, 4L));
		assertThat(staged.skipper % 2).as("a corosync4j node skips R1").isEqualTo(1);
		assertThat(staged.sim.cpg.violations((nodeid) -> nodeid % 2 == 1))
			.as("CPG as the corosync4j members saw it").isEmpty();
		for (long node : new long[] { 1, 3, 5 }) {
			if (node != staged.skipper) {
				assertThat(staged.reportedDown(node, staged.skipper)).as(node + " reports the separation").isTrue();
				assertThat(staged.reportedDown(staged.skipper, node)).as("and so does the other side").isTrue();
			}
		}
		assertThat(staged.reportedDown(2, staged.skipper)).as("the node playing Corosync hides it").isFalse();
	}

	@Test
	void corosyncsRuleHidesTheSeparation() {
		Staged staged = stage(Set.of(1L, 2L, 3L, 4L, 5L));
		for (long node : new long[] { 1, 2, 3, 5 }) {
			if (node != staged.skipper) {
				assertThat(staged.reportedDown(node, staged.skipper)).as(node + " reports the skipper as staying").isFalse();
				assertThat(staged.reportedDown(staged.skipper, node)).isFalse();
			}
		}
	}

	/** A node that installed every ring: neither the one that skips R1 nor node 4. */
	private static SimNode witness(Simulation sim, SimNode skipper, SimNode paused) {
		return sim.nodes.stream().filter((node) -> node != skipper && node != paused).findFirst().orElseThrow();
	}

	/** The configurations {@code node} went through after installing {@code ring}. */
	private static List<ConfigurationChange> after(SimNode node, RingId ring) {
		List<ConfigurationChange> all = node.configurations;
		int at = 0;
		for (int k = 0; k < all.size(); k++) {
			if (all.get(k).ringId().equals(ring) && all.get(k).type() == ConfigurationType.REGULAR) {
				at = k + 1;
			}
		}
		return List.copyOf(all.subList(at, all.size()));
	}

	private static List<RingId> regularAfter(SimNode node, RingId ring) {
		return after(node, ring).stream()
			.filter((change) -> change.type() == ConfigurationType.REGULAR)
			.map(ConfigurationChange::ringId)
			.toList();
	}

	/** A staged run, and the node that skipped R1. */
	private record Staged(Simulation sim, long skipper) {

		/** Whether a CPG change on {@code observer}'s handle listed a process of {@code node} as left. */
		boolean reportedDown(long observer, long node) {
			return this.sim.cpg.changes(observer).stream()
				.anyMatch((change) -> change.left().stream().anyMatch((left) -> left.nodeid() == node));
		}

	}

	private static Staged stage(Set<Long> playingCorosync) {
		Simulation sim = new Simulation(SEED);
		sim.services = true;
		sim.invariants.payloads = false;
		sim.corosyncNodes.addAll(playingCorosync);
		TotemTimers timers = Simulation.timers(5, 1000);
		sim.addNodes(5, (id) -> new SrpSettings(id, timers, true, 2974));
		sim.nodes.forEach(SimNode::start);
		long trafficFrom = 2_000 * Simulation.MS;
		for (long at = trafficFrom; at < 20_000 * Simulation.MS; at += 2 * Simulation.MS) {
			for (SimNode node : sim.nodes) {
				sim.at(at, null, Event.Kind.CONTROL, "send", () -> node.send(1, 100));
			}
		}
		sim.runUntil(4_000 * Simulation.MS);
		SimNode n1 = sim.node(1);
		SimNode n4 = sim.node(4);
		SimNode n5 = sim.node(5);
		RingId r0 = n1.srp().ringId();
		assertThat(n1.srp().members()).containsExactly(1L, 2L, 3L, 4L, 5L);

		n4.freeze(60_000 * Simulation.MS);
		// the token that would carry the last member of the rotation into R1 is lost: the others have
		// installed R1, it is still recovering
		SimNode[] skipper = new SimNode[1];
		RingId[] skippedRing = new RingId[1];
		sim.network.lose((from, to, message) -> {
			if (!(message instanceof OrfToken token) || to == n4 || to.srp().state() != MembershipState.RECOVERY) {
				return false;
			}
			if (skipper[0] != null) {
				return to == skipper[0] && token.ringId().equals(skippedRing[0]);
			}
			boolean othersInstalled = sim.nodes.stream().filter((node) -> node != to && node != n4)
				.allMatch((node) -> node.srp().state() == MembershipState.OPERATIONAL && !node.srp().ringId().equals(r0));
			if (othersInstalled) {
				skipper[0] = to;
				skippedRing[0] = token.ringId();
			}
			return othersInstalled;
		});
		// node 4 comes back as soon as the others install R2, before R2 is synchronized
		long limit = sim.now() + 20_000 * Simulation.MS;
		while (sim.now() < limit && (skipper[0] == null || regularAfter(witness(sim, skipper[0], n4), r0).size() < 2)) {
			sim.runUntil(sim.now() + 20_000);
		}
		n4.thaw();
		sim.runUntil(sim.now() + 12_000 * Simulation.MS);

		assertThat(skipper[0]).as("a token was lost").isNotNull();
		SimNode skipped = skipper[0];
		SimNode witness = witness(sim, skipped, n4);
		List<ConfigurationChange> since = after(witness, r0);
		RingId r1 = since.get(1).ringId();
		assertThat(regularAfter(skipped, r0)).as("node " + skipped.nodeid + " skips R1").doesNotContain(r1);
		// the first ring synchronized since: its transitional configuration has the skipper, an earlier
		// one since R0 lacks it
		RingId synchronizedRing = witness.synchronizedRings.get(witness.synchronizedRings.indexOf(r0) + 1);
		List<ConfigurationChange> transitional = since.stream()
			.takeWhile((change) -> !change.ringId().equals(synchronizedRing) || change.type() == ConfigurationType.TRANSITIONAL)
			.filter((change) -> change.type() == ConfigurationType.TRANSITIONAL)
			.toList();
		assertThat(transitional).as("rings installed since R0 up to the first synchronized one").hasSizeGreaterThanOrEqualTo(3);
		assertThat(transitional.get(transitional.size() - 1).members()).as("the latest transitional configuration")
			.contains(skipped.nodeid);
		assertThat(transitional).as("an earlier transitional configuration")
			.anyMatch((change) -> !change.members().contains(skipped.nodeid));
		assertThat(LongStream.rangeClosed(1, 5).mapToObj(sim::node).map((node) -> node.srp().members()))
			.as("one ring in the end").allMatch((members) -> members.equals(List.of(1L, 2L, 3L, 4L, 5L)));
		return new Staged(sim, skipped.nodeid);
	}

}
