package io.corosync4j.spring.cpg;

import io.corosync4j.spring.messaging.ListenerErrorHandler;
import org.springframework.messaging.Message;
import org.springframework.util.backoff.BackOff;

/**
 * Told when a listener method fails (after the retries its {@link #backOff()} allows) or a group's
 * dispatch queue overflows. Retries and this call happen on the group's thread: the next message of the
 * group is delivered after it returns, so the order holds.
 */
@FunctionalInterface
public interface CpgListenerErrorHandler extends ListenerErrorHandler {

	/** No retry: the first failure is handled. */
	BackOff NO_RETRY = ListenerErrorHandler.NO_RETRY;

	/**
	 * @param group the group
	 * @param message what was being delivered (a payload of {@code byte[]} or a configuration change)
	 * @param error what went wrong (the last failure, when there were retries)
	 */
	@Override
	void handleError(String group, Message<?> message, Throwable error);

}
