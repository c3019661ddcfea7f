package io.corosync4j.engine.totem.pg;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of totempg ({@code totempg_deliver_fn}): per originator, the chunks of a message
 * cut over several frames are joined, and complete messages go out in order. Two sets of assemblies
 * exist, one while a new ring is being synchronized and one for normal operation; messages never mix
 * between them.
 * <p>
 * What happens to a chunk whose chain start this node did not receive (it joined mid-chain, or the
 * chain crossed a membership change) follows one of two rules. Corosync's: the originator switches to
 * throw-away, and whole frames are discarded until one whose {@code fragmented} tag is 0 or 1 — the
 * outcome depends on what each receiver happened to see, so members that move together can disagree.
 * The agreed rule, used for normal traffic while every member is a corosync4j node: all members forget
 * their partial messages when synchronization completes (one point of the agreed order), and only the
 * orphaned chunk itself is dropped, never the whole messages packed behind it; so every member's state
 * is the same function of the agreed order.
 */
final class Reassembler {

	/** At debug: every switch into and out of throw-away, to compare receivers' readings of one stream. */
	private static final Logger logger = LoggerFactory.getLogger(Reassembler.class);

	/** {@code MESSAGE_SIZE_MAX + KNET_MAX_PACKET_SIZE}: the assembly buffer Corosync has per node. */
	static final int ASSEMBLY_CAPACITY = 1024 * 1024 + 65536;

	/** Where complete messages go. */
	interface Delivery {

		/**
		 * One complete message: {@code length} bytes of {@code buffer} from {@code offset}, readable during
		 * the call only (the buffer is the frame or the originator's assembly buffer).
		 */
		void deliver(long nodeid, byte[] buffer, int offset, int length, boolean bigEndian);

	}

	/** Why a frame was dropped: counted, never thrown. */
	enum Drop {

		/** Shorter or longer than its header and length table say. */
		MALFORMED,

		/** The chain would exceed the assembly buffer (Corosync aborts there). */
		TOO_LARGE,

		/** A chunk, or a partial message, whose chain this node did not see whole (agreed rule only). */
		ORPHANED

	}

	private final Map<Long, Assembly> normal = new HashMap<>();

	private final Map<Long, Assembly> synchronizing = new HashMap<>();

	private final long[] drops = new long[Drop.values().length];

	private boolean waitingTransAck;

	/** Whether normal traffic follows the agreed rule: set when synchronization completes. */
	private boolean agreed;

	/** Switches between the two assembly sets, as Totem switches its send queues. */
	void waitingTransAck(boolean waiting) {
		this.waitingTransAck = waiting;
		logger.debug("assemblies: {} set", waiting ? "sync" : "normal");
	}

	/**
	 * Synchronization completed: with {@code corosync4jOnly} every member forgets its partial messages
	 * here and normal traffic follows the agreed rule until the next completion; otherwise Corosync's.
	 */
	void synchronizationCompleted(boolean corosync4jOnly) {
		this.agreed = corosync4jOnly;
		if (corosync4jOnly) {
			forgetAll(this.normal);
			forgetAll(this.synchronizing);
		}
	}

