package io.corosync4j.spring.message;

import io.corosync4j.spring.messaging.ListenerErrorHandler;
import org.springframework.messaging.Message;
import org.springframework.util.backoff.BackOff;

/**
 * Decides on a message a {@link QueueListener} method still fails on after the retries its
 * {@link #backOff()} allows, on the listener's thread. What it returns is what happens to the message:
 * it is acknowledged only on {@link Decision#ACKNOWLEDGE}; a handler that throws keeps it.
 */
@FunctionalInterface
public interface QueueListenerErrorHandler {

	/** What happens to the failed message. */
	enum Decision {

		/** It is acknowledged: gone from the queue, never handed out again. Return it only once the message is safe elsewhere, or may go. */
		ACKNOWLEDGE,

		/**
		 * It stays unacknowledged in the listener's queue, taking a place of the prefetch window, and is
		 * handed out again when the queue closes (to another queue of the group, to the restarted listener
		 * of a persistent queue, or back to its sender).
		 */
		KEEP

	}

	/**
	 * @param queue the listener's queue
	 * @param message what failed, its payload as the bytes that came, with the {@link QueueHeaders}
	 * @param error the last failure
	 */
	Decision handleError(String queue, Message<byte[]> message, Throwable error);

	/** How often, and after what pauses, the method is invoked again with the same message. */
	default BackOff backOff() {
		return ListenerErrorHandler.NO_RETRY;
	}

}
