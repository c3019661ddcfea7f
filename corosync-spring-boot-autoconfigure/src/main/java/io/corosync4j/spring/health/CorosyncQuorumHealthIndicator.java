package io.corosync4j.spring.health;

import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.corosync4j.engine.service.votequorum.VotequorumService;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while this node's partition is quorate (always, without a quorum provider), DOWN otherwise. Meant
 * for a readiness group ({@code /actuator/health/corosync/quorum}), not for liveness: a partition must
 * not restart every instance.
 */
public class CorosyncQuorumHealthIndicator extends AbstractHealthIndicator {

	private final CorosyncNodeLifecycle lifecycle;

	public CorosyncQuorumHealthIndicator(CorosyncNodeLifecycle lifecycle) {
		super("corosync quorum health check failed");
		this.lifecycle = lifecycle;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		CorosyncNode node = this.lifecycle.getNodeIfRunning();
		if (node == null || node.isClosed()) {
			builder.down().withDetail("state", "stopped");
			return;
		}
		VotequorumService votequorum = node.votequorum().orElse(null);
		QuorumState state = (votequorum != null) ? votequorum.state() : null;
		if (state == null) {
			builder.up().withDetail("provider", "none");
			return;
		}
		(state.quorate() ? builder.up() : builder.down()).withDetail("quorate", state.quorate())
			.withDetail("quorum", state.quorum())
			.withDetail("totalVotes", state.totalVotes())
			.withDetail("expectedVotes", state.expectedVotes())
			.withDetail("members", state.members());
	}

}
