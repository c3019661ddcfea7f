package io.corosync4j.spring.message;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.corosync4j.engine.message.Destination;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.support.AbstractMessageChannel;

/**
 * A Spring Messaging {@code MessageChannel} that sends to a queue group through a
 * {@link MessageQueueTemplate}, for Spring Integration flows and anything else that writes to a channel.
 * The message's headers travel with it. {@code send} returns {@code true} once the message is safe in
 * the group (held by every member of the ring), {@code false} when that did not happen within the
 * timeout given (the message may still arrive: the send is not withdrawn), and throws a
 * {@link MessageDeliveryException} when the service refused it. {@code send} without a timeout waits
 * for as long as the send takes.
 */
public class QueueGroupMessageChannel extends AbstractMessageChannel {

	private final MessageQueueTemplate template;

	private final String group;

	public QueueGroupMessageChannel(MessageQueueTemplate template, String group) {
		this.template = template;
		this.group = group;
		setBeanName("queueGroup:" + group);
	}

	/** The queue group sent to. */
	public String getGroup() {
		return this.group;
	}

	@Override
	protected boolean sendInternal(Message<?> message, long timeout) {
		try {
			if (timeout < 0) {
				this.template.send(Destination.group(this.group), message).get();
			}
			else {
				this.template.send(Destination.group(this.group), message).get(timeout, TimeUnit.MILLISECONDS);
			}
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (ExecutionException ex) {
			throw new MessageDeliveryException(message, "queue group '" + this.group + "' refused the message",
					ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
