package io.corosync4j.spring.servicegroup;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.servicegroup.Fencer;
import io.corosync4j.engine.servicegroup.ServiceGroupException;
import io.corosync4j.engine.servicegroup.ServiceGroupService;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitListener;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.StateChange;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The running node's {@link ServiceGroupService}, started on first use: joining the service group
 * group is visible to the other members and costs a state transfer, so an application without an
 * active/standby bean never joins it. Units registered through {@link #register} have every change of
 * their state published as a {@link ServiceUnitStateChangedEvent}; the health contributor, the meters
 * and the {@code corosync} endpoint read the service only once something started it through this
 * object. A node started again (the application context restarted) has a service of its own.
 */
public class CorosyncServiceGroups {

	private static final Logger logger = LoggerFactory.getLogger(CorosyncServiceGroups.class);

	private final CorosyncNodeLifecycle lifecycle;

	private final ApplicationEventPublisher publisher;

	private final List<Consumer<ServiceGroupService>> startListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Started started;

	public CorosyncServiceGroups(CorosyncNodeLifecycle lifecycle, ApplicationEventPublisher publisher) {
		this.lifecycle = lifecycle;
		this.publisher = publisher;
	}

	/**
	 * The running node's service group service, started now if it was not.
	 * @throws IllegalStateException when the node is not running, or cannot tell its primary component
	 * (neither a quorum provider nor a nodelist)
	 */
	public ServiceGroupService getServiceGroupService() {
		CorosyncNode node = this.lifecycle.getNode();
		Started current = this.started;
		if (current != null && current.node() == node) {
			return current.service();
		}
		ServiceGroupService service;
		synchronized (this) {
			current = this.started;
			if (current != null && current.node() == node) {
				return current.service();
			}
			service = node.serviceGroups();
			this.started = new Started(node, service);
		}
		for (Consumer<ServiceGroupService> listener : this.startListeners) {
			try {
				listener.accept(service);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of the service group service's start failed", ex);
			}
		}
		return service;
	}

	/** The running node's service group service if it was started through this object, or {@code null}. */
	public @Nullable ServiceGroupService getServiceGroupServiceIfStarted() {
		Started current = this.started;
		CorosyncNode node = this.lifecycle.getNodeIfRunning();
		return (current != null && node != null && current.node() == node && !node.isClosed()) ? current.service()
				: null;
	}

	/**
	 * Calls {@code listener} with the service when it is started through this object (at once if it runs
	 * already), and again for the service of a node started later. A listener added just as the service
	 * starts may be called twice for it.
	 */
	public void onServiceGroupServiceStarted(Consumer<ServiceGroupService> listener) {
		this.startListeners.add(listener);
		ServiceGroupService running = getServiceGroupServiceIfStarted();
		if (running != null) {
			listener.accept(running);
		}
	}

	/**
	 * Offers a unit of {@code spec.group()} on the running node's service, as
	 * {@link ServiceGroupService#register(ServiceUnitSpec, ServiceUnitListener, Fencer)} does, and publishes
	 * each change of its state as a {@link ServiceUnitStateChangedEvent} once {@code listener} heard it.
	 * Both run on the service's callback thread, never the node's event loop; the next change waits for
	 * them, so a slow event listener delays the unit's own listener.
	 * @throws ServiceGroupException when this process already offers a unit of the group, or the service
	 * closed
	 */
	public ServiceUnit register(ServiceUnitSpec spec, ServiceUnitListener listener, @Nullable Fencer fencer)
			throws ServiceGroupException {
		Publishing publishing = new Publishing(listener);
		ServiceUnit unit = getServiceGroupService().register(spec, publishing, fencer);
		publishing.unit = unit;
		return unit;
	}

	private record Started(CorosyncNode node, ServiceGroupService service) {
	}

	/** The application's listener, then the event. */
	private final class Publishing implements ServiceUnitListener {

		private final ServiceUnitListener delegate;

		/** Set right after the registration; the first change is told on the callback thread after that. */
		volatile @Nullable ServiceUnit unit;

		Publishing(ServiceUnitListener delegate) {
			this.delegate = delegate;
		}

		@Override
		public void onStateChange(ServiceUnitState previous, ServiceUnitState next, StateChange change) {
			try {
				this.delegate.onStateChange(previous, next, change);
			}
			finally {
				try {
					CorosyncServiceGroups.this.publisher.publishEvent(new ServiceUnitStateChangedEvent(
							CorosyncServiceGroups.this, this.unit, previous, next, change));
				}
				catch (RuntimeException ex) {
					logger.error("A listener of ServiceUnitStateChangedEvent failed", ex);
				}
			}
		}

	}

}
