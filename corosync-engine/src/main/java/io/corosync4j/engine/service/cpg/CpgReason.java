package io.corosync4j.engine.service.cpg;

/** Why a process appears in a configuration change ({@code cpg_reason_t}). */
public enum CpgReason {

	/** In a member list. */
	UNDEFINED(0),

	/** It joined the group. */
	JOIN(1),

	/** It left the group. */
	LEAVE(2),

	/** Its node left the ring. */
	NODEDOWN(3),

	/** Its node joined the ring (learnt during synchronization). */
	NODEUP(4),

	/** It ended without leaving. */
	PROCDOWN(5);

	final int code;

	CpgReason(int code) {
		this.code = code;
	}

	/** The value on the wire ({@code cpg_reason_t}). */
	public int code() {
		return this.code;
	}

	static CpgReason of(int code) {
		for (CpgReason reason : values()) {
			if (reason.code == code) {
				return reason;
			}
		}
		return UNDEFINED;
	}

}
