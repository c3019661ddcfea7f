package io.corosync4j.spring.health;

import java.time.Instant;

import io.corosync4j.engine.sam.SamComponent;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * One SAM component: UP while checked and heart-beating, and while warned (it missed one interval and
 * still serves: the next miss recovers it, and its {@code state} detail says {@code WARNED}); DOWN once
 * failed, OUT_OF_SERVICE while it waits for quorum, UNKNOWN while stopped (or being restarted).
 */
public class SamComponentHealthIndicator extends AbstractHealthIndicator {

	private final SamComponent component;

	public SamComponentHealthIndicator(SamComponent component) {
		super("SAM health check failed");
		this.component = component;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		SamComponent.Status status = this.component.status();
		switch (status.state()) {
			case RUNNING, WARNED -> builder.up();
			case FAILED -> builder.down();
			case WAITING_FOR_QUORUM -> builder.outOfService();
			case STOPPED -> builder.unknown();
		}
		builder.withDetail("state", status.state())
			.withDetail("instanceId", status.instanceId())
			.withDetail("failures", status.failures());
		if (status.lastHeartbeat() > 0) {
			builder.withDetail("lastHeartbeat", Instant.ofEpochMilli(status.lastHeartbeat()).toString());
		}
		if (status.lastFailure() != null) {
			builder.withDetail("lastFailure", status.lastFailure());
		}
	}

}
