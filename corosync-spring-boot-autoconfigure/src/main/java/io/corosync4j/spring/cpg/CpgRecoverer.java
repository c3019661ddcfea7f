package io.corosync4j.spring.cpg;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * What to do with a message a listener still fails on after its retries. In a replicated state machine
 * a member that skips a message the others applied has diverged from them: logging it (the default)
 * suits listeners whose failures do not touch replicated state, a dead-letter group keeps the message
 * for someone to look at, and {@link RejoinCpgRecoverer leaving and joining again} (with a state
 * transfer on rejoin) is what restores agreement.
 */
@FunctionalInterface
public interface CpgRecoverer {

	void recover(String group, Message<?> message, Throwable error);

	/** Logs the failure at ERROR with the sender; the message is skipped. */
	static CpgRecoverer logging() {
		Logger logger = LoggerFactory.getLogger(CpgRecoverer.class);
		return (group, message, error) -> logger.error("A CPG listener of group '{}' failed on a message from node {}",
				group, message.getHeaders().get(CpgHeaders.NODE_ID), error);
	}

}
