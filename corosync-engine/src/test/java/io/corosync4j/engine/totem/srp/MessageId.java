package io.corosync4j.engine.totem.srp;

import java.nio.ByteBuffer;

/**
 * Identity of an application message in the simulation, carried in the first 16 bytes of its payload:
 * the sending node, its incarnation and a per-incarnation counter.
 */
record MessageId(long nodeid, int incarnation, long counter) {

	static final int SIZE = 16;

	byte[] payload(int padding) {
		ByteBuffer buffer = ByteBuffer.allocate(SIZE + padding);
		buffer.putInt((int) this.nodeid).putInt(this.incarnation).putLong(this.counter);
		return buffer.array();
	}

	static MessageId of(byte[] payload) {
		ByteBuffer buffer = ByteBuffer.wrap(payload);
		return new MessageId(Integer.toUnsignedLong(buffer.getInt()), buffer.getInt(), buffer.getLong());
	}

	@Override
	public String toString() {
		return this.nodeid + "/" + this.incarnation + "#" + this.counter;
	}

}
