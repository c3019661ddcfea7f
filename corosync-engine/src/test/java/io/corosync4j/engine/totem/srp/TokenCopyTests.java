package io.corosync4j.engine.totem.srp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.corosync4j.engine.totem.wire.OrfToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node re-sends its token when it hears nothing from its successor for a while. A Corosync 3.1.7
 * successor that already forwarded the original frees messages up to the copy's aru (and its own last)
 * before it finds the copy is one, so a copy carrying an aru its sender has just raised lets that daemon
 * free what a member further on the ring still lacks; when the daemon and that member then move on
 * together, the member can never get those messages and delivers fewer than the daemon. The chaos suite
 * found this in mixed knet rings, where every daemon's predecessor was a corosync4j node.
 */
class TokenCopyTests {

	@Test
	void aResentTokenCarriesNoAruItsSenderHadNotReceived() {
		Simulation sim = new Simulation(11);
		sim.addNodes(4, (id) -> new SrpSettings(id, Simulation.timers(4, 0), true, 2974));
		sim.nodes.forEach(SimNode::start);
		sim.runUntil(5_000 * Simulation.MS);
		// every token as it was first sent, by ring and hop: a copy repeats a hop, and the hop before it is the
		// token its sender received
		Map<List<Object>, Long> firstAru = new HashMap<>();
		List<String> raisedCopies = new ArrayList<>();
		int[] copies = new int[2];
		sim.network.lose((from, to, message) -> {
			if (!(message instanceof OrfToken token)) {
				return false;
			}
			List<Object> hop = List.of(token.ringId(), token.tokenSeq());
			Long first = firstAru.putIfAbsent(hop, token.aru());
			Long received = firstAru.get(List.of(token.ringId(), token.tokenSeq() - 1));
			if (first != null && received != null && from.srp().state() == MembershipState.OPERATIONAL) {
				copies[0]++;
				if (first > received) {
					// the original carried an aru its sender raised at that visit
					copies[1]++;
				}
				if (Sequence.lt((int) (long) received, (int) token.aru())) {
					raisedCopies.add("node " + from.nodeid + " re-sent hop " + token.tokenSeq() + " of " + token.ringId()
							+ " with aru " + Long.toHexString(token.aru()) + ", having received "
							+ Long.toHexString(received));
				}
			}
			return false;
		});
		sim.network.faults(0.08, 0);
		long start = sim.now();
		for (int i = 0; i < 20_000; i++) {
			long at = start + i * Simulation.MS;
			SimNode node = sim.nodes.get(i % sim.nodes.size());
			sim.at(at, null, Simulation.Event.Kind.CONTROL, "send", () -> node.send(1, 200));
		}
		sim.runUntil(start + 25_000 * Simulation.MS);
		assertThat(copies[1]).as("copies of tokens whose sender had raised the aru (of %d copies)", copies[0])
			.isPositive();
		assertThat(raisedCopies).isEmpty();
	}

}
