package io.corosync4j.engine.totem.wire;

import org.jspecify.annotations.Nullable;

/**
 * The Totem message types ({@code enum message_type} in {@code exec/totemsrp.c}).
 */
public enum MessageType {

	ORF_TOKEN(0), MCAST(1), MEMB_MERGE_DETECT(2), MEMB_JOIN(3), MEMB_COMMIT_TOKEN(4), TOKEN_HOLD_CANCEL(5);

	private final int code;

	MessageType(int code) {
		this.code = code;
	}

	/** The value of the header's {@code type} byte. */
	public int code() {
		return this.code;
	}

	static @Nullable MessageType of(int code) {
		return (code >= 0 && code < values().length) ? values()[code] : null;
	}

}
