package io.corosync4j.spring.cpg;

import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
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
		SenderContext<Map<String, String>> context = new SenderContext<>(
				(carrier, key, value) -> {
					if (carrier != null) {
						carrier.put(key, value);
					}
				});
		context.setCarrier(headers);
		context.setRemoteServiceName("cpg");
		return Observation.createNotStarted(SEND, () -> context, registry)
			.contextualName(group + " send")
			.lowCardinalityKeyValue(GROUP, group);
	}

	static Observation receive(ObservationRegistry registry, String group, Message<?> message) {
		ReceiverContext<Message<?>> context = new ReceiverContext<>((carrier, key) -> {
			Object value = carrier.getHeaders().get(key);
			return (value != null) ? value.toString() : null;
		});
		context.setCarrier(message);
		context.setRemoteServiceName("cpg");
		return Observation.createNotStarted(RECEIVE, () -> context, registry)
			.contextualName(group + " receive")
			.lowCardinalityKeyValue(GROUP, group)
			.highCardinalityKeyValue(SENDER, String.valueOf(message.getHeaders().get(CpgHeaders.NODE_ID)));
	}

}
