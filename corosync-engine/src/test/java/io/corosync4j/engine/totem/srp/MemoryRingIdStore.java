package io.corosync4j.engine.totem.srp;

import java.io.IOException;

/** A node's ring id file in the simulation: survives crashes and restarts, can be made to fail. */
final class MemoryRingIdStore implements RingIdStore {

	private long seq;

	private boolean exists;

	private boolean failing;

	private long writes;

	@Override
	public long loadOrCreate(long nodeid) {
		if (!this.exists) {
			this.exists = true;
			this.seq = 0;
		}
		return this.seq;
	}

	@Override
	public void store(long nodeid, long ringSeq) throws IOException {
		if (this.failing) {
			throw new IOException("ringid_" + nodeid + ": No space left on device");
		}
		this.seq = ringSeq;
		this.writes++;
	}

	/** Starts from a stored sequence, as a node whose file already exists. */
	void preset(long ringSeq) {
		this.exists = true;
		this.seq = ringSeq;
	}

	void fail() {
		this.failing = true;
	}

	long seq() {
		return this.seq;
	}

	long writes() {
		return this.writes;
	}

}
