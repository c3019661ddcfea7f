package io.corosync4j.spring.cpg;

import java.time.Duration;

import io.corosync4j.engine.service.cpg.CpgHandle;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;

/**
 * Sends to CPG groups: {@code byte[]} as is, anything else through the message converter ({@code String}
 * as UTF-8, objects as JSON by default). Messages of one sender arrive in the order it sent them,
 * in the agreed order of the group, at every member (this application's listeners included). When the
 * node's send queue is full the call waits, up to the send timeout.
 */
public class CpgTemplate {

	private final CpgListenerEndpointRegistry registry;

	private final MessageConverter converter;

	private final Duration sendTimeout;

	public CpgTemplate(CpgListenerEndpointRegistry registry, MessageConverter converter, Duration sendTimeout) {
		this.registry = registry;
		this.converter = converter;
		this.sendTimeout = sendTimeout;
	}

	/**
	 * Multicasts {@code payload} to {@code group}.
	 * @throws CpgSendTimeoutException when the send queue stayed full for the send timeout
	 * @throws MessageConversionException when the payload cannot be
	 * converted
	 */
	public void send(String group, Object payload) {
		byte[] bytes = toBytes(payload);
		CpgHandle handle = this.registry.handleFor(group);
		try {
			if (!handle.mcast(bytes, this.sendTimeout)) {
				throw new CpgSendTimeoutException("the CPG send queue stayed full for " + this.sendTimeout
						+ " (corosync.cpg.send-timeout) sending to group '" + group + "'");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new CpgSendTimeoutException("interrupted while sending to group '" + group + "'");
		}
	}

	private byte[] toBytes(Object payload) {
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		Message<?> message = this.converter.toMessage(payload, null);
		if (message == null || !(message.getPayload() instanceof byte[] bytes)) {
			throw new MessageConversionException(
					"cannot convert a " + payload.getClass().getName() + " to bytes for CPG");
		}
		return bytes;
	}

}
