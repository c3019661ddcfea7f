package io.corosync4j.spring.metrics;

import java.util.function.ToDoubleFunction;

import io.corosync4j.engine.servicegroup.ServiceGroupService;
import io.corosync4j.engine.servicegroup.ServiceGroupStatistics;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.spring.servicegroup.CorosyncServiceGroups;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The service group service's counters ({@link ServiceGroupService#statistics()}) as
 * {@code corosync.servicegroup.*} meters, and this process's units by state
 * ({@code corosync.servicegroup.units{state}}, one gauge per state: a fixed set of tags). Registered once
 * the application starts the service (its first unit); read when the registry asks, 0 while the
 * service is not running.
 */
public class CorosyncServiceGroupMetrics implements MeterBinder {

	private final CorosyncServiceGroups serviceGroups;

	public CorosyncServiceGroupMetrics(CorosyncServiceGroups serviceGroups) {
		this.serviceGroups = serviceGroups;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.serviceGroups.onServiceGroupServiceStarted((service) -> register(registry));
	}

	private synchronized void register(MeterRegistry registry) {
		if (registry.find("corosync.servicegroup.failovers").functionCounter() != null) {
			return;
		}
		counter(registry, "corosync.servicegroup.failovers", ServiceGroupStatistics::failovers,
				"Failovers applied while this member held the table (a unit took over from an active that went away)");
		counter(registry, "corosync.servicegroup.switchovers", ServiceGroupStatistics::switchovers,
				"Switchovers completed while this member held the table");
		counter(registry, "corosync.servicegroup.activations", ServiceGroupStatistics::activations,
				"Times a unit of this process was told it is active");
		counter(registry, "corosync.servicegroup.step.downs", ServiceGroupStatistics::stepDowns,
				"Times a unit of this process stepped down because this member dropped the table");
		counter(registry, "corosync.servicegroup.fencing.failures", ServiceGroupStatistics::fencingFailures,
				"Fencers of this process's units that failed");
		for (ServiceUnitState state : ServiceUnitState.values()) {
			Gauge.builder("corosync.servicegroup.units", this, (self) -> self.units(state))
				.description("This process's service units in the state")
				.tag("state", state.name().toLowerCase())
				.register(registry);
		}
	}

	private void counter(MeterRegistry registry, String name, ToDoubleFunction<ServiceGroupStatistics> value,
			String description) {
		FunctionCounter.builder(name, this, (self) -> self.statistic(value)).description(description).register(registry);
	}

	private double statistic(ToDoubleFunction<ServiceGroupStatistics> value) {
		ServiceGroupService service = this.serviceGroups.getServiceGroupServiceIfStarted();
		return (service != null) ? value.applyAsDouble(service.statistics()) : 0;
	}

	private double units(ServiceUnitState state) {
		ServiceGroupService service = this.serviceGroups.getServiceGroupServiceIfStarted();
		return (service != null) ? service.units().values().stream().filter((unit) -> unit.state() == state).count() : 0;
	}

}
