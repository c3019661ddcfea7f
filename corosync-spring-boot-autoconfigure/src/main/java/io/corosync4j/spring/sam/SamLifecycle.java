package io.corosync4j.spring.sam;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.sam.Sam;
import io.corosync4j.engine.sam.SamComponent;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.Lifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.util.ReflectionUtils;

/**
 * Registers and starts the {@link SamHealthCheck} components once the node runs, feeds quorum changes to
 * SAM, and (by default) maps quorum onto readiness: REFUSING_TRAFFIC while the partition is not quorate.
 * Quorum loss reaches liveness only through a component with the QUORUM flag and a QUIT or RESTART
 * policy, because a partition must not restart every instance.
 */
public class SamLifecycle implements SmartLifecycle {

	/** After the node, before the web server and the CPG listeners. */
	public static final int PHASE = CorosyncNodeLifecycle.PHASE + 1024;

	private static final Logger logger = LoggerFactory.getLogger(SamLifecycle.class);

	private final Sam sam;

	private final CorosyncNodeLifecycle node;

	private final SamHealthCheckBeanPostProcessor checks;

	private final ApplicationEventPublisher events;

	private final boolean quorumReadiness;

	private final boolean exitOnQuit;

	private final ExecutorService recoveries = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "sam-recovery");
		thread.setDaemon(true);
		return thread;
	});

	private final List<SamComponent> components = new ArrayList<>();

	private volatile boolean running;

	private Function<Object, @Nullable ServiceUnit> units = (bean) -> null;

	private volatile boolean lastQuorate = true;

	public SamLifecycle(Sam sam, CorosyncNodeLifecycle node, SamHealthCheckBeanPostProcessor checks,
			ApplicationEventPublisher events, boolean quorumReadiness, boolean exitOnQuit) {
		this.sam = sam;
		this.node = node;
		this.checks = checks;
		this.events = events;
		this.quorumReadiness = quorumReadiness;
		this.exitOnQuit = exitOnQuit;
	}

	/**
	 * Where a health-checked bean's service unit is found: a bean that is also an active/standby service
	 * escalates to its group, so a failed check fails the group over before SAM restarts the bean.
	 */
	public void setServiceUnits(Function<Object, @Nullable ServiceUnit> units) {
		this.units = units;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		CorosyncNode current = this.node.getNode();
		current.votequorum().ifPresent((votequorum) -> {
			votequorum.addListener((state) -> this.recoveries.execute(() -> {
				this.sam.quorumChanged();
				quorumReadiness(state.quorate());
			}));
			// a node that starts without quorum hears of no change until it gains it: it refuses from the
			// start (read after the listener is added, so no later change is overtaken by this one)
			boolean quorate = votequorum.quorate();
			this.recoveries.execute(() -> quorumReadiness(quorate));
		});
		for (SamHealthCheckBeanPostProcessor.Check check : this.checks.checks()) {
			SamComponent component = this.sam.register(check.name(), check.options(), new BeanRecovery(check));
			component.healthCheck(() -> invoke(check));
			this.components.add(component);
			component.start();
		}
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		for (SamComponent component : this.components) {
			component.close();
		}
		this.components.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** On {@code sam-recovery}, where every readiness this class publishes is decided, in order. */
	private void quorumReadiness(boolean quorate) {
		if (!this.quorumReadiness || quorate == this.lastQuorate) {
			return;
		}
		this.lastQuorate = quorate;
		logger.info(quorate ? "Quorum regained: accepting traffic" : "Quorum lost: refusing traffic");
		AvailabilityChangeEvent.publish(this.events, this,
				quorate ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC);
	}

	/**
	 * Boot declares the application ready once it started, and other components may too: without quorum
	 * that is overruled, on {@code sam-recovery} behind the quorum changes before it, so a refusal can
	 * never outlast a quorum regained meanwhile. Ordered last, so the event it answers is recorded before
	 * (Boot's availability bean listens at the same order and was registered first).
	 */
	@EventListener
	@Order(Ordered.LOWEST_PRECEDENCE)
	void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
		if (!this.quorumReadiness || event.getState() != ReadinessState.ACCEPTING_TRAFFIC
				|| event.getSource() == this) {
			return;
		}
		this.recoveries.execute(() -> {
			if (!this.lastQuorate) {
				AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
			}
		});
	}

	private static boolean invoke(SamHealthCheckBeanPostProcessor.Check check) throws Exception {
		Object result;
		try {
			ReflectionUtils.makeAccessible(check.method());
			result = check.method().invoke(check.bean());
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw ex;
		}
		if (result instanceof Boolean healthy) {
			return healthy;
		}
		return HealthResults.isUp(result);
	}

	/** RESTART: stop and start a Lifecycle bean, then check again; QUIT: liveness BROKEN. */
	private final class BeanRecovery implements SamComponent.Recovery {

		private final SamHealthCheckBeanPostProcessor.Check check;

		BeanRecovery(SamHealthCheckBeanPostProcessor.Check check) {
			this.check = check;
		}

		@Override
		public void warn() {
			logger.warn("SAM component {} missed its health check; it is restarted or quit at the next miss",
					this.check.name());
		}

		@Override
		public void restart(int newInstanceId) {
			ServiceUnit unit = SamLifecycle.this.units.apply(this.check.bean());
			if (unit != null) {
				// the standby takes over now, not once this bean is back; the bean comes back a standby
				logger.warn("SAM component {} failed: its unit of service group '{}' fails over before the restart",
						this.check.name(), unit.group());
				unit.fail("SAM health check " + this.check.name() + " failed").whenComplete((done, failure) -> {
					restartBean(newInstanceId);
					unit.repair();
				});
				return;
			}
			restartBean(newInstanceId);
		}

		private void restartBean(int newInstanceId) {
			SamLifecycle.this.recoveries.execute(() -> {
				if (this.check.bean() instanceof Lifecycle lifecycle) {
					lifecycle.stop();
					lifecycle.start();
				}
				SamComponent component = SamLifecycle.this.sam.component(this.check.name());
				if (component != null && SamLifecycle.this.running) {
					component.start();
				}
				logger.info("SAM component {} restarted as instance {}", this.check.name(), newInstanceId);
			});
		}

		@Override
		public void quit() {
			ServiceUnit unit = SamLifecycle.this.units.apply(this.check.bean());
			if (unit != null) {
				unit.fail("SAM gave up on " + this.check.name());
			}
			logger.error("SAM component {} failed for good: liveness is BROKEN", this.check.name());
			AvailabilityChangeEvent.publish(SamLifecycle.this.events, this, LivenessState.BROKEN);
			if (SamLifecycle.this.exitOnQuit) {
				SamLifecycle.this.recoveries.execute(() -> System.exit(1));
			}
		}

	}

}
