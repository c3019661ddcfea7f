package io.corosync4j.spring.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.corosync4j.spring.message.QueueListenerEndpointRegistry;
import io.corosync4j.spring.message.QueueListenerEndpointRegistry.ListenerStatistics;

/**
 * The {@code @QueueListener} methods: UP while every running one has its queue open in its group,
 * OUT_OF_SERVICE while one has not (before this member holds the message state, outside the primary
 * component: its group's messages go to the other queues meanwhile). Details per listener: its group
 * and queue, whether open, and its counts, {@code kept} among them (messages left unacknowledged after a
 * failure) and {@code held} (those its open queue still holds). A listener whose kept messages fill its
 * prefetch window receives nothing more: it is {@code stalled}, and the child is DOWN, so a liveness group
 * that includes it restarts the application (its queue closes and the kept messages move on).
 */
public class QueueListenersHealthIndicator extends AbstractListenersHealthIndicator<ListenerStatistics> {

	public QueueListenersHealthIndicator(QueueListenerEndpointRegistry listeners) {
		super("Queue listener health check failed", listeners::getStatistics);
	}

	@Override
	protected Map<String, Object> details(ListenerStatistics statistics) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("group", statistics.group());
		details.put("queue", String.valueOf(statistics.queue()));
		details.put("running", statistics.running());
		details.put("open", statistics.open());
		details.put("delivered", statistics.delivered());
		details.put("acknowledged", statistics.acknowledged());
		details.put("failures", statistics.failures());
		details.put("kept", statistics.kept());
		details.put("held", statistics.held());
		details.put("stalled", statistics.stalled());
		return details;
	}

	@Override
	protected boolean running(ListenerStatistics statistics) {
		return statistics.running();
	}

	@Override
	protected boolean receiving(ListenerStatistics statistics) {
		return statistics.open();
	}

	@Override
	protected boolean broken(ListenerStatistics statistics) {
		return statistics.stalled();
	}

}
