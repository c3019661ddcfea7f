package io.corosync4j.spring.message;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.corosync4j.engine.message.Destination;
import io.corosync4j.engine.message.MessageService;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.messaging.InOrder;
import io.corosync4j.spring.messaging.MessagingObservations;
import io.corosync4j.spring.messaging.Payloads;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Sends to queue groups and queues: the payload as bytes ({@code byte[]} as is, anything else through
 * the message converter: {@code String} as UTF-8, objects as JSON by default). A send waits for this
 * member to hold the message state (up to {@code corosync.messages.ready-timeout}); it completes once
 * the message is safe (held by every member of the ring and on two nodes or more), so it survives the
 * failure of any one node. It fails with the {@code MessageException}: {@code NOT_FOUND} when there is no
 * such group or queue, {@code QUEUE_FULL}, {@code NO_QUORUM} outside the primary component. Sends of one
 * template reach the service in the order they were called, so a sender's messages of one priority keep
 * that order in their queue.
 *
 * <p>A message that comes back (no queue left to take it) is published as a
 * {@link QueueMessageReturnedEvent} and logged.
 */
public class MessageQueueTemplate {

	private static final Logger logger = LoggerFactory.getLogger(MessageQueueTemplate.class);

	private static final Set<String> LOCAL_HEADERS = Set.of(QueueHeaders.MESSAGE_ID, QueueHeaders.QUEUE,
			QueueHeaders.GROUP, QueueHeaders.PRIORITY, QueueHeaders.MOVED, QueueHeaders.REPLY_EXPECTED,
			QueueHeaders.SENDER_NODE);

	private static final String WHERE = "a queued message";

	static final String SEND = "msg.send";

	static final String DESTINATION = "msg.destination";

	private final CorosyncNodeLifecycle node;

	private final MessageConverter converter;

	private final Defaults defaults;

	private final ObservationRegistry observations;

	private final @Nullable ApplicationEventPublisher events;

	/** Sends reach the service in the order of the calls, those made before it was ready too. */
	private final InOrder order = new InOrder();

	/** The service whose returned messages are published; the node's next one after a restart. */
	private volatile @Nullable MessageService watched;

	/**
	 * What a send without its own settings gets.
	 *
	 * @param priority 0 (highest) to 3
	 * @param replyTimeout how long {@link #sendAndReceive(String, Object, Class)} waits for a reply
	 * @param readyTimeout how long a send waits for this member to hold the message state
	 */
	public record Defaults(int priority, Duration replyTimeout, Duration readyTimeout) {
	}

	/**
	 * @param events where returned messages go as {@link QueueMessageReturnedEvent}s, or {@code null} to
	 * only log them
	 */
	public MessageQueueTemplate(CorosyncNodeLifecycle node, MessageConverter converter, Defaults defaults,
			ObservationRegistry observations, @Nullable ApplicationEventPublisher events) {
		this.node = node;
		this.converter = converter;
		this.defaults = defaults;
		this.observations = observations;
		this.events = events;
	}

	/**
	 * Sends {@code payload} to queue group {@code group}, whose policy picks the queue.
	 * @return the message's id (one per queue for a broadcast group), once it is safe
	 * @throws MessageConversionException when the payload cannot be converted
	 */
	public CompletableFuture<List<Long>> send(String group, Object payload) {
		return send(Destination.group(group), this.defaults.priority(), payload);
	}

	/** Sends {@code payload} to a group or queue, with a priority from 0 (highest) to 3. */
	public CompletableFuture<List<Long>> send(Destination to, int priority, Object payload) {
		return send(to, priority, bytes(payload), new LinkedHashMap<>());
	}

	/**
	 * Sends {@code message} to the group its {@link QueueHeaders#GROUP} header names, or the queue its
	 * {@link QueueHeaders#QUEUE} header names, at its {@link QueueHeaders#PRIORITY} (or the default). Its
	 * other headers travel with it, as text, and listeners receive them as {@code @Header} parameters.
	 * @throws IllegalArgumentException without a destination header, or for a header that cannot travel
	 */
	public CompletableFuture<List<Long>> send(Message<?> message) {
		Object group = message.getHeaders().get(QueueHeaders.GROUP);
		Object queue = message.getHeaders().get(QueueHeaders.QUEUE);
		if ((group == null) == (queue == null)) {
			throw new IllegalArgumentException("name a queue group (header " + QueueHeaders.GROUP + ") or a queue ("
					+ QueueHeaders.QUEUE + "), one of them");
		}
		Destination to = (group != null) ? Destination.group(group.toString()) : Destination.queue(String.valueOf(queue));
		return send(to, message);
	}

