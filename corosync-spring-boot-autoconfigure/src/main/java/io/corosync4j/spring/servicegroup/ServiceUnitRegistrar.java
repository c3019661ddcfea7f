package io.corosync4j.spring.servicegroup;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.corosync4j.engine.servicegroup.Fencer;
import io.corosync4j.engine.servicegroup.ServiceGroupError;
import io.corosync4j.engine.servicegroup.ServiceGroupException;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitListener;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Offers one service unit for each of some beans while the application runs: registered right after the
 * node started, withdrawn right before it stops (so the group fails over at once instead of when the
 * node's departure settles). A restarted context offers them again, on the new node's service.
 */
abstract class ServiceUnitRegistrar implements SmartLifecycle {

	/** How long {@link #stop()} waits for a unit's withdrawal and for its bean to hear it. */
	static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(ServiceUnitRegistrar.class);

	private final CorosyncServiceGroups serviceGroups;

	private final Function<String, ServiceUnitSpec> defaults;

	private @Nullable Fencer fencer;

	private volatile @Nullable List<? extends Binding> bindings;

	private volatile boolean running;

	ServiceUnitRegistrar(CorosyncServiceGroups serviceGroups, Function<String, ServiceUnitSpec> defaults) {
		this.serviceGroups = serviceGroups;
		this.defaults = defaults;
	}

	/**
	 * Makes sure a former active whose node failed can do no harm before a unit of this registrar takes
	 * over from it; {@code null} (the default): none, the grace period is all that separates them.
	 */
	public void setFencer(@Nullable Fencer fencer) {
		this.fencer = fencer;
	}

	/** The beans to offer units for, looked up once, at the first start (every singleton exists by then). */
	abstract List<? extends Binding> bindings();

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		List<? extends Binding> current = this.bindings;
		if (current == null) {
			current = bindings();
			this.bindings = current;
		}
		if (current.isEmpty()) {
			this.running = true;
			return;
		}
		for (Binding binding : current) {
			ServiceUnitSpec spec = binding.spec(this.defaults.apply(binding.group()));
			if (!spec.group().equals(binding.group())) {
				throw new IllegalStateException(binding + " changed its group to '" + spec.group() + "' in its spec");
			}
			try {
				binding.unit = this.serviceGroups.register(spec, binding, this.fencer);
			}
			catch (ServiceGroupException ex) {
				withdraw(current);
				if (ex.error() == ServiceGroupError.EXISTS) {
					throw new IllegalStateException("Service group '" + binding.group()
							+ "' is offered twice by this application: a process has one unit per group", ex);
				}
				throw new IllegalStateException("Could not offer a unit of service group '" + binding.group() + "'", ex);
			}
		}
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		List<? extends Binding> current = this.bindings;
		if (current != null) {
			withdraw(current);
		}
		this.running = false;
	}

	private static void withdraw(List<? extends Binding> bindings) {
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		for (Binding binding : bindings) {
			ServiceUnit unit = binding.unit;
			binding.unit = null;
			if (unit == null) {
				continue;
			}
			try {
				// completes after the unit's listener was told UNASSIGNED (same callback thread)
				unit.withdraw().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException closed) {
				// the service closed (the node stopped first): it told the listener itself
			}
			catch (TimeoutException ex) {
				logger.warn("The withdrawal of {} took longer than {}; stopping it anyway", unit, STOP_TIMEOUT);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			binding.withdrawn();
		}
	}

	/** The unit this registrar offers for {@code group} now, or {@code null}. */
	public @Nullable ServiceUnit unit(String group) {
		List<? extends Binding> current = this.bindings;
		if (current != null) {
			for (Binding binding : current) {
				if (binding.group().equals(group)) {
					return binding.unit;
				}
			}
		}
		return null;
	}

	/** Whether the unit this registrar offers for {@code group} is active. */
	public boolean isActive(String group) {
		List<? extends Binding> current = this.bindings;
		if (current == null) {
			return false;
		}
		for (Binding binding : current) {
			ServiceUnit unit = binding.unit;
			if (binding.group().equals(group) && unit != null && unit.isActive()) {
				return true;
			}
		}
		return false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Right after the node (and its membership), so the units go right before the node leaves. */
	@Override
	public int getPhase() {
		return CorosyncNodeLifecycle.PHASE + 2;
	}

	/** One bean's unit: the bean's side of its state changes. */
	abstract static class Binding implements ServiceUnitListener {

		volatile @Nullable ServiceUnit unit;

		/** The group to offer a unit of. */
		abstract String group();

		/** The unit's spec, from the application's defaults for the group. */
		abstract ServiceUnitSpec spec(ServiceUnitSpec defaults);

		/**
		 * The unit was withdrawn and its listener heard it, or did not within the bound: what still runs
		 * is ended here if it can be without a {@code StateChange} (a candidate is revoked), else logged.
		 */
		abstract void withdrawn();

		void fail(String reason) {
			ServiceUnit current = this.unit;
			if (current != null) {
				current.fail(reason);
			}
		}

	}

}
