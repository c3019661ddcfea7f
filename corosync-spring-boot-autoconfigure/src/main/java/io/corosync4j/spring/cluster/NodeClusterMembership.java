package io.corosync4j.spring.cluster;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import io.corosync4j.engine.cluster.ClusterMembership;
import io.corosync4j.engine.cluster.ClusterNode;
import io.corosync4j.engine.cluster.ClusterView;
import io.corosync4j.engine.cluster.TrackFlag;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The running node's {@link ClusterMembership}, as a bean that exists before the node does: it starts
 * the node's service right after the node (and publishes its views as {@link ClusterViewChangedEvent}s),
 * and lets go of it right before the node stops. Queries while the node is not running throw
 * {@link IllegalStateException}; trackings made before it runs start with it, and carry over to the node
 * of a restarted context.
 */
final class NodeClusterMembership implements ClusterMembership, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(NodeClusterMembership.class);

	private final CorosyncNodeLifecycle lifecycle;

	private final ApplicationEventPublisher publisher;

	/** Guarded by {@code this}. */
	private final List<Registration> registrations = new ArrayList<>();

	private volatile @Nullable ClusterMembership running;

	/** Guarded by {@code this}. */
	private @Nullable Tracking events;

	NodeClusterMembership(CorosyncNodeLifecycle lifecycle, ApplicationEventPublisher publisher) {
		this.lifecycle = lifecycle;
		this.publisher = publisher;
	}

	@Override
	public long localNodeId() {
		return service().localNodeId();
	}

	@Override
	public ClusterView view() {
		return service().view();
	}

	@Override
	public Optional<ClusterNode> node(long nodeid) {
		return service().node(nodeid);
	}

	@Override
	public Tracking track(Set<TrackFlag> flags, Consumer<ClusterView> callback) {
		TrackFlag.check(flags);
		Registration registration = new Registration(EnumSet.copyOf(flags), callback);
		synchronized (this) {
			ClusterMembership service = this.running;
			if (service != null) {
				// attached first: a call that throws leaves nothing registered
				registration.attach(service);
			}
			this.registrations.add(registration);
		}
		return registration;
	}

	@Override
	public long malformedMessages() {
		return service().malformedMessages();
	}

	private ClusterMembership service() {
		ClusterMembership service = this.running;
		CorosyncNode node = this.lifecycle.getNodeIfRunning();
		if (service == null || node == null || node.isClosed()) {
			throw new IllegalStateException("the corosync4j node is not running");
		}
		return service;
	}

	// ---------------------------------------------------------------------------------------------
	// Lifecycle

	@Override
	public synchronized void start() {
		CorosyncNode node = this.lifecycle.getNodeIfRunning();
		if (this.running != null || node == null || node.isClosed()) {
			return;
		}
		ClusterMembership service = node.clusterMembership();
		this.events = service.track(EnumSet.of(TrackFlag.CURRENT, TrackFlag.CHANGES), this::publish);
		for (Registration registration : this.registrations) {
			registration.attach(service);
		}
		this.running = service;
	}

	@Override
	public synchronized void stop() {
		Tracking publishing = this.events;
		this.events = null;
		if (publishing != null) {
			publishing.close();
		}
		for (Registration registration : this.registrations) {
			registration.detach();
		}
		this.running = null;
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	/** Right after the node, so it stops right before the node leaves. */
	@Override
	public int getPhase() {
		return CorosyncNodeLifecycle.PHASE + 1;
	}

	private void publish(ClusterView view) {
		try {
			this.publisher.publishEvent(new ClusterViewChangedEvent(this, view));
		}
		catch (RuntimeException ex) {
			logger.error("A listener of ClusterViewChangedEvent failed", ex);
		}
	}

	/** An application's tracking, on the service of whichever node runs. */
	private final class Registration implements Tracking {

		private final Set<TrackFlag> flags;

		private final Consumer<ClusterView> callback;

		/** Guarded by the outer instance. */
		private @Nullable Tracking attached;

		Registration(Set<TrackFlag> flags, Consumer<ClusterView> callback) {
			this.flags = flags;
			this.callback = callback;
		}

		void attach(ClusterMembership service) {
			this.attached = service.track(this.flags, this.callback);
		}

		void detach() {
			Tracking current = this.attached;
			this.attached = null;
			if (current != null) {
				current.close();
			}
		}

		@Override
		public void close() {
			synchronized (NodeClusterMembership.this) {
				NodeClusterMembership.this.registrations.remove(this);
				detach();
			}
		}

	}

}
