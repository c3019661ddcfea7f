package io.corosync4j.engine.totem.wire;

/**
 * Why a datagram is not a Totem message. Each is counted by the receiver (Corosync counts them as
 * {@code stats.srp.rx_msg_dropped}); none is an exception.
 */
public enum Rejection implements DecodeResult {

	/** Shorter than its header or than its counts require. */
	TRUNCATED,

	/** Longer than its counts say. */
	OVERSIZED,

	/** Not the Totem magic {@code 0xC070} in either byte order: another program, Corosync 2.x, or encrypted knet. */
	BAD_MAGIC,

	/** Totem magic, but not version 3. */
	UNSUPPORTED_VERSION,

	/** A type byte Totem does not define. */
	UNKNOWN_TYPE,

	/** More list entries than Corosync ever sends (30 rtr entries, 384 nodes). */
	TOO_MANY_ENTRIES,

	/** Fields that contradict each other, such as a commit token's index beyond its member count. */
	INCONSISTENT,

	/** An encapsulated MCAST whose payload is not a regular MCAST. */
	BAD_ENCAPSULATION

}
