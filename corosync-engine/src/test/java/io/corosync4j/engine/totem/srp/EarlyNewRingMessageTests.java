package io.corosync4j.engine.totem.srp;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.fixtures.MessageId;
import io.corosync4j.engine.totem.srp.Simulation.Event;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.MessageType;
import io.corosync4j.engine.totem.wire.RingId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Corosync 3.1.7 daemon whose recovery was cut short keeps its retransmit-flag count into the next
 * recovery and installs that ring on its first tokens, then multicasts new-ring messages while the other
 * members are still recovering. The chaos suite found the consequence in a mixed knet ring (seed 44): a
 * corosync4j member filed such a message where Corosync does, in the queue that still held its old ring,
 * on the place of an old-ring message it had yet to recover; in the next ring the old message counted as
 * "held already", never reached the application, and its transitional peer delivered it. The daemon's
 * early message is staged here, as it arrives: a regular MCAST of the ring being recovered whose sequence
 * number is one the recovering node lacks from its old ring.
 */
class EarlyNewRingMessageTests {

	@Test
	void aNewRingMessageDuringRecoveryNeverTakesTheOldRingsPlace() {
		Staged staged = stage(false);
		assertThat(staged.earlyDropped).as("the early message is dropped, not filed").isPositive();
	}

	@Test
	void norAfterThatRecoveryFailedAndTheNextOneRecoversTheOldRing() {
		Staged staged = stage(true);
		assertThat(staged.earlyDropped).as("the early message is dropped, not filed").isPositive();
	}

	private record Staged(long earlyDropped) {
	}

	/**
	 * Node 3 misses node 2's last messages of R0; node 1 pauses, nodes 2 and 3 form R1 and node 3 gets an
	 * R1 message numbered as the first of its missing R0 messages while it recovers them. With
	 * {@code abortRecovery} node 3 loses R1's token, returns to gather with R1 still its ring, and the
	 * message arrives there; node 1 comes back and the next ring recovers R0 from it. The invariants (the
	 * same old-ring messages for members that move together, nothing delivered that was never sent) are
	 * checked after every event.
	 */
	private static Staged stage(boolean abortRecovery) {
		Simulation sim = new Simulation(5);
		sim.addNodes(3, (id) -> new SrpSettings(id, Simulation.timers(3, 1000), true, 2974));
		sim.nodes.forEach(SimNode::start);
		sim.runUntil(3_000 * Simulation.MS);
		SimNode n1 = sim.node(1);
		SimNode n2 = sim.node(2);
		SimNode n3 = sim.node(3);
		RingId r0 = n3.srp().ringId();
		assertThat(n3.srp().members()).containsExactly(1L, 2L, 3L);

		List<Long> missed = new ArrayList<>();
		boolean[] injected = new boolean[1];
		RingId[] r1 = new RingId[1];
		sim.network.lose((from, to, message) -> {
			if (message instanceof Mcast mcast && to == n3 && !mcast.isEncapsulated() && mcast.ringId().equals(r0)
					&& MessageId.of(mcast.payload()).counter() > 5) {
				if (!missed.contains(mcast.seq())) {
					missed.add(mcast.seq());
				}
				return true;
			}
			TotemSrp core = n3.srp();
			boolean recovering = core.state() == MembershipState.RECOVERY && !core.ringId().equals(r0);
			if (abortRecovery && recovering && to == n3 && message.type() == MessageType.ORF_TOKEN
					&& (r1[0] == null || r1[0].equals(core.ringId()))) {
				r1[0] = core.ringId();
				return true;
			}
			boolean due = abortRecovery ? (r1[0] != null && core.state() == MembershipState.GATHER) : recovering;
			if (due && !injected[0]) {
				injected[0] = true;
				RingId ring = core.ringId();
				long seq = missed.size() + 1;
				Mcast early = new Mcast(2, 0, Mcast.REGULAR, 2, seq, 0, ring, 0, 0,
						new MessageId(2, n2.incarnation(), 1_000).payload(100));
				// as the daemon would have sent it to every member: the invariants know its place in the order
				sim.invariants.onWire(n2, early);
				sim.after(0, n3, Event.Kind.PACKET, early, () -> n3.receive(early));
			}
			return false;
		});
		for (int i = 0; i < 10; i++) {
			sim.at(sim.now() + i * Simulation.MS, null, Event.Kind.CONTROL, "send", () -> n2.send(1, 100));
		}
		sim.runUntil(sim.now() + 200 * Simulation.MS);
		assertThat(missed).as("node 3 misses node 2's last five R0 messages").hasSize(5);
		assertThat(missed).as("among them the number the first new R1 message gets").contains(6L);

		long dropped = n3.srp().stats().get(SrpCounter.RX_MSG_DROPPED);
		n1.freeze(abortRecovery ? 6_000 * Simulation.MS : 60_000 * Simulation.MS);
		sim.runUntil(sim.now() + 20_000 * Simulation.MS);
		assertThat(injected[0]).as("the early message was staged").isTrue();
		assertThat(n3.srp().members()).as("one ring in the end")
			.containsExactly(abortRecovery ? new Long[] { 1L, 2L, 3L } : new Long[] { 2L, 3L });
		assertThat(n3.srp().state()).isEqualTo(MembershipState.OPERATIONAL);
		return new Staged(n3.srp().stats().get(SrpCounter.RX_MSG_DROPPED) - dropped);
	}

}
