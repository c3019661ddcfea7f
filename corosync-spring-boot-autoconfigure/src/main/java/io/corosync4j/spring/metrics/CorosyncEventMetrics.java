package io.corosync4j.spring.metrics;

import java.util.function.ToDoubleFunction;

import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry;
import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry.ListenerStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Each {@code @EventChannelListener}'s counts as {@code corosync.events.listener.*} meters, tagged with
 * the listener's id and channel, registered when the listeners are created; read when the registry asks.
 */
public class CorosyncEventMetrics implements MeterBinder {

	private final EventChannelListenerEndpointRegistry listeners;

	public CorosyncEventMetrics(EventChannelListenerEndpointRegistry listeners) {
		this.listeners = listeners;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.listeners.onListenerCreated((id) -> register(registry, id));
	}

	private synchronized void register(MeterRegistry registry, String id) {
		if (registry.find("corosync.events.listener.delivered").tag("listener", id).functionCounter() != null) {
			return;
		}
		ListenerStatistics now = this.listeners.getStatistics().get(id);
		String channel = (now != null) ? now.channel() : "";
		counter(registry, id, channel, "corosync.events.listener.delivered", ListenerStatistics::delivered,
				"Events the listener method was invoked with");
		counter(registry, id, channel, "corosync.events.listener.errors", ListenerStatistics::failures,
				"Events the listener still failed on after its retries");
		counter(registry, id, channel, "corosync.events.listener.retries", ListenerStatistics::retries,
				"Invocations of the listener repeated after a failure");
		counter(registry, id, channel, "corosync.events.listener.lost", ListenerStatistics::lost,
				"Events the listener lost because it fell behind");
		Gauge.builder("corosync.events.listener.queued", this, (self) -> self.statistic(id, ListenerStatistics::queued))
			.tag("listener", id)
			.tag("channel", channel)
			.description("Events waiting for the listener (corosync.events.listener-queue bounds it)")
			.register(registry);
	}

	private void counter(MeterRegistry registry, String id, String channel, String name,
			ToDoubleFunction<ListenerStatistics> value, String description) {
		FunctionCounter.builder(name, this, (self) -> self.statistic(id, value))
			.tag("listener", id)
			.tag("channel", channel)
			.description(description)
			.register(registry);
	}

	private double statistic(String id, ToDoubleFunction<ListenerStatistics> value) {
		ListenerStatistics statistics = this.listeners.getStatistics().get(id);
		return (statistics != null) ? value.applyAsDouble(statistics) : 0;
	}

}
