package io.corosync4j.spring.cpg;

import org.springframework.messaging.Message;

/**
 * Told when a listener method fails or a group's dispatch queue overflows. The next message of the group
 * is delivered after it returns.
 */
@FunctionalInterface
public interface CpgListenerErrorHandler {

	/**
	 * @param group the group
	 * @param message what was being delivered (a payload of {@code byte[]} or a configuration change)
	 * @param error what went wrong
	 */
	void handleError(String group, Message<?> message, Throwable error);

}
