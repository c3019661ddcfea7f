package io.corosync4j.spring;

import io.corosync4j.engine.runtime.NodeShutdown;
import org.springframework.context.ApplicationEvent;

/**
 * Published when a service stopped the cluster node: an administrator's {@code corosync-cfgtool -H} or
 * another member's kill ({@code corosync-cfgtool -k}), or another configuration version in the ring.
 * The node has left its ring and the {@code corosync} health is DOWN from then on. The {@code corosync}
 * daemon would exit here ({@link NodeShutdown#exitStatus()}); an application that cannot work without
 * its node does the same, for example with {@code SpringApplication.exit}.
 */
public class CorosyncNodeShutdownEvent extends ApplicationEvent {

	private final NodeShutdown shutdown;

	public CorosyncNodeShutdownEvent(Object source, NodeShutdown shutdown) {
		super(source);
		this.shutdown = shutdown;
	}

	/** Who asked the node to stop, and the daemon's exit status. */
	public NodeShutdown getShutdown() {
		return this.shutdown;
	}

}
