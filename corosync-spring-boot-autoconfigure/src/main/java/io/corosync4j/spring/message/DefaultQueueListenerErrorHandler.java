package io.corosync4j.spring.message;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import io.corosync4j.engine.message.Destination;
import io.corosync4j.spring.CorosyncProperties.QueueRecovery;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.backoff.BackOff;

/**
 * Retries by a {@link BackOff}, then acts by {@code corosync.messages.recovery}:
 * <ul>
 * <li>{@code KEEP}: logs and {@linkplain Decision#KEEP keeps} the message unacknowledged;
 * <li>{@code DEAD_LETTER}: sends it to the dead-letter queue group with its headers and
 * {@value #QUEUE}, {@value #GROUP}, {@value #MESSAGE_ID}, {@value #FAILED_ON} (this node) and
 * {@value #EXCEPTION}, and acknowledges it once that send is safe; if the send fails (no such group, a
 * full queue, no quorum, no answer within the timeout) the message is kept, as it is when the dead-letter
 * group's own listener fails;
 * <li>{@code DISCARD}: logs and acknowledges it.
 * </ul>
 */
public class DefaultQueueListenerErrorHandler implements QueueListenerErrorHandler {

	public static final String QUEUE = "msg_dlt_queue";

	public static final String GROUP = "msg_dlt_group";

	public static final String MESSAGE_ID = "msg_dlt_id";

	public static final String FAILED_ON = "msg_dlt_failedOn";

	public static final String EXCEPTION = "msg_dlt_exception";

	private static final Logger logger = LoggerFactory.getLogger(DefaultQueueListenerErrorHandler.class);

	private final BackOff backOff;

	private final QueueRecovery recovery;

	private final @Nullable String deadLetterGroup;

	private final MessageQueueTemplate template;

	private final LongSupplier nodeId;

	private final Duration sendTimeout;

	/**
	 * @param deadLetterGroup where {@code DEAD_LETTER} sends; required for it
	 * @param template sends to the dead-letter group
	 * @param nodeId this node's id, for {@value #FAILED_ON}
	 * @param sendTimeout how long the dead-letter send may take before the message is kept instead
	 */
	public DefaultQueueListenerErrorHandler(BackOff backOff, QueueRecovery recovery, @Nullable String deadLetterGroup,
			MessageQueueTemplate template, LongSupplier nodeId, Duration sendTimeout) {
		if (recovery == QueueRecovery.DEAD_LETTER && deadLetterGroup == null) {
			throw new IllegalArgumentException("the dead-letter recovery needs a dead-letter group");
		}
		this.backOff = backOff;
		this.recovery = recovery;
		this.deadLetterGroup = deadLetterGroup;
		this.template = template;
		this.nodeId = nodeId;
		this.sendTimeout = sendTimeout;
	}

	@Override
	public Decision handleError(String queue, Message<byte[]> message, Throwable error) {
		Object id = message.getHeaders().get(QueueHeaders.MESSAGE_ID);
		return switch (this.recovery) {
			case KEEP -> {
				logger.error("A listener of queue '{}' failed on message {}; it stays unacknowledged and is handed out "
						+ "again when the queue closes", queue, id, error);
				yield Decision.KEEP;
			}
			case DISCARD -> {
				logger.error("A listener of queue '{}' failed on message {}; discarded (corosync.messages.recovery)", queue,
						id, error);
				yield Decision.ACKNOWLEDGE;
			}
			case DEAD_LETTER -> deadLetter(queue, message, error);
		};
	}

	private Decision deadLetter(String queue, Message<byte[]> message, Throwable error) {
		Object id = message.getHeaders().get(QueueHeaders.MESSAGE_ID);
		String group = String.valueOf(message.getHeaders().get(QueueHeaders.GROUP));
		if (group.equals(this.deadLetterGroup)) {
			logger.error("A listener of dead-letter queue '{}' failed on message {}; it stays unacknowledged", queue, id,
					error);
			return Decision.KEEP;
		}
		Map<String, Object> headers = new LinkedHashMap<>();
		message.getHeaders().forEach((name, value) -> {
			if (!name.startsWith("msg_") && (value instanceof String)) {
				headers.put(name, value);
			}
		});
		headers.put(QueueHeaders.GROUP, this.deadLetterGroup);
		headers.put(QueueHeaders.PRIORITY, message.getHeaders().get(QueueHeaders.PRIORITY));
		headers.put(QUEUE, queue);
		headers.put(GROUP, group);
		headers.put(MESSAGE_ID, String.valueOf(id));
		headers.put(FAILED_ON, Long.toString(this.nodeId.getAsLong()));
		headers.put(EXCEPTION, error.toString());
		try {
			this.template.send(MessageBuilder.withPayload(message.getPayload()).copyHeaders(headers).build())
				.get(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
			logger.warn("A listener of queue '{}' failed on message {}; sent to dead-letter group '{}'", queue, id,
					this.deadLetterGroup, error);
			return Decision.ACKNOWLEDGE;
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			logger.error("A listener of queue '{}' failed on message {} and it could not go to dead-letter group '{}' "
					+ "({}); it stays unacknowledged", queue, id, this.deadLetterGroup,
					(ex instanceof ExecutionException) ? ex.getCause() : ex, error);
			return Decision.KEEP;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Decision.KEEP;
		}
	}

	@Override
	public BackOff backOff() {
		return this.backOff;
	}

}
