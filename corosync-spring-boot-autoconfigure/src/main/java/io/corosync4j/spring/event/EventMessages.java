package io.corosync4j.spring.event;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.corosync4j.engine.event.Event;
import io.corosync4j.spring.messaging.Payloads;
import org.springframework.messaging.Message;

/** An event as the message listeners and channel subscribers receive. */
final class EventMessages {

	private EventMessages() {
	}

	/** @param lostBefore events lost just before this one */
	static Message<byte[]> message(Event event, long lostBefore) {
		List<String> patterns = event.patterns()
			.stream()
			.map((pattern) -> new String(pattern, StandardCharsets.UTF_8))
			.toList();
		// the evt_ headers are set here, over any a publisher put in the frame
		return Payloads.unframe(event.data())
			.setHeader(EventHeaders.ID, event.id())
			.setHeader(EventHeaders.CHANNEL, event.channel())
			.setHeader(EventHeaders.PATTERNS, patterns)
			.setHeader(EventHeaders.PRIORITY, event.priority())
			.setHeader(EventHeaders.RETENTION, event.retention())
			.setHeader(EventHeaders.PUBLISHER, event.publisher())
			.setHeader(EventHeaders.PUBLISHER_NODE, event.publisherNode())
			.setHeader(EventHeaders.PUBLISH_TIME, event.published())
			.setHeader(EventHeaders.LOST, lostBefore)
			.build();
	}

}
