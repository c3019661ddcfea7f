package io.corosync4j.spring.cluster;

import io.corosync4j.engine.cluster.ClusterView;
import org.springframework.context.ApplicationEvent;

/**
 * Published with the cluster membership's view: once with the current view when the node runs (no
 * changes listed), then at every change, with all the nodes and which of them joined, left or were
 * reconfigured (a node's announced boot time arrived). Published on the membership service's thread,
 * one at a time in the order of the views; a listener that takes its time delays the next one, never
 * the node.
 */
public class ClusterViewChangedEvent extends ApplicationEvent {

	private final ClusterView view;

	public ClusterViewChangedEvent(Object source, ClusterView view) {
		super(source);
		this.view = view;
	}

	/** The view: its number, its nodes, and who joined, left or was reconfigured. */
	public ClusterView getView() {
		return this.view;
	}

	/** The view's number: the ring's sequence number, the same on every member of the ring. */
	public long getViewNumber() {
		return this.view.viewNumber();
	}

}
