package io.corosync4j.spring.health;

import java.nio.file.Path;

import io.corosync4j.spring.CorosyncIpcLifecycle;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while the node serves Corosync's tools and client libraries, with the clients connected now;
 * DOWN once it stopped serving (the node stopped, or the application is shutting down).
 */
public class CorosyncIpcHealthIndicator extends AbstractHealthIndicator {

	private final CorosyncIpcLifecycle ipc;

	public CorosyncIpcHealthIndicator(CorosyncIpcLifecycle ipc) {
		super("corosync IPC health check failed");
		this.ipc = ipc;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Integer connections = this.ipc.getConnections();
		if (connections == null) {
			builder.down().withDetail("state", "stopped");
			return;
		}
		builder.up().withDetail("connections", connections).withDetail("transport", this.ipc.getTransport());
		Path namespace = this.ipc.getSettings().networkNamespace();
		if (namespace != null) {
			builder.withDetail("networkNamespace", namespace.toString());
		}
		Path sockets = this.ipc.getSettings().socketDirectory();
		if (sockets != null) {
			builder.withDetail("socketDirectory", sockets.toString());
		}
	}

}
