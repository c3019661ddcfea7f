package io.corosync4j.spring.cpg;

import org.springframework.messaging.Message;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Told when a listener method fails (after the retries its {@link #backOff()} allows) or a group's
 * dispatch queue overflows. Retries and this call happen on the group's thread: the next message of the
 * group is delivered after it returns, so the order holds.
 */
@FunctionalInterface
public interface CpgListenerErrorHandler {

	/** No retry: the first failure is handled. */
	BackOff NO_RETRY = new FixedBackOff(0, 0);

	/**
	 * @param group the group
	 * @param message what was being delivered (a payload of {@code byte[]} or a configuration change)
	 * @param error what went wrong (the last failure, when there were retries)
	 */
	void handleError(String group, Message<?> message, Throwable error);

	/** How often, and after what pauses, a failed listener method is invoked again with the same message. */
	default BackOff backOff() {
		return NO_RETRY;
	}

}
