package io.corosync4j.spring.metrics;

import java.util.function.ToDoubleFunction;

import io.corosync4j.engine.checkpoint.CheckpointService;
import io.corosync4j.engine.checkpoint.CheckpointStatistics;
import io.corosync4j.spring.checkpoint.CorosyncCheckpoints;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The checkpoint service's counters ({@link CheckpointService#statistics()}) as
 * {@code corosync.checkpoint.*} meters, registered once the application starts the service (its first
 * use); read when the registry asks, 0 while the service is not running.
 */
public class CorosyncCheckpointMetrics implements MeterBinder {

	private final CorosyncCheckpoints checkpoints;

	public CorosyncCheckpointMetrics(CorosyncCheckpoints checkpoints) {
		this.checkpoints = checkpoints;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.checkpoints.onCheckpointServiceStarted((service) -> register(registry));
	}

	private synchronized void register(MeterRegistry registry) {
		if (registry.find("corosync.checkpoint.writes").functionCounter() != null) {
			return;
		}
		counter(registry, "corosync.checkpoint.writes", CheckpointStatistics::writes,
				"Writes, overwrites, section creations and deletions of this member that completed");
		FunctionCounter.builder("corosync.checkpoint.written", this, (self) -> self.statistic(CheckpointStatistics::bytesWritten))
			.description("Data bytes of this member's completed writes")
			.baseUnit("bytes")
			.register(registry);
		counter(registry, "corosync.checkpoint.reads", CheckpointStatistics::reads,
				"Reads answered from this member's replica");
		counter(registry, "corosync.checkpoint.refusals", CheckpointStatistics::refusals,
				"Operations of this member that failed, whatever the error");
		counter(registry, "corosync.checkpoint.transfers", CheckpointStatistics::transfers,
				"Times this member received the whole checkpoint state (a join, a return to the primary component)");
		Gauge.builder("corosync.checkpoint.holds.state", this, (self) -> {
			CheckpointService service = self.checkpoints.getCheckpointServiceIfStarted();
			return (service != null && service.holdsState()) ? 1 : 0;
		}).description("1 while this member holds the checkpoints (primary component, synchronized)").register(registry);
	}

	private void counter(MeterRegistry registry, String name, ToDoubleFunction<CheckpointStatistics> value,
			String description) {
		FunctionCounter.builder(name, this, (self) -> self.statistic(value)).description(description).register(registry);
	}

	private double statistic(ToDoubleFunction<CheckpointStatistics> value) {
		CheckpointService service = this.checkpoints.getCheckpointServiceIfStarted();
		return (service != null) ? value.applyAsDouble(service.statistics()) : 0;
	}

}
