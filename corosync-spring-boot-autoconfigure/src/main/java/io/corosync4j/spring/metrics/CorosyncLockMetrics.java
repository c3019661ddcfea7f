package io.corosync4j.spring.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.corosync4j.engine.lock.LockService;
import io.corosync4j.engine.lock.LockStatistics;
import io.corosync4j.spring.lock.CorosyncLocks;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The lock service's counters ({@link LockService#statistics()}) as {@code corosync.lock.*} meters,
 * registered once the application starts the lock service (its first lock): an application that never
 * locks has none. Values are read when the registry asks; while the service is not running they read
 * as 0.
 */
public class CorosyncLockMetrics implements MeterBinder {

	private final CorosyncLocks locks;

	public CorosyncLockMetrics(CorosyncLocks locks) {
		this.locks = locks;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.locks.onLockServiceStarted((service) -> register(registry));
	}

	private synchronized void register(MeterRegistry registry) {
		if (registry.find("corosync.lock.grants").functionCounter() != null) {
			return;
		}
		counter(registry, "corosync.lock.requests", LockStatistics::requests, "Lock requests this member made");
		counter(registry, "corosync.lock.grants", LockStatistics::grants, "Locks granted to this member");
		counter(registry, "corosync.lock.waits", LockStatistics::waits,
				"Grants that had to wait for another holder first");
		counter(registry, "corosync.lock.refusals", LockStatistics::refusals,
				"Requests refused: not available, deadlock, timeout, no quorum or closed");
		counter(registry, "corosync.lock.timeouts", LockStatistics::timeouts, "Requests that waited out their timeout");
		counter(registry, "corosync.lock.lost", LockStatistics::lost,
				"Held locks this member lost because its component lost quorum or the service closed");
		Gauge.builder("corosync.lock.held", this, (self) -> self.statistic(LockStatistics::held))
			.description("Locks this member holds")
			.register(registry);
		Gauge.builder("corosync.lock.waiting", this, (self) -> self.statistic(LockStatistics::waiting))
			.description("Requests of this member waiting to be granted")
			.register(registry);
		FunctionTimer.builder("corosync.lock.wait.time", this, (self) -> (long) self.statistic(LockStatistics::grants),
				(self) -> self.statistic(LockStatistics::waitNanos), TimeUnit.NANOSECONDS)
			.description("Time from request to grant, per granted lock")
			.register(registry);
	}

	private void counter(MeterRegistry registry, String name, ToDoubleFunction<LockStatistics> value,
			String description) {
		FunctionCounter.builder(name, this, (self) -> self.statistic(value)).description(description).register(registry);
	}

	private double statistic(ToDoubleFunction<LockStatistics> value) {
		LockService service = this.locks.getLockServiceIfStarted();
		return (service != null) ? value.applyAsDouble(service.statistics()) : 0;
	}

}
