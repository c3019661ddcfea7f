package io.corosync4j.engine.totem.pg;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The receiving half of totempg ({@code totempg_deliver_fn}): per originator, the chunks of a message
 * cut over several frames are joined, and complete messages go out in order. A frame whose
 * continuation tag does not match the chain being built (the receiver missed the chain's start, as a
 * node that joined mid-chain does) switches that originator to throw-away: frames are discarded until
 * one whose {@code fragmented} tag is 0 or 1 (the end of a chain or the start of a new one) — the same
 * messages Corosync discards, so nodes agree on what was delivered. Two sets of assemblies exist, one
 * while a new ring is being synchronized and one for normal operation; messages never mix between them.
 */
final class Reassembler {

	/** {@code MESSAGE_SIZE_MAX + KNET_MAX_PACKET_SIZE}: the assembly buffer Corosync has per node. */
	static final int ASSEMBLY_CAPACITY = 1024 * 1024 + 65536;

	/** Where complete messages go. */
	interface Delivery {

		void deliver(long nodeid, byte[] message, boolean bigEndian);

	}

	/** Why a frame was dropped: counted, never thrown. */
	enum Drop {

		/** Shorter or longer than its header and length table say. */
		MALFORMED,

		/** The chain would exceed the assembly buffer (Corosync aborts there). */
		TOO_LARGE

	}

	private final Map<Long, Assembly> normal = new HashMap<>();

	private final Map<Long, Assembly> synchronizing = new HashMap<>();

	private final long[] drops = new long[Drop.values().length];

	private boolean waitingTransAck;

	/** Switches between the two assembly sets, as Totem switches its send queues. */
	void waitingTransAck(boolean waiting) {
		this.waitingTransAck = waiting;
	}

	/** Forgets what was assembled for nodes that left the ring. */
	void forget(Iterable<Long> nodeids) {
		for (Long nodeid : nodeids) {
			this.normal.remove(nodeid);
			this.synchronizing.remove(nodeid);
		}
	}

	long drops(Drop drop) {
		return this.drops[drop.ordinal()];
	}

	/** One MCAST payload from {@code nodeid}, in agreed order. */
	void receive(long nodeid, byte[] payload, boolean bigEndian, Delivery delivery) {
		PgFrame frame = PgFrame.decode(payload, bigEndian);
		if (frame == null) {
			this.drops[Drop.MALFORMED.ordinal()]++;
			return;
		}
		Map<Long, Assembly> assemblies = this.waitingTransAck ? this.synchronizing : this.normal;
		Assembly assembly = assemblies.computeIfAbsent(nodeid, (key) -> new Assembly());
		int[] lengths = frame.lengths();
		int dataLength = frame.dataLength();
		if (assembly.index + dataLength >= ASSEMBLY_CAPACITY) {
			this.drops[Drop.TOO_LARGE.ordinal()]++;
			assemblies.remove(nodeid);
			return;
		}
		assembly.append(frame.data(), frame.dataOffset(), dataLength);
		int complete = (frame.fragmented() != 0) ? frame.count() - 1 : frame.count();
		// where the chunks of this frame start in the buffer: after what earlier frames left
		int position = assembly.index;
		boolean discarding = assembly.throwAway;
		if (assembly.throwAway) {
			// Corosync leaves lastFragment as it was here, so a new chain is usually thrown away too
			if (frame.fragmented() == 0 || frame.fragmented() == 1) {
				assembly.throwAway = false;
			}
		}
		else if (frame.continuation() == assembly.lastFragment) {
			assembly.lastFragment = frame.fragmented();
			int start = 0;
			for (int i = 0; i < complete; i++) {
				int end = position + lengths[i];
				delivery.deliver(nodeid, Arrays.copyOfRange(assembly.data, start, end), bigEndian);
				position = end;
				start = end;
			}
		}
		else {
			assembly.throwAway = true;
			discarding = true;
		}
		if (frame.fragmented() == 0) {
			assemblies.remove(nodeid);
			return;
		}
		// keep the trailing chunk, the start of the message the next frame continues; while
		// discarding keep nothing else (Corosync keeps stale bytes here and can deliver them)
		int trailing = lengths[frame.count() - 1];
		if (frame.count() > 1 || discarding) {
			System.arraycopy(assembly.data, assembly.filled - trailing, assembly.data, 0, trailing);
			assembly.index = trailing;
		}
		else {
			assembly.index += trailing;
		}
		assembly.filled = assembly.index;
	}

	/** One originator's partly received message. */
	private static final class Assembly {

		byte[] data = new byte[4096];

		/** Bytes of the unfinished message carried over from earlier frames. */
		int index;

		/** Bytes in {@code data}: {@code index} plus the current frame's chunks. */
		int filled;

		int lastFragment;

		boolean throwAway;

		void append(byte[] source, int offset, int length) {
			this.filled = this.index + length;
			if (this.filled > this.data.length) {
				this.data = Arrays.copyOf(this.data, Math.max(this.filled, Math.min(2 * this.data.length, ASSEMBLY_CAPACITY)));
			}
			System.arraycopy(source, offset, this.data, this.index, length);
		}

	}

}
