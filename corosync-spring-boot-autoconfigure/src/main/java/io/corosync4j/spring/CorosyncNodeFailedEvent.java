package io.corosync4j.spring;

import io.corosync4j.engine.runtime.NodeFailure;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the cluster node stopped itself after an internal error (fail-stop): it sends nothing
 * more and the other members see it fail; the {@code corosync} health is DOWN from then on. The
 * {@code corosync} daemon would exit here ({@link NodeFailure#exitStatus()}); an application that
 * cannot work without its node does the same, for example with {@code SpringApplication.exit}, and is
 * restarted by its supervisor.
 */
public class CorosyncNodeFailedEvent extends ApplicationEvent {

	private final NodeFailure failure;

	public CorosyncNodeFailedEvent(Object source, NodeFailure failure) {
		super(source);
		this.failure = failure;
	}

	/** What the node was doing and the exception that stopped it. */
	public NodeFailure getFailure() {
		return this.failure;
	}

}
