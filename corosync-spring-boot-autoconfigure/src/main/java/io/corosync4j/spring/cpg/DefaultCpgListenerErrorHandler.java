package io.corosync4j.spring.cpg;

import org.springframework.messaging.Message;
import org.springframework.util.backoff.BackOff;

/** Retries by a {@link BackOff}, then hands the message to a {@link CpgRecoverer}. */
public class DefaultCpgListenerErrorHandler implements CpgListenerErrorHandler {

	private final BackOff backOff;

	private final CpgRecoverer recoverer;

	public DefaultCpgListenerErrorHandler(BackOff backOff, CpgRecoverer recoverer) {
		this.backOff = backOff;
		this.recoverer = recoverer;
	}

	@Override
	public void handleError(String group, Message<?> message, Throwable error) {
		this.recoverer.recover(group, message, error);
	}

	@Override
	public BackOff backOff() {
		return this.backOff;
	}

}
