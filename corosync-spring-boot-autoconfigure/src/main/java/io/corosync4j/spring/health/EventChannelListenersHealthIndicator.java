package io.corosync4j.spring.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry;
import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry.ListenerStatistics;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code @EventChannelListener} methods: UP while every running one is subscribed, OUT_OF_SERVICE
 * while one is not (before this member holds the event state, outside the primary component: events
 * published then do not reach it, but the member is not broken). Details per listener: its channel,
 * whether subscribed, and its counts.
 */
public class EventChannelListenersHealthIndicator extends AbstractHealthIndicator {

	private final EventChannelListenerEndpointRegistry listeners;

	public EventChannelListenersHealthIndicator(EventChannelListenerEndpointRegistry listeners) {
		super("Event channel listener health check failed");
		this.listeners = listeners;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean all = true;
		for (Map.Entry<String, ListenerStatistics> entry : this.listeners.getStatistics().entrySet()) {
			ListenerStatistics statistics = entry.getValue();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("channel", statistics.channel());
			details.put("running", statistics.running());
			details.put("subscribed", statistics.subscribed());
			details.put("delivered", statistics.delivered());
			details.put("failures", statistics.failures());
			details.put("lost", statistics.lost());
			details.put("queued", statistics.queued());
			builder.withDetail(entry.getKey(), details);
			// a listener stopped through the registry is meant to be unsubscribed
			all &= statistics.subscribed() || !statistics.running();
		}
		if (all) {
			builder.up();
		}
		else {
			builder.outOfService();
		}
	}

}
