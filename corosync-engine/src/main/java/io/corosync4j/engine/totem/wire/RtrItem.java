package io.corosync4j.engine.totem.wire;

/**
 * One retransmission request in a token's rtr list ({@code struct rtr_item}, 16 bytes).
 *
 * @param ringId the ring the missing message was sent in
 * @param seq the missing message's sequence number
 */
public record RtrItem(RingId ringId, long seq) {

	public static final int SIZE = 16;

	public RtrItem {
		Wire.checkU32(seq, "seq");
	}

}
