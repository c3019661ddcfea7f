package io.corosync4j.spring.event;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.event.ChannelFlag;
import io.corosync4j.engine.event.EventChannel;
import io.corosync4j.engine.event.EventPublication;
import io.corosync4j.engine.event.EventService;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.messaging.InOrder;
import io.corosync4j.spring.messaging.MessagingObservations;
import io.corosync4j.spring.messaging.Payloads;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Publishes events: the payload as bytes ({@code byte[]} as is, anything else through the message
 * converter: {@code String} as UTF-8, objects as JSON by default), with patterns (as UTF-8), a priority,
 * a retention and the publisher name. The channel is created if it does not exist. A publication waits
 * for this member to hold the event state (up to {@code corosync.events.ready-timeout}), then completes
 * with the event's id once the event is applied here: from then on every matching subscription in the
 * primary component receives it at that point of the agreed order. Publications of one template on
 * one channel are applied in the order they were called. With
 * {@code corosync.events.publish-stable} only once every member of the ring holds it.
 */
public class EventChannelTemplate {

	private static final Set<String> LOCAL_HEADERS = Set.of(EventHeaders.ID, EventHeaders.CHANNEL,
			EventHeaders.PATTERNS, EventHeaders.PRIORITY, EventHeaders.RETENTION, EventHeaders.PUBLISHER,
			EventHeaders.PUBLISHER_NODE, EventHeaders.PUBLISH_TIME, EventHeaders.LOST);

	private static final String WHERE = "an event";

	static final String PUBLISH = "evt.publish";

	private final CorosyncNodeLifecycle node;

	private final MessageConverter converter;

	private final Defaults defaults;

	private final ObservationRegistry observations;

	/** Per channel: publications reach the service in the order of the calls, the first ones too. */
	private final Map<String, InOrder> order = new ConcurrentHashMap<>();

	/** This member's publishing handles, by channel, for the service they were opened on. */
	private final Map<String, Handle> handles = new ConcurrentHashMap<>();

	/**
	 * What a publication without its own settings gets.
	 *
	 * @param channel where {@link #publish(Message)} goes without an {@link EventHeaders#CHANNEL} header, or {@code null}
	 * @param publisher the publisher name
	 * @param priority 0 (highest) to 3
	 * @param retention how long events are retained for later subscribers ({@link Duration#ZERO}: not at all)
	 * @param stable whether a publication completes only once every member of the ring holds it
	 * @param readyTimeout how long a publication waits for this member to hold the event state
	 */
	public record Defaults(@Nullable String channel, String publisher, int priority, Duration retention, boolean stable,
			Duration readyTimeout) {
	}

	public EventChannelTemplate(CorosyncNodeLifecycle node, MessageConverter converter, Defaults defaults,
			ObservationRegistry observations) {
		this.node = node;
		this.converter = converter;
		this.defaults = defaults;
		this.observations = observations;
	}

	/** Publishes {@code payload} on {@code channel} without patterns. */
	public CompletableFuture<Long> publish(String channel, Object payload) {
		return publish(channel, payload, List.of(), this.defaults.priority(), this.defaults.retention());
	}

	/** Publishes {@code payload} on {@code channel} with {@code patterns}. */
	public CompletableFuture<Long> publish(String channel, Object payload, String... patterns) {
		return publish(channel, payload, List.of(patterns), this.defaults.priority(), this.defaults.retention());
	}

	/**
	 * Publishes {@code payload} on {@code channel}.
	 * @param priority 0 (highest) to 3
	 * @param retention how long it is retained for subscriptions made later; {@link Duration#ZERO}: not at all
	 * @return the event's id, once it is applied here; fails with the {@code EventException} (for example
	 * {@code NO_QUORUM} outside the primary component)
	 * @throws MessageConversionException when the payload cannot be converted
	 */
	public CompletableFuture<Long> publish(String channel, Object payload, List<String> patterns, int priority,
			Duration retention) {
		return publish(channel, Payloads.toBytes(this.converter, payload, WHERE), new LinkedHashMap<>(), patterns, priority,
				retention, this.defaults.publisher());
	}

