package io.corosync4j.spring.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.corosync4j.engine.event.EventFilter;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** The event channel listener of {@code docs/spring-boot.md}; {@link EventChannelDocsTests} runs it. */
// tag::shipments[]
@Component
class Shipments {

	record Shipment(String order, String carrier) {
	}

	final List<String> log = new CopyOnWriteArrayList<>();

	@EventChannelListener(channel = "shipments",              // created if it does not exist
			filters = @EventChannelFilter(type = EventFilter.Type.PREFIX, pattern = "shipment."))  // tests pattern 0
	void shipment(Shipment shipment,                           // byte[], String, JSON, Message<T>
			@Header(EventHeaders.PATTERNS) List<String> patterns,
			@Header(EventHeaders.LOST) long lost) {                // events this listener lost just before this one
		this.log.add(patterns.get(0) + " " + shipment.order() + (lost > 0 ? " after " + lost + " lost" : ""));
	}

}
// end::shipments[]