	/** Sends {@code message} to {@code to}, its headers travelling with it, at its {@link QueueHeaders#PRIORITY} (or the default). */
	public CompletableFuture<List<Long>> send(Destination to, Message<?> message) {
		return send(to, priority(message), bytes(message.getPayload()),
				Payloads.travellingHeaders(message, LOCAL_HEADERS, WHERE));
	}

	/** Sends {@code payload} to queue group {@code group}; completes once a listener acknowledged it. */
	public CompletableFuture<Void> sendAndWaitForDelivery(String group, Object payload) {
		return sendAndWaitForDelivery(Destination.group(group), this.defaults.priority(), payload);
	}

	/**
	 * Sends {@code payload}; completes once its listener acknowledged it (every copy, for a broadcast),
	 * fails {@code NOT_FOUND} if it came back.
	 */
	public CompletableFuture<Void> sendAndWaitForDelivery(Destination to, int priority, Object payload) {
		byte[] bytes = bytes(payload);
		return observed(to, new LinkedHashMap<>(), bytes,
				(framed) -> this.order.submit(ready(), (service) -> service.sendAndWaitForDelivery(to, priority, framed)));
	}

	/** Sends a request to queue group {@code group} and converts the reply to {@code replyType}, within {@code corosync.messages.reply-timeout}. */
	public <T> CompletableFuture<@Nullable T> sendAndReceive(String group, Object payload, Class<T> replyType) {
		return sendAndReceive(Destination.group(group), this.defaults.priority(), payload, replyType,
				this.defaults.replyTimeout());
	}

	/**
	 * Sends a request: the listener that takes it answers with its method's return value. Completes with
	 * the reply converted to {@code replyType} ({@code null} for an empty reply, which a {@code void}
	 * method gives, unless {@code byte[]} or {@code String} is asked for); fails {@code TIMEOUT} when none
	 * came within {@code timeout}, {@code NOT_FOUND} when the request was acknowledged without a reply
	 * (its listener failed and the error handler dead-lettered or discarded it).
	 */
	public <T> CompletableFuture<@Nullable T> sendAndReceive(Destination to, int priority, Object payload,
			Class<T> replyType, Duration timeout) {
		byte[] bytes = bytes(payload);
		return observed(to, new LinkedHashMap<>(), bytes,
				(framed) -> this.order.submit(ready(), (service) -> service.request(to, priority, framed, timeout)))
			.thenApply((reply) -> (reply.length == 0 && replyType != byte[].class && replyType != String.class) ? null
					: Payloads.fromBytes(this.converter, reply, replyType));
	}

	private CompletableFuture<List<Long>> send(Destination to, int priority, byte[] payload,
			Map<String, String> headers) {
		return observed(to, headers, payload,
				(framed) -> this.order.submit(ready(), (service) -> service.send(to, priority, framed)));
	}

	/** Frames the payload with the headers (and the trace context) and observes the send until it completes. */
	private <T> CompletableFuture<T> observed(Destination to, Map<String, String> headers, byte[] payload,
			Function<byte[], CompletableFuture<T>> send) {
		if (this.observations.isNoop()) {
			return send.apply(Payloads.frame(headers, payload));
		}
		Observation observation = MessagingObservations
			.send(this.observations, SEND, "msg", DESTINATION, to.name(), headers)
			.start();
		try {
			return send.apply(Payloads.frame(headers, payload)).whenComplete((done, error) -> {
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

	/** The running node's message service once it holds the state, returned messages watched. */
	CompletableFuture<MessageService> ready() {
		MessageService service = this.node.getNode().messages();
		if (this.watched != service) {
			this.watched = service;
			service.onDeliveryFailure((failure) -> {
				logger.warn("Message {} (priority {}, {} bytes) came back: {}", failure.id(), failure.priority(),
						failure.payload().length, failure.reason());
				ApplicationEventPublisher publisher = this.events;
				if (publisher != null) {
					publisher.publishEvent(new QueueMessageReturnedEvent(this, failure));
				}
			});
		}
		return service.ready()
			.toCompletableFuture()
			.orTimeout(this.defaults.readyTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.thenApply((ready) -> service);
	}

	private int priority(Message<?> message) {
		Object priority = message.getHeaders().get(QueueHeaders.PRIORITY);
		return (priority != null) ? Integer.parseInt(priority.toString()) : this.defaults.priority();
	}

	private byte[] bytes(Object payload) {
		return Payloads.toBytes(this.converter, payload, WHERE);
	}

}