	/**
	 * Publishes {@code message}: on the channel its {@link EventHeaders#CHANNEL} header names (or the default
	 * channel), with the {@link EventHeaders#PATTERNS}, {@link EventHeaders#PRIORITY},
	 * {@link EventHeaders#RETENTION} ({@code Duration} or milliseconds) and {@link EventHeaders#PUBLISHER}
	 * headers where given. Its other headers travel with the event, as text, and listeners receive them
	 * as {@code @Header} parameters.
	 * @throws IllegalArgumentException for a header that cannot travel, or a malformed evt_ header
	 * @throws IllegalStateException without a channel header and without a default channel
	 */
	public CompletableFuture<Long> publish(Message<?> message) {
		Object named = message.getHeaders().get(EventHeaders.CHANNEL);
		String channel = (named != null) ? named.toString() : this.defaults.channel();
		if (channel == null) {
			throw new IllegalStateException("no channel named (header " + EventHeaders.CHANNEL
					+ ") and no default channel (corosync.events.default-channel)");
		}
		Map<String, String> headers = new LinkedHashMap<>(Payloads.travellingHeaders(message, LOCAL_HEADERS, WHERE));
		Object priority = message.getHeaders().get(EventHeaders.PRIORITY);
		Object retention = message.getHeaders().get(EventHeaders.RETENTION);
		Object publisher = message.getHeaders().get(EventHeaders.PUBLISHER);
		return publish(channel, Payloads.toBytes(this.converter, message.getPayload(), WHERE), headers,
				patterns(message.getHeaders().get(EventHeaders.PATTERNS)),
				(priority != null) ? Integer.parseInt(priority.toString()) : this.defaults.priority(),
				retention(retention), (publisher != null) ? publisher.toString() : this.defaults.publisher());
	}

	/** Drops a retained event of {@code channel} before its retention runs out. */
	public CompletableFuture<Void> clearRetention(String channel, long eventId) {
		return handle(channel).thenCompose((handle) -> handle.clearRetention(eventId));
	}

	private CompletableFuture<Long> publish(String channel, byte[] payload, Map<String, String> headers,
			List<String> patterns, int priority, Duration retention, String publisher) {
		Observation observation = this.observations.isNoop() ? null
				: MessagingObservations.send(this.observations, PUBLISH, "evt", EventChannelListenerEndpointRegistry.CHANNEL,
						channel, headers).start();
		EventPublication publication = new EventPublication(
				patterns.stream().map((pattern) -> pattern.getBytes(StandardCharsets.UTF_8)).toList(), priority,
				retention, publisher, Payloads.frame(headers, payload));
		CompletableFuture<Long> published = this.order.computeIfAbsent(channel, (name) -> new InOrder())
			.submit(handle(channel), (handle) -> handle.publish(publication, this.defaults.stable()));
		if (observation == null) {
			return published;
		}
		return published.whenComplete((id, error) -> {
			if (error != null) {
				observation.error(error);
			}
			observation.stop();
		});
	}

	private CompletableFuture<EventChannel> handle(String channel) {
		EventService service = this.node.getNode().events();
		Handle current = this.handles.get(channel);
		if (current != null && current.service() == service && usable(current.channel())) {
			return current.channel();
		}
		CompletableFuture<EventChannel> opened = service.ready()
			.toCompletableFuture()
			.orTimeout(this.defaults.readyTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.thenCompose((ready) -> service.open(channel, EnumSet.of(ChannelFlag.CREATE, ChannelFlag.PUBLISH)));
		this.handles.put(channel, new Handle(service, opened));
		return opened;
	}

	private static boolean usable(CompletableFuture<EventChannel> channel) {
		return !channel.isDone() || (!channel.isCompletedExceptionally() && channel.join().isOpen());
	}

	private static List<String> patterns(@Nullable Object header) {
		if (header == null) {
			return List.of();
		}
		if (header instanceof String text) {
			return List.of(text);
		}
		if (header instanceof String[] texts) {
			return Arrays.asList(texts);
		}
		if (header instanceof Collection<?> texts) {
			return texts.stream().map(String::valueOf).toList();
		}
		throw new IllegalArgumentException("header " + EventHeaders.PATTERNS + " is a " + header.getClass().getName()
				+ ": give a String, a String[] or a collection");
	}

	private Duration retention(@Nullable Object header) {
		if (header == null) {
			return this.defaults.retention();
		}
		if (header instanceof Duration duration) {
			return duration;
		}
		if (header instanceof Number millis) {
			return Duration.ofMillis(millis.longValue());
		}
		throw new IllegalArgumentException("header " + EventHeaders.RETENTION + " is a " + header.getClass().getName()
				+ ": give a Duration or milliseconds");
	}

	private record Handle(EventService service, CompletableFuture<EventChannel> channel) {
	}

}
