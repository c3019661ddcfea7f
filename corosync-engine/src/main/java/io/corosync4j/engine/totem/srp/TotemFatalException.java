package io.corosync4j.engine.totem.srp;

/**
 * The protocol cannot go on safely (Corosync exits in the same situations), e.g. the ring id could not
 * be stored. After it is thrown the {@link TotemSrp} instance ignores every further event.
 */
public class TotemFatalException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public TotemFatalException(String message, Throwable cause) {
		super(message, cause);
	}

}
