package io.corosync4j.spring.cpg;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.spring.messaging.Payloads;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Sends to CPG groups: {@code byte[]} as is, anything else through the message converter ({@code String}
 * as UTF-8, objects as JSON by default). Messages of one sender arrive in the order it sent them, in the
 * agreed order of the group, at every member (this application's listeners included). When the node's
 * send queue is full the call waits, up to the send timeout.
 *
 * <p>Every send returns a future that completes once this member has delivered the message back, at its
 * place in the group's order, and its own listeners of the group have handled it: from then on every
 * member that stays in the group delivers it at that same place. It fails when this member leaves the
 * group (or stops) first.
 *
 * <p>A group this member is not in is refused unless {@code corosync.cpg.join-on-send} is on, because
 * joining is visible: the other members see a new member.
 */
public class CpgTemplate {

	/** Spring's own headers, which stay on this side. */
	private static final Set<String> LOCAL_HEADERS = Set.of(CpgHeaders.GROUP, CpgHeaders.NODE_ID, CpgHeaders.PID);

	private static final String WHERE = "a CPG message";

	private final CpgListenerEndpointRegistry registry;

	private final MessageConverter converter;

	private final Duration sendTimeout;

	private final @Nullable String defaultGroup;

	private final boolean joinOnSend;

	private final ObservationRegistry observations;

	/**
	 * @param registry the groups this member is in
	 * @param converter turns payloads into bytes
	 * @param sendTimeout how long a send waits for room in the send queue
	 * @param defaultGroup where {@link #sendDefault} and a {@link #send(Message)} without a group header go
	 * @param joinOnSend whether sending to a group this member is not in joins it
	 * @param observations where sends are observed ({@value CpgObservations#SEND}, the trace context carried
	 * in a header), or {@link ObservationRegistry#NOOP}
	 */
	public CpgTemplate(CpgListenerEndpointRegistry registry, MessageConverter converter, Duration sendTimeout,
			@Nullable String defaultGroup, boolean joinOnSend, ObservationRegistry observations) {
		this.registry = registry;
		this.converter = converter;
		this.sendTimeout = sendTimeout;
		this.defaultGroup = defaultGroup;
		this.joinOnSend = joinOnSend;
		this.observations = observations;
	}

	/**
	 * Multicasts {@code payload} to {@code group}.
	 * @return completes when this member delivered it back and its listeners handled it
	 * @throws CpgSendTimeoutException when the send queue stayed full for the send timeout
	 * @throws MessageConversionException when the payload cannot be converted
	 * @throws IllegalStateException when this member is not in the group (and may not join it)
	 */
	public CompletableFuture<Void> send(String group, Object payload) {
		return send(group, toBytes(payload), new LinkedHashMap<>());
	}

	/**
	 * Multicasts {@code payload} to the default group ({@code corosync.cpg.default-group}).
	 * @throws IllegalStateException when there is no default group
	 */
	public CompletableFuture<Void> sendDefault(Object payload) {
		return send(defaultGroup(), payload);
	}

	/**
	 * Multicasts {@code message} to the group its {@link CpgHeaders#GROUP} header names (or the default
	 * group), with its headers: listeners receive them as {@code @Header} parameters. Header values travel
	 * as text (numbers, booleans, UUIDs and enums as their {@code toString}) and arrive as {@code String}s,
	 * which a typed {@code @Header} parameter converts back. A message with headers travels in a small
	 * frame that C programs in the group would see; one without travels bare.
	 * @throws IllegalArgumentException for a header value that is none of those
	 */
	public CompletableFuture<Void> send(Message<?> message) {
		Object named = message.getHeaders().get(CpgHeaders.GROUP);
		String group = (named != null) ? named.toString() : defaultGroup();
		byte[] payload = toBytes(message.getPayload());
		return send(group, payload, Payloads.travellingHeaders(message, LOCAL_HEADERS, WHERE));
	}

	private CompletableFuture<Void> send(String group, byte[] payload, Map<String, String> headers) {
		if (this.observations.isNoop()) {
			return this.registry.send(group, frame(headers, payload), this.sendTimeout, this.joinOnSend);
		}
		Observation observation = CpgObservations.send(this.observations, group, headers).start();
		try {
			CompletableFuture<Void> delivered = this.registry.send(group, frame(headers, payload), this.sendTimeout,
					this.joinOnSend);
			return delivered.whenComplete((done, error) -> {
				if (error != null) {
					observation.error(error);
				}
				observation.stop();
			});
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
	}

	private static byte[] frame(Map<String, String> headers, byte[] payload) {
		return Payloads.frame(headers, payload);
	}

	private String defaultGroup() {
		if (this.defaultGroup == null) {
			throw new IllegalStateException("no group named and no default group (corosync.cpg.default-group)");
		}
		return this.defaultGroup;
	}

	private byte[] toBytes(Object payload) {
		return Payloads.toBytes(this.converter, payload, "CPG");
	}

}
