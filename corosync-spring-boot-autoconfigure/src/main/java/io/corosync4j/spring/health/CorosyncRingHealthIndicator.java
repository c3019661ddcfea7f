package io.corosync4j.spring.health;

import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.Membership;
import io.corosync4j.engine.runtime.NodeFailure;
import io.corosync4j.engine.runtime.NodeShutdown;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** UP while the node runs in a ring; the ring id, members and whether synchronization is done as details. */
public class CorosyncRingHealthIndicator extends AbstractHealthIndicator {

	private final CorosyncNodeLifecycle lifecycle;

	public CorosyncRingHealthIndicator(CorosyncNodeLifecycle lifecycle) {
		super("corosync ring health check failed");
		this.lifecycle = lifecycle;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		CorosyncNode node = this.lifecycle.getNodeIfRunning();
		if (node == null || node.isClosed()) {
			builder.down().withDetail("state", "stopped");
			NodeShutdown shutdown = (node != null) ? node.shutdown() : null;
			if (shutdown != null) {
				builder.withDetail("reason", shutdown.reason()).withDetail("at", shutdown.at().toString());
			}
			return;
		}
		NodeFailure failure = node.failure();
		if (failure != null) {
			builder.down()
				.withDetail("state", "failed")
				.withDetail("nodeId", node.nodeId())
				.withDetail("during", failure.during())
				.withDetail("error", failure.cause().toString())
				.withDetail("at", failure.at().toString());
			return;
		}
		Membership membership = node.membership();
		builder.up()
			.withDetail("nodeId", node.nodeId())
			.withDetail("ringId", String.valueOf(membership.ringId()))
			.withDetail("members", membership.members())
			.withDetail("synchronized", membership.synced());
	}

}
