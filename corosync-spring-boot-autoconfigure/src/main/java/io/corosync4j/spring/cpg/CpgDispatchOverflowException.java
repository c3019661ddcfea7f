package io.corosync4j.spring.cpg;

/**
 * A group's listeners fell so far behind that its dispatch queue stayed full: the message was not
 * delivered to them. Raise {@code corosync.cpg.listener-queue-capacity} or make the listeners faster.
 */
public class CpgDispatchOverflowException extends RuntimeException {

	public CpgDispatchOverflowException(String message) {
		super(message);
	}

}
