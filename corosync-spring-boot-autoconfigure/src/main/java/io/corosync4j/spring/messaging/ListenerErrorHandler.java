package io.corosync4j.spring.messaging;

import org.springframework.messaging.Message;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Told when a listener method still fails after the retries its {@link #backOff()} allows. Retries and
 * this call happen on the listener's thread, before its next message. A CPG listener's handler is a
 * {@code CpgListenerErrorHandler}; an event channel listener takes any of these.
 */
@FunctionalInterface
public interface ListenerErrorHandler {

	/** No retry: the first failure is handled. */
	BackOff NO_RETRY = new FixedBackOff(0, 0);

	/**
	 * @param source the CPG group or event channel the message came from
	 * @param message what was being delivered
	 * @param error what went wrong (the last failure, when there were retries)
	 */
	void handleError(String source, Message<?> message, Throwable error);

	/** How often, and after what pauses, a failed listener method is invoked again with the same message. */
	default BackOff backOff() {
		return NO_RETRY;
	}

}
