package io.corosync4j.engine.totem.srp;

import java.io.IOException;

/**
 * Persistence of the ring sequence number ({@code <state_dir>/ringid_<nodeid>} in Corosync), so that a
 * restarted node never re-creates a ring id its peers still remember. A failure to store is fatal for
 * the node, as it is for Corosync.
 */
public interface RingIdStore {

	/**
	 * The stored ring sequence, or 0 after creating the store when there is none yet.
	 * @throws IOException when the store can be neither read nor created
	 */
	long loadOrCreate(long nodeid) throws IOException;

	/**
	 * Stores the sequence of the ring being committed, before the protocol goes on.
	 * @throws IOException when it cannot be written
	 */
	void store(long nodeid, long ringSeq) throws IOException;

}
