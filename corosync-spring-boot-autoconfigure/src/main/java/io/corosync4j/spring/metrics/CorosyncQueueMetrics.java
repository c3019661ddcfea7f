package io.corosync4j.spring.metrics;

import java.util.function.ToDoubleFunction;

import io.corosync4j.spring.message.QueueListenerEndpointRegistry;
import io.corosync4j.spring.message.QueueListenerEndpointRegistry.ListenerStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Each {@code @QueueListener}'s counts as {@code corosync.messages.listener.*} meters, tagged with the
 * listener's id and queue group, registered when the listeners are created; read when the registry asks.
 */
public class CorosyncQueueMetrics implements MeterBinder {

	private final QueueListenerEndpointRegistry listeners;

	public CorosyncQueueMetrics(QueueListenerEndpointRegistry listeners) {
		this.listeners = listeners;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.listeners.onListenerCreated((id) -> register(registry, id));
	}

	private synchronized void register(MeterRegistry registry, String id) {
		if (registry.find("corosync.messages.listener.delivered").tag("listener", id).functionCounter() != null) {
			return;
		}
		ListenerStatistics now = this.listeners.getStatistics().get(id);
		String group = (now != null) ? now.group() : "";
		counter(registry, id, group, "corosync.messages.listener.delivered", ListenerStatistics::delivered,
				"Messages the listener method was invoked with");
		counter(registry, id, group, "corosync.messages.listener.acknowledged", ListenerStatistics::acknowledged,
				"Messages acknowledged (replies included) after the method returned or the error handler decided so");
		counter(registry, id, group, "corosync.messages.listener.errors", ListenerStatistics::failures,
				"Messages the listener still failed on after its retries");
		counter(registry, id, group, "corosync.messages.listener.retries", ListenerStatistics::retries,
				"Invocations of the listener repeated after a failure");
		counter(registry, id, group, "corosync.messages.listener.kept", ListenerStatistics::kept,
				"Messages left unacknowledged after a failure, handed out again when the queue closes");
		counter(registry, id, group, "corosync.messages.listener.acknowledgement.failures",
				ListenerStatistics::acknowledgementFailures,
				"Acknowledgements the service refused: the message moved on and may be handed out again");
		Gauge.builder("corosync.messages.listener.held", this, (self) -> self.statistic(id, ListenerStatistics::held))
			.tag("listener", id)
			.tag("group", group)
			.description("Kept messages the listener's open queue still holds, each a place of its prefetch window")
			.register(registry);
		Gauge.builder("corosync.messages.listener.open", this, (self) -> self.statistic(id, (s) -> s.open() ? 1 : 0))
			.tag("listener", id)
			.tag("group", group)
			.description("1 while the listener's queue is open in its group")
			.register(registry);
	}

	private void counter(MeterRegistry registry, String id, String group, String name,
			ToDoubleFunction<ListenerStatistics> value, String description) {
		FunctionCounter.builder(name, this, (self) -> self.statistic(id, value))
			.tag("listener", id)
			.tag("group", group)
			.description(description)
			.register(registry);
	}

	private double statistic(String id, ToDoubleFunction<ListenerStatistics> value) {
		ListenerStatistics statistics = this.listeners.getStatistics().get(id);
		return (statistics != null) ? value.applyAsDouble(statistics) : 0;
	}

}
