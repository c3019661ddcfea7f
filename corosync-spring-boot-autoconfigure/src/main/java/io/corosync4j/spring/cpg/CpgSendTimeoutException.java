package io.corosync4j.spring.cpg;

/**
 * The node's CPG send queue stayed full for the whole send timeout ({@code corosync.cpg.send-timeout}):
 * the ring is slower than the application sends.
 */
public class CpgSendTimeoutException extends RuntimeException {

	public CpgSendTimeoutException(String message) {
		super(message);
	}

}
