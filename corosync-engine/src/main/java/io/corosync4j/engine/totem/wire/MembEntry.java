package io.corosync4j.engine.totem.wire;

/**
 * One member's state in a commit token ({@code struct memb_commit_token_memb_entry}, 24 bytes):
 * what it had of its old ring.
 *
 * @param ringId the member's old ring (rep 0 while the entry is not filled in)
 * @param aru its all-received-up-to in the old ring
 * @param highDelivered the highest sequence it delivered in the old ring
 * @param receivedFlg 1 when it received everything up to the old ring's seq
 */
public record MembEntry(RingId ringId, long aru, long highDelivered, long receivedFlg) {

	public static final int SIZE = 24;

	/** The entry of a member not yet visited by the commit token. */
	public static final MembEntry EMPTY = new MembEntry(new RingId(0, 0), 0, 0, 0);

	public MembEntry {
		Wire.checkU32(aru, "aru");
		Wire.checkU32(highDelivered, "highDelivered");
		Wire.checkU32(receivedFlg, "receivedFlg");
	}

}
