package io.corosync4j.engine.totem.srp;

/**
 * The four states of the membership protocol, numbered as Corosync numbers them in its logs
 * ({@code enum memb_state}).
 */
public enum MembershipState {

	/** A ring is installed; the token circulates and messages are ordered. */
	OPERATIONAL(1),

	/** Collecting join messages until every reachable node agrees on who is in and who failed. */
	GATHER(2),

	/** The commit token makes its first pass, recording each member's old-ring position. */
	COMMIT(3),

	/** Old-ring messages are exchanged so that the members that stay together deliver the same set. */
	RECOVERY(4);

	private final int number;

	MembershipState(int number) {
		this.number = number;
	}

	/** Corosync's number for the state. */
	public int number() {
		return this.number;
	}

}
