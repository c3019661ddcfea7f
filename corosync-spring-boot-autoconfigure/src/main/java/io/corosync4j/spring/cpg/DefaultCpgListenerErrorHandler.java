package io.corosync4j.spring.cpg;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.util.backoff.BackOff;

/**
 * Retries by a {@link BackOff}, then hands the message to a {@link CpgRecoverer}; a member whose
 * listeners fell behind is logged, not recovered (it leaves and rejoins by itself).
 */
public class DefaultCpgListenerErrorHandler implements CpgListenerErrorHandler {

	private static final Logger logger = LoggerFactory.getLogger(DefaultCpgListenerErrorHandler.class);

	private final BackOff backOff;

	private final CpgRecoverer recoverer;

	public DefaultCpgListenerErrorHandler(BackOff backOff, CpgRecoverer recoverer) {
		this.backOff = backOff;
		this.recoverer = recoverer;
	}

	@Override
	public void handleError(String group, Message<?> message, Throwable error) {
		if (error instanceof CpgListenerFellBehindException) {
			// no listener failed: the member is leaving already, and the message still reaches the listeners
			logger.warn("CPG group '{}': {}", group, error.getMessage());
			return;
		}
		this.recoverer.recover(group, message, error);
	}

	@Override
	public BackOff backOff() {
		return this.backOff;
	}

}
