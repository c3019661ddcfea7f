package io.corosync4j.spring.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry;
import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry.ListenerStatistics;

/**
 * The {@code @EventChannelListener} methods: UP while every running one is subscribed, OUT_OF_SERVICE
 * while one is not (before this member holds the event state, outside the primary component: events
 * published then do not reach it, but the member is not broken). Details per listener: its channel,
 * whether subscribed, and its counts.
 */
public class EventChannelListenersHealthIndicator extends AbstractListenersHealthIndicator<ListenerStatistics> {

	public EventChannelListenersHealthIndicator(EventChannelListenerEndpointRegistry listeners) {
		super("Event channel listener health check failed", listeners::getStatistics);
	}

	@Override
	protected Map<String, Object> details(ListenerStatistics statistics) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("channel", statistics.channel());
		details.put("running", statistics.running());
		details.put("subscribed", statistics.subscribed());
		details.put("delivered", statistics.delivered());
		details.put("failures", statistics.failures());
		details.put("lost", statistics.lost());
		details.put("queued", statistics.queued());
		return details;
	}

	@Override
	protected boolean running(ListenerStatistics statistics) {
		return statistics.running();
	}

	@Override
	protected boolean receiving(ListenerStatistics statistics) {
		return statistics.subscribed();
	}

}
