package io.corosync4j.spring.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.corosync4j.spring.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

import static io.corosync4j.spring.lock.LockCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Integration's {@link LockRegistryLeaderInitiator} on the lock registry of three nodes: one
 * leader, and another one once the leader's node stops.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LeaderElectionTests {

	@Test
	void oneOfThreeNodesLeadsAndLeadershipMovesWhenItsNodeStops() throws Exception {
		try (LockCluster cluster = LockCluster.start(3)) {
			List<Contender> contenders = new ArrayList<>();
			List<LockRegistryLeaderInitiator> initiators = new ArrayList<>();
			try {
				for (int node = 1; node <= 3; node++) {
					Contender contender = new Contender(node);
					LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(cluster.registry(node),
							contender);
					initiator.setHeartBeatMillis(200);
					initiator.start();
					contenders.add(contender);
					initiators.add(initiator);
				}
				Await.until("a leader", BOUND, () -> leaders(contenders).size() == 1);
				Contender leader = leaders(contenders).get(0);
				// several heartbeats later it still leads, alone
				Thread.sleep(1000);
				assertThat(leaders(contenders)).containsExactly(leader);
				assertThat(leader.grants).hasValue(1);
				assertThat(initiators.get(leader.node - 1).getContext().isLeader()).isTrue();

				cluster.stopNode(leader.node);
				Await.until("the stopped node's contender revoked", BOUND, () -> !leader.leading);
				Await.until("another leader", BOUND, () -> leaders(contenders).size() == 1);
				Contender next = leaders(contenders).get(0);
				assertThat(next.node).isNotEqualTo(leader.node);
				Thread.sleep(1000);
				assertThat(leaders(contenders)).containsExactly(next);
			}
			finally {
				initiators.forEach(LockRegistryLeaderInitiator::stop);
			}
		}
	}

	private static List<Contender> leaders(List<Contender> contenders) {
		return contenders.stream().filter((contender) -> contender.leading).toList();
	}

	static final class Contender implements Candidate {

		final int node;

		final AtomicInteger grants = new AtomicInteger();

		volatile boolean leading;

		Contender(int node) {
			this.node = node;
		}

		@Override
		public String getRole() {
			return "leader";
		}

		@Override
		public String getId() {
			return "node-" + this.node;
		}

		@Override
		public void onGranted(Context context) {
			this.grants.incrementAndGet();
			this.leading = true;
		}

		@Override
		public void onRevoked(Context context) {
			this.leading = false;
		}

		@Override
		public String toString() {
			return getId();
		}

	}

}