	private void forgetAll(Map<Long, Assembly> assemblies) {
		for (Assembly assembly : assemblies.values()) {
			if (assembly.index > 0 || assembly.lastFragment != 0) {
				this.drops[Drop.ORPHANED.ordinal()]++;
			}
		}
		assemblies.clear();
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
		// a frame that says its last chunk continues must have a chunk (Corosync reads before its table)
		if (frame == null || (frame.count() == 0 && frame.fragmented() != 0)) {
			this.drops[Drop.MALFORMED.ordinal()]++;
			logger.debug("node {}: dropped a malformed frame of {} bytes", nodeid, payload.length);
			return;
		}
		Map<Long, Assembly> assemblies = this.waitingTransAck ? this.synchronizing : this.normal;
		Assembly assembly = assemblies.computeIfAbsent(nodeid, (key) -> new Assembly());
		int[] lengths = frame.lengths();
		int dataLength = frame.dataLength();
		if (assembly.index + dataLength >= ASSEMBLY_CAPACITY) {
			this.drops[Drop.TOO_LARGE.ordinal()]++;
			logger.debug("node {}: dropped a frame that overfills the assembly ({} bytes held, {} more)", nodeid,
					assembly.index, dataLength);
			assemblies.remove(nodeid);
			return;
		}
		if (this.agreed && !this.waitingTransAck) {
			receiveAgreed(nodeid, frame, assembly, bigEndian, delivery);
			return;
		}
		byte[] data = frame.data();
		int complete = (frame.fragmented() != 0) ? frame.count() - 1 : frame.count();
		boolean discarding = assembly.throwAway;
		if (assembly.throwAway) {
			// Corosync leaves lastFragment as it was here, so a new chain is usually thrown away too
			if (frame.fragmented() == 0 || frame.fragmented() == 1) {
				assembly.throwAway = false;
				if (logger.isDebugEnabled()) {
					logger.debug("node {}: throw-away ends ({}, {} messages, fragmented {}, last {})", nodeid,
							this.waitingTransAck ? "sync" : "normal", frame.count(), frame.fragmented(),
							assembly.lastFragment);
				}
			}
		}
		else if (frame.continuation() == assembly.lastFragment) {
			assembly.lastFragment = frame.fragmented();
			int at = frame.dataOffset();
			for (int i = 0; i < complete; i++) {
				if (i == 0 && assembly.index > 0) {
					// the end of a message whose start earlier frames left in the assembly buffer
					assembly.append(data, at, lengths[0]);
					delivery.deliver(nodeid, assembly.data, 0, assembly.index + lengths[0], bigEndian);
				}
				else {
					// whole in this frame: delivered from the frame itself, no copy
					delivery.deliver(nodeid, data, at, lengths[i], bigEndian);
				}
				at += lengths[i];
			}
		}
		else {
			assembly.throwAway = true;
			discarding = true;
			if (logger.isDebugEnabled()) {
				logger.debug("node {}: throw-away from continuation {} where {} was expected ({}, {} messages, "
						+ "fragmented {}, {} bytes held)", nodeid, frame.continuation(), assembly.lastFragment,
						this.waitingTransAck ? "sync" : "normal", frame.count(), frame.fragmented(), assembly.index);
			}
		}
		if (frame.fragmented() == 0) {
			// nothing carries over: as a fresh assembly, without allocating one per frame
			assembly.index = 0;
			assembly.lastFragment = 0;
			assembly.throwAway = false;
			return;
		}
		// keep the trailing chunk, the start of the message the next frame continues; after other
		// chunks, or while discarding, it starts a new message (Corosync keeps stale bytes here and can
		// deliver them)
		int trailing = lengths[frame.count() - 1];
		int trailingAt = frame.dataOffset() + dataLength - trailing;
		if (frame.count() > 1 || discarding) {
			assembly.index = 0;
		}
		assembly.append(data, trailingAt, trailing);
		assembly.index += trailing;
	}

	/**
	 * The agreed rule: chunk by chunk, a continuation joins the partial message only when its tag is the
	 * one that message waits for; otherwise it is dropped alone (and so is a partial message nothing
	 * continues). Whole chunks are delivered, a trailing cut chunk is kept.
	 */
	private void receiveAgreed(long nodeid, PgFrame frame, Assembly assembly, boolean bigEndian, Delivery delivery) {
		int[] lengths = frame.lengths();
		byte[] data = frame.data();
		int at = frame.dataOffset();
		int last = lengths.length - 1;
		for (int i = 0; i <= last; i++) {
			int length = lengths[i];
			boolean held = assembly.index > 0 || assembly.lastFragment != 0;
			boolean continues = i == 0 && frame.continuation() != 0;
			boolean ends = i < last || frame.fragmented() == 0;
			if (continues && !(held && frame.continuation() == assembly.lastFragment)) {
				this.drops[Drop.ORPHANED.ordinal()] += held ? 2 : 1;
				assembly.index = 0;
				assembly.lastFragment = 0;
				at += length;
				continue;
			}
			if (!continues && held) {
				this.drops[Drop.ORPHANED.ordinal()]++;
				assembly.index = 0;
				assembly.lastFragment = 0;
			}
			if (continues || !ends) {
				assembly.append(data, at, length);
				assembly.index += length;
			}
			if (!ends) {
				assembly.lastFragment = frame.fragmented();
			}
			else if (continues) {
				delivery.deliver(nodeid, assembly.data, 0, assembly.index, bigEndian);
				assembly.index = 0;
				assembly.lastFragment = 0;
			}
			else {
				delivery.deliver(nodeid, data, at, length, bigEndian);
			}
			at += length;
		}
	}

	/** One originator's partly received message. */
	private static final class Assembly {

		byte[] data = new byte[4096];

		/** Bytes of the unfinished message carried over from earlier frames. */
		int index;

		int lastFragment;

		boolean throwAway;

		/** Copies {@code length} bytes to {@code index} (which stays where it is). */
		void append(byte[] source, int offset, int length) {
			int filled = this.index + length;
			if (filled > this.data.length) {
				this.data = Arrays.copyOf(this.data, Math.max(filled, Math.min(2 * this.data.length, ASSEMBLY_CAPACITY)));
			}
			System.arraycopy(source, offset, this.data, this.index, length);
		}

	}

}
