package io.corosync4j.spring.cpg;

import java.util.Map;

import io.corosync4j.spring.messaging.MessagingObservations;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.messaging.Message;

/**
 * The observations of a send ({@value #SEND}, from the call until this member delivered the message back)
 * and of a delivery to a group's listeners ({@value #RECEIVE}). Their contexts carry the message's
 * headers, so a tracing handler writes the trace context into the sent message and reads it back on
 * every member: Boot's tracing then links a send to each delivery.
 */
final class CpgObservations {

	static final String SEND = "cpg.send";

	static final String RECEIVE = "cpg.receive";

	static final String GROUP = "cpg.group";

	static final String SENDER = "cpg.sender.node";

	private CpgObservations() {
	}

	static Observation send(ObservationRegistry registry, String group, Map<String, String> headers) {
		return MessagingObservations.send(registry, SEND, "cpg", GROUP, group, headers);
	}

	static Observation receive(ObservationRegistry registry, String group, Message<?> message) {
		return MessagingObservations.receive(registry, RECEIVE, "cpg", GROUP, group, message)
			.highCardinalityKeyValue(SENDER, String.valueOf(message.getHeaders().get(CpgHeaders.NODE_ID)));
	}

}
