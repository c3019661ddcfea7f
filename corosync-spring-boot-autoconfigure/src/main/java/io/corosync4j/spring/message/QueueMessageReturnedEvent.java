package io.corosync4j.spring.message;

import io.corosync4j.engine.message.DeliveryFailure;
import org.springframework.context.ApplicationEvent;

/**
 * A message this application sent came back: its queue's listener stopped with no other queue of the
 * group to take it and the queue was not persistent, or a persistent queue's retention ran out. It was
 * acknowledged by nobody; resend it or record it.
 */
public class QueueMessageReturnedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient DeliveryFailure failure;

	public QueueMessageReturnedEvent(Object source, DeliveryFailure failure) {
		super(source);
		this.failure = failure;
	}

	/** The message's id, priority, payload (as sent, framed if it had headers) and why it came back. */
	public DeliveryFailure getFailure() {
		return this.failure;
	}

}
