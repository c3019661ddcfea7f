package io.corosync4j.spring;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.NodeFailure;
import io.corosync4j.engine.runtime.NodeShutdown;
import io.corosync4j.engine.service.cpg.CpgService;
import io.corosync4j.engine.service.votequorum.QuorumState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;

/**
 * The cluster node in the application's lifecycle: started early (before the web server takes
 * traffic) and running once it has formed and synchronized its first ring, stopped late with a leave
 * message so the others re-form at once. Its rings, synchronizations and quorum changes are published
 * as {@link CorosyncMembershipChangedEvent}, {@link CorosyncSynchronizedEvent} and
 * {@link CorosyncQuorumChangedEvent}.
 */
public class CorosyncNodeLifecycle implements SmartLifecycle, ApplicationEventPublisherAware, DisposableBean {

	/** Before the web server ({@code DEFAULT_PHASE - 1024}) and well before listeners join their groups. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Logger logger = LoggerFactory.getLogger(CorosyncNodeLifecycle.class);

	private final CorosyncConfig config;

	private final HostNetwork host;

	private final long sendQueueBytes;

	private final Duration startupTimeout;

	private final Duration startupSettle;

	private volatile @Nullable CorosyncNode node;

	private @Nullable ApplicationEventPublisher publisher;

	private volatile @Nullable NodeEvents events;

	/**
	 * @param config the validated configuration
	 * @param host how the local node is found among the nodelist's addresses
	 * @param sendQueueBytes the CPG send queue's bound
	 * @param startupTimeout how long {@link #start} waits for the first synchronized ring
	 * @param startupSettle how long it then waits for the other nodelist members to merge in
	 */
	public CorosyncNodeLifecycle(CorosyncConfig config, HostNetwork host, long sendQueueBytes, Duration startupTimeout,
			Duration startupSettle) {
		this.config = config;
		this.host = host;
		this.sendQueueBytes = sendQueueBytes;
		this.startupTimeout = startupTimeout;
		this.startupSettle = startupSettle;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/** The configuration the node runs (or will run) with. */
	public CorosyncConfig getConfig() {
		return this.config;
	}

	/**
	 * The running node.
	 * @throws IllegalStateException when the node is not running (before start, after stop)
	 */
	public CorosyncNode getNode() {
		CorosyncNode current = this.node;
		if (current == null) {
			throw new IllegalStateException("the corosync4j node is not running");
		}
		return current;
	}

	/** The running node, or {@code null}. */
	public @Nullable CorosyncNode getNodeIfRunning() {
		return this.node;
	}

	@Override
	public void start() {
		if (this.node != null) {
			return;
		}
		ApplicationEventPublisher publisher = this.publisher;
		NodeEvents events = (publisher != null) ? new NodeEvents(this, publisher) : null;
		CorosyncNode.Builder builder = CorosyncNode.builder(this.config)
			.hostNetwork(this.host)
			.cpg(new CpgService(this.sendQueueBytes));
		if (events != null) {
			builder.membershipListener(events::membershipChanged);
		}
		CorosyncNode started = builder.start();
		try {
			started.awaitMembership((membership) -> membership.synced()
					&& membership.members().contains(started.nodeId()), this.startupTimeout);
			settle(started);
		}
		catch (TimeoutException ex) {
			stopped(started, events);
			throw new IllegalStateException("corosync4j node " + started.nodeId() + " formed no ring within "
					+ this.startupTimeout + " (corosync.startup-timeout)", ex);
		}
		catch (InterruptedException ex) {
			stopped(started, events);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while node " + started.nodeId() + " formed its ring", ex);
		}
		if (events != null) {
			started.votequorum().ifPresent((votequorum) -> {
				votequorum.addListener(events::quorumChanged);
				QuorumState state = votequorum.state();
				if (state != null) {
					events.quorumAtStart(state);
				}
			});
		}
		this.events = events;
		this.node = started;
		started.addFailureListener(this::failed);
		started.addShutdownListener(this::shutDown);
		List<Long> members = started.membership().members();
		logger.info("corosync4j node {} is in ring {} with members {}", started.nodeId(),
				started.membership().ringId(), members);
	}

	private void failed(NodeFailure failure) {
		logger.error("The corosync4j {}; health is DOWN from now on", failure.describe());
		publish(new CorosyncNodeFailedEvent(this, failure));
	}

	private void shutDown(NodeShutdown shutdown) {
		logger.warn("The corosync4j {}; health is DOWN from now on", shutdown.describe());
		publish(new CorosyncNodeShutdownEvent(this, shutdown));
	}

	/** After the membership events the node reported before, on their thread. */
	private void publish(ApplicationEvent event) {
		NodeEvents events = this.events;
		if (events != null) {
			events.publish(event);
			return;
		}
		ApplicationEventPublisher current = this.publisher;
		if (current != null) {
			current.publishEvent(event);
		}
	}

	/** A node that stopped by itself (fail-stop, CFG) is not running, so Spring skips {@link #stop()}. */
	@Override
	public void destroy() {
		NodeEvents events = this.events;
		this.events = null;
		if (events != null) {
			events.close();
		}
	}

	/**
	 * A starting node first forms a ring of its own; running members merge it in moments later. Joining
	 * CPG groups before that would show them as empty, so start-up waits (bounded) for the nodelist.
	 */
	private void settle(CorosyncNode started) throws InterruptedException {
		int nodelist = this.config.totemNodes().size();
		try {
			started.awaitMembership((membership) -> membership.synced() && membership.members().size() >= nodelist,
					this.startupSettle);
		}
		catch (TimeoutException ex) {
			logger.info("Node {} goes on with members {}; the rest of the nodelist did not join within {}",
					started.nodeId(), started.membership().members(), this.startupSettle);
		}
	}

	@Override
	public void stop() {
		CorosyncNode current = this.node;
		this.node = null;
		if (current != null) {
			stopped(current, this.events);
		}
		this.events = null;
	}

	/** Closes the node, then publishes what it reported before (bounded). */
	private static void stopped(CorosyncNode node, @Nullable NodeEvents events) {
		node.close();
		if (events != null) {
			events.close();
		}
	}

	@Override
	public boolean isRunning() {
		CorosyncNode current = this.node;
		return current != null && !current.isClosed();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
