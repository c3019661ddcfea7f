package io.corosync4j.engine.totem.srp;

/**
 * The protocol's timers. At most one of each kind is pending; scheduling one replaces the pending one.
 */
public enum SrpTimer {

	/** {@code token}: the token (or commit token) did not come back. */
	TOKEN_LOSS,

	/** {@code token × token_warning / 100}: log that the token is late. */
	TOKEN_WARNING,

	/** {@code token_retransmit}: re-send the last token sent. */
	TOKEN_RETRANSMIT,

	/** {@code hold}: the representative releases a held token. */
	TOKEN_HOLD,

	/** {@code join}: re-send the join message while gathering. */
	JOIN,

	/** {@code consensus}: give up waiting for agreement and mark the silent nodes failed. */
	CONSENSUS,

	/** {@code merge}: an idle representative announces its ring so foreign rings can merge. */
	MERGE_DETECT,

	/** Heartbeat mode: an early token loss. */
	HEARTBEAT,

	/** {@code token / 5}: the pause detector's time stamp. */
	PAUSE,

	/** {@code send_join}: a join message whose random send delay has passed. */
	SEND_JOIN

}
