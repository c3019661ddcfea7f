package io.corosync4j.spring.servicegroup;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.StateChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers a service unit for every {@link ActiveStandbyService} bean and drives the bean with its unit's
 * state: {@code start} on {@link ServiceUnitState#ACTIVE}, {@code quiesce} on
 * {@link ServiceUnitState#QUIESCING}, {@code stop} on any other state after active, {@code standby} on
 * {@link ServiceUnitState#STANDBY} and {@link ServiceUnitState#QUIESCED}.
 */
public class ActiveStandbyServiceRegistrar extends ServiceUnitRegistrar {

	private static final Logger logger = LoggerFactory.getLogger(ActiveStandbyServiceRegistrar.class);

	private final Supplier<List<ActiveStandbyService>> services;

	/**
	 * @param serviceGroups the node's service group service
	 * @param defaults the spec of a group's unit before the bean adjusts it
	 * @param services the beans, asked for at the first start
	 */
	public ActiveStandbyServiceRegistrar(CorosyncServiceGroups serviceGroups, Function<String, ServiceUnitSpec> defaults,
			Supplier<List<ActiveStandbyService>> services) {
		super(serviceGroups, defaults);
		this.services = services;
	}

	@Override
	List<? extends Binding> bindings() {
		return this.services.get().stream().map(ServiceBinding::new).toList();
	}

	private static final class ServiceBinding extends Binding {

		private final ActiveStandbyService service;

		private final AtomicBoolean running = new AtomicBoolean();

		ServiceBinding(ActiveStandbyService service) {
			this.service = service;
		}

		@Override
		String group() {
			return this.service.getServiceGroup();
		}

		@Override
		ServiceUnitSpec spec(ServiceUnitSpec defaults) {
			return this.service.getServiceUnitSpec(defaults);
		}

		@Override
		public void onStateChange(ServiceUnitState previous, ServiceUnitState next, StateChange change) {
			if (next == ServiceUnitState.ACTIVE) {
				if (this.running.compareAndSet(false, true)) {
					try {
						this.service.start(change);
					}
					catch (RuntimeException ex) {
						this.running.set(false);
						logger.error("{} failed to start; reporting its unit failed", this, ex);
						fail("start failed: " + ex);
					}
				}
			}
			else if (next == ServiceUnitState.QUIESCING) {
				if (this.running.compareAndSet(true, false)) {
					try {
						this.service.quiesce(change);
					}
					catch (RuntimeException ex) {
						logger.error("{} failed to quiesce; handing over anyway", this, ex);
						change.quiesced().complete(null);
					}
				}
				else {
					change.quiesced().complete(null);
				}
			}
			else {
				if (this.running.compareAndSet(true, false)) {
					try {
						this.service.stop(change);
					}
					catch (RuntimeException ex) {
						logger.error("{} failed to stop", this, ex);
					}
				}
				if (next == ServiceUnitState.STANDBY || next == ServiceUnitState.QUIESCED) {
					try {
						this.service.standby(change);
					}
					catch (RuntimeException ex) {
						logger.error("{} failed to prepare as a standby", this, ex);
					}
				}
			}
		}

		@Override
		void withdrawn() {
			if (this.running.get()) {
				logger.warn("{} still runs after its unit's withdrawal; it is stopped when its listener hears it", this);
			}
		}

		@Override
		public String toString() {
			return "active/standby service " + this.service + " of group '" + group() + "'";
		}

	}

}
