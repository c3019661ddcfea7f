package io.corosync4j.spring.messaging;

import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.springframework.messaging.Message;

/**
 * Observations of a send and of a delivery to a listener. Their contexts carry the message's headers, so
 * a tracing handler writes the trace context into what is sent and reads it back where it is delivered:
 * Boot's tracing then links a send to each delivery.
 */
public final class MessagingObservations {

	private MessagingObservations() {
	}

	/**
	 * @param name the observation's name ({@code cpg.send}, …)
	 * @param remoteService {@code cpg}, {@code evt} or {@code msg}
	 * @param key the low-cardinality key naming the destination, {@code destination} its value
	 * @param headers where a tracing handler writes the trace context
	 */
	public static Observation send(ObservationRegistry registry, String name, String remoteService, String key,
			String destination, Map<String, String> headers) {
		SenderContext<Map<String, String>> context = new SenderContext<>((carrier, header, value) -> {
			if (carrier != null) {
				carrier.put(header, value);
			}
		});
		context.setCarrier(headers);
		context.setRemoteServiceName(remoteService);
		return Observation.createNotStarted(name, () -> context, registry)
			.contextualName(destination + " send")
			.lowCardinalityKeyValue(key, destination);
	}

	/** As {@link #send}, for {@code message} delivered from {@code source}. */
	public static Observation receive(ObservationRegistry registry, String name, String remoteService, String key,
			String source, Message<?> message) {
		ReceiverContext<Message<?>> context = new ReceiverContext<>((carrier, header) -> {
			Object value = carrier.getHeaders().get(header);
			return (value != null) ? value.toString() : null;
		});
		context.setCarrier(message);
		context.setRemoteServiceName(remoteService);
		return Observation.createNotStarted(name, () -> context, registry)
			.contextualName(source + " receive")
			.lowCardinalityKeyValue(key, source);
	}

}
