package io.corosync4j.engine.transport;

/**
 * A transport could not start: the message names the transport, address and port, and the cause.
 */
public class TransportException extends RuntimeException {

	public TransportException(String message, Throwable cause) {
		super(message, cause);
	}

}
