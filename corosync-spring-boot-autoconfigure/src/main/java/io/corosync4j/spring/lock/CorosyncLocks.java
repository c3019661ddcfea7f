package io.corosync4j.spring.lock;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.corosync4j.engine.lock.LockService;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running node's {@link LockService}, started on first use: joining the lock group is visible to
 * the other members and costs a state transfer, so an application that never locks never joins it. The
 * {@code corosync} endpoint and the lock meters read the service only once something started it
 * through this object (the {@link CorosyncLockRegistry} does). A node started again (the application
 * context restarted) has a service of its own, started on its first use.
 */
public class CorosyncLocks {

	private static final Logger logger = LoggerFactory.getLogger(CorosyncLocks.class);

	private final CorosyncNodeLifecycle lifecycle;

	private final List<Consumer<LockService>> startListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Started started;

	public CorosyncLocks(CorosyncNodeLifecycle lifecycle) {
		this.lifecycle = lifecycle;
	}

	/**
	 * The running node's lock service, started now if it was not.
	 * @throws IllegalStateException when the node is not running, or cannot tell its primary component
	 * (neither a quorum provider nor a nodelist)
	 */
	public LockService getLockService() {
		CorosyncNode node = this.lifecycle.getNode();
		Started current = this.started;
		if (current != null && current.node() == node) {
			return current.service();
		}
		LockService service;
		synchronized (this) {
			current = this.started;
			if (current != null && current.node() == node) {
				return current.service();
			}
			service = node.locks();
			this.started = new Started(node, service);
		}
		for (Consumer<LockService> listener : this.startListeners) {
			try {
				listener.accept(service);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of the lock service's start failed", ex);
			}
		}
		return service;
	}

	/** The running node's lock service if it was started through this object, or {@code null}. */
	public @Nullable LockService getLockServiceIfStarted() {
		Started current = this.started;
		CorosyncNode node = this.lifecycle.getNodeIfRunning();
		return (current != null && node != null && current.node() == node && !node.isClosed()) ? current.service()
				: null;
	}

	/**
	 * Calls {@code listener} with the lock service when it is started through this object (at once if it
	 * runs already), and again for the service of a node started later. A listener added just as the
	 * service starts may be called twice for it.
	 */
	public void onLockServiceStarted(Consumer<LockService> listener) {
		this.startListeners.add(listener);
		LockService running = getLockServiceIfStarted();
		if (running != null) {
			listener.accept(running);
		}
	}

	private record Started(CorosyncNode node, LockService service) {
	}

}
