package io.corosync4j.engine.totem.srp;

import java.util.Locale;

/** The protocol's event counters, named as Corosync names them under {@code stats.srp.}. */
public enum SrpCounter {

	/** Initial ORF tokens a new representative sent (Corosync counts no forwarded token here). */
	ORF_TOKEN_TX,
	ORF_TOKEN_RX, MEMB_MERGE_DETECT_TX, MEMB_MERGE_DETECT_RX, MEMB_JOIN_TX, MEMB_JOIN_RX,
	/** Messages accepted for sending (Corosync counts them when queued). */
	MCAST_TX,
	/** Messages multicast again for a retransmission request. */
	MCAST_RETX,
	MCAST_RX, MEMB_COMMIT_TOKEN_TX, MEMB_COMMIT_TOKEN_RX, TOKEN_HOLD_CANCEL_TX, TOKEN_HOLD_CANCEL_RX,
	OPERATIONAL_ENTERED, OPERATIONAL_TOKEN_LOST, GATHER_ENTERED, GATHER_TOKEN_LOST, COMMIT_ENTERED,
	COMMIT_TOKEN_LOST, RECOVERY_ENTERED, RECOVERY_TOKEN_LOST, CONSENSUS_TIMEOUTS,
	/** Foreign-ring messages dropped in COMMIT and RECOVERY, and undecodable packets the transport counted. */
	RX_MSG_DROPPED,
	/** Consecutive GATHER entries from consensus timeouts (a gauge that resets when a ring forms). */
	CONTINUOUS_GATHER;

	/** The key under {@code stats.srp.}, e.g. {@code orf_token_tx}. */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

}
