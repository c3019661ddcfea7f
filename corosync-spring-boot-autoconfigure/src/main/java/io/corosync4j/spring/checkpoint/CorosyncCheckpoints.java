package io.corosync4j.spring.checkpoint;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.CheckpointService;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running node's {@link CheckpointService}, started on first use: joining the checkpoint group is
 * visible to the other members and costs a state transfer (every checkpoint's sections), so an
 * application that never opens a checkpoint never joins it. The health contributor, the meters and
 * the {@code corosync} endpoint read the service only once something started it through this object.
 * A node started again (the application context restarted) has a service of its own, started on its
 * first use: checkpoints opened on the old one are closed with it.
 */
public class CorosyncCheckpoints {

	private static final Logger logger = LoggerFactory.getLogger(CorosyncCheckpoints.class);

	private final CorosyncNodeLifecycle lifecycle;

	private final List<Consumer<CheckpointService>> startListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Started started;

	public CorosyncCheckpoints(CorosyncNodeLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	/**
	 * The running node's checkpoint service, started now if it was not; its {@code ready()} completes
	 * once this member holds the checkpoints.
	 * @throws IllegalStateException when the node is not running, or cannot tell its primary component
	 * (neither a quorum provider nor a nodelist)
	 */
	public CheckpointService getCheckpointService() {
		CorosyncNode node = this.lifecycle.getNode();
		Started current = this.started;
		if (current != null && current.node() == node) {
			return current.service();
		}
		CheckpointService service;
		synchronized (this) {
			current = this.started;
			if (current != null && current.node() == node) {
				return current.service();
			}
			service = node.checkpoints();
			this.started = new Started(node, service);
		}
		for (Consumer<CheckpointService> listener : this.startListeners) {
			try {
				listener.accept(service);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of the checkpoint service's start failed", ex);
			}
		}
		return service;
	}

	/**
	 * Opens a checkpoint once this member holds the checkpoints (at once when it does), starting the
	 * service if needed: {@link CheckpointService#open} itself refuses while the state transfer of a join
	 * is under way. Creates the checkpoint when {@code attributes} are given and none has the name.
	 * @throws IllegalStateException when the node is not running
	 */
	public CompletableFuture<Checkpoint> open(String name, @Nullable CheckpointAttributes attributes) {
		CheckpointService service = getCheckpointService();
		return service.ready().toCompletableFuture().thenCompose((ready) -> service.open(name, attributes));
	}

	/** The running node's checkpoint service if it was started through this object, or {@code null}. */
	public @Nullable CheckpointService getCheckpointServiceIfStarted() {
		Started current = this.started;
		CorosyncNode node = this.lifecycle.getNodeIfRunning();
		return (current != null && node != null && current.node() == node && !node.isClosed()) ? current.service()
				: null;
	}

	/**
	 * Calls {@code listener} with the checkpoint service when it is started through this object (at once if it
	 * runs already), and again for the service of a node started later. A listener added just as the
	 * service starts may be called twice for it.
	 */
	public void onCheckpointServiceStarted(Consumer<CheckpointService> listener) {
		this.startListeners.add(listener);
		CheckpointService running = getCheckpointServiceIfStarted();
		if (running != null) {
			listener.accept(running);
		}
	}

	private record Started(CorosyncNode node, CheckpointService service) {
	}

}
