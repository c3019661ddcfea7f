package io.corosync4j.spring.cpg;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.corosync4j.spring.messaging.HeaderFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * Sends a message its listener gave up on to a dead-letter group, with headers saying where it came
 * from and why: {@value #GROUP}, {@value #SENDER_NODE_ID}, {@value #SENDER_PID}, {@value #FAILED_ON}
 * (this member's node id) and {@value #EXCEPTION}. Each member that gave up sends its own copy, so the
 * dead-letter group shows which members failed. This member joins the dead-letter group to send (the
 * others see it join). A membership change a listener failed on is logged, not sent.
 */
public class DeadLetterCpgRecoverer implements CpgRecoverer {

	public static final String GROUP = "cpg_dlt_group";

	public static final String SENDER_NODE_ID = "cpg_dlt_nodeId";

	public static final String SENDER_PID = "cpg_dlt_pid";

	public static final String FAILED_ON = "cpg_dlt_failedOn";

	public static final String EXCEPTION = "cpg_dlt_exception";

	private static final Logger logger = LoggerFactory.getLogger(DeadLetterCpgRecoverer.class);

	private final Supplier<CpgListenerEndpointRegistry> registry;

	private final String deadLetterGroup;

	private final Duration sendTimeout;

	/**
	 * @param registry the groups (looked up when a message fails, so the registry may use this recoverer)
	 * @param deadLetterGroup where the messages go
	 * @param sendTimeout how long to wait for room in the send queue
	 */
	public DeadLetterCpgRecoverer(Supplier<CpgListenerEndpointRegistry> registry, String deadLetterGroup,
			Duration sendTimeout) {
		this.registry = registry;
		this.deadLetterGroup = deadLetterGroup;
		this.sendTimeout = sendTimeout;
	}

	@Override
	public void recover(String group, Message<?> message, Throwable error) {
		if (group.equals(this.deadLetterGroup)) {
			// sending it back would fail again on every member, for ever
			logger.error("A CPG listener of dead-letter group '{}' failed; the message is dropped", group, error);
			return;
		}
		if (!(message.getPayload() instanceof byte[] payload)) {
			logger.error("A CPG membership listener of group '{}' failed; not sent to dead-letter group '{}'", group,
					this.deadLetterGroup, error);
			return;
		}
		CpgListenerEndpointRegistry groups = this.registry.get();
		Map<String, String> headers = new LinkedHashMap<>();
		message.getHeaders().forEach((name, value) -> {
			if (!name.startsWith("cpg_") && value instanceof String text) {
				headers.put(name, text);
			}
		});
		headers.put(GROUP, group);
		headers.put(SENDER_NODE_ID, String.valueOf(message.getHeaders().get(CpgHeaders.NODE_ID)));
		headers.put(SENDER_PID, String.valueOf(message.getHeaders().get(CpgHeaders.PID)));
		headers.put(FAILED_ON, Long.toString(groups.nodeId()));
		headers.put(EXCEPTION, error.toString());
		try {
			groups.send(this.deadLetterGroup, HeaderFrame.encode(headers, payload), this.sendTimeout, true);
			logger.warn("A CPG listener of group '{}' failed on a message from node {}; sent to dead-letter group '{}'",
					group, message.getHeaders().get(CpgHeaders.NODE_ID), this.deadLetterGroup, error);
		}
		catch (RuntimeException ex) {
			logger.error("A CPG listener of group '{}' failed and the message could not go to dead-letter group '{}'",
					group, this.deadLetterGroup, ex);
		}
	}

}
