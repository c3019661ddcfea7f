package io.corosync4j.spring.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.util.backoff.BackOff;

/** Retries by a {@link BackOff}, then logs the failure at ERROR: the message is skipped by this listener. */
public class LoggingListenerErrorHandler implements ListenerErrorHandler {

	private static final Logger logger = LoggerFactory.getLogger(LoggingListenerErrorHandler.class);

	private final BackOff backOff;

	private final String kind;

	/** @param kind what the source is, for the log ({@code "event channel"}) */
	public LoggingListenerErrorHandler(BackOff backOff, String kind) {
		this.backOff = backOff;
		this.kind = kind;
	}

	@Override
	public void handleError(String source, Message<?> message, Throwable error) {
		logger.error("A listener of {} '{}' failed; the message is skipped (headers {})", this.kind, source,
				message.getHeaders(), error);
	}

	@Override
	public BackOff backOff() {
		return this.backOff;
	}

}
