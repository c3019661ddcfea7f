package io.corosync4j.engine.totem.pg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.srp.ConfigurationType;
import io.corosync4j.engine.totem.srp.TotemListener;
import org.jspecify.annotations.Nullable;

/**
 * The process-group layer over Totem ({@code exec/totempg.c}): it listens to the protocol (deliveries,
 * configuration changes, the token), packs and cuts outgoing messages, reassembles incoming ones and
 * routes them by group to the handlers that joined it. Like the protocol it runs on one thread and
 * must not be called from any other.
 */
public final class Totempg implements TotemListener {

	/** What totempg needs of Totem: its send queue. */
	public interface OrderedQueue {

		/** Free slots in the queue messages are taken into now. */
		int available();

		/** Queues one MCAST payload; false when the queue is full. */
		boolean mcast(byte[] payload);

		/**
		 * Queues one MCAST payload even when the queue is full: the frame that closes a ring's traffic
		 * must not wait for room (it would then be sent in the next ring's synchronization).
		 */
		default boolean mcastRegardless(byte[] payload) {
			return mcast(payload);
		}

		/** A message is about to be queued: wakes a held token ({@code totemsrp_event_signal}). */
		void signalNewMessage();

		/** The payload the normal (not the synchronization) queue hands out next, or {@code null}. */
		byte @Nullable [] nextNormal();

		/**
		 * Replaces the first payloads of the normal queue, if they are {@code next}, with
		 * {@code replacement}, whatever its fill ({@link io.corosync4j.engine.totem.srp.TotemSrp#replaceNext}).
		 */
		boolean replaceNext(List<byte[]> next, List<byte[]> replacement);

	}

	/** Receives the messages of the groups a handle joined, and every configuration change. */
	public interface GroupListener {

		/**
		 * A message of one of the handle's groups, in agreed order.
		 * @param nodeid the originator
		 * @param message the service payload, after the group header
		 * @param bigEndian whether the originator writes big-endian
		 */
		void deliver(long nodeid, byte[] message, boolean bigEndian);

		/**
		 * The same message as {@code length} bytes of the frame it arrived in, from {@code offset}: valid
		 * during the call only. A listener that keeps nothing overrides this to spare a copy; the default
		 * copies the message out.
		 */
		default void deliver(long nodeid, byte[] buffer, int offset, int length, boolean bigEndian) {
			deliver(nodeid, Arrays.copyOfRange(buffer, offset, offset + length), bigEndian);
		}

		default void configurationChange(ConfigurationChange change) {
		}

	}

	/** Queue fill levels reported to services ({@code TOTEM_Q_LEVEL_*}), lowest first. */
	public enum QueueLevel {

		LOW, GOOD, HIGH, CRITICAL

	}

	/** {@code sizeof (struct totempg_mcast) + 16}: what Corosync allows per frame when it counts frames. */
	private static final int FRAME_OVERHEAD = PgFrame.HEADER_SIZE + 16;

	private final int netMtu;

	private final int queueCapacity;

	private final Fragmenter fragmenter;

	private final Reassembler reassembler = new Reassembler();

	private final OutgoingChains outgoing;

	/** This node's message the old ring carried only in part, found at the transitional configuration. */
	private OutgoingChains.@Nullable Cut cut;

	private long resent;

	private final List<Handle> handles = new ArrayList<>();

	private final List<Runnable> tokenListeners = new ArrayList<>();

	private @Nullable OrderedQueue queue;

	/** Frames promised to messages accepted but not yet sent ({@code totempg_reserved}); 1 is kept spare. */
	private int reserved = 1;

	private long sizeLimit;

	private long droppedUnknownGroup;

	/**
	 * @param netMtu Totem's {@code net_mtu} (the transport's {@code netmtu} less 90 bytes)
	 * @param queueCapacity Totem's send queue capacity ({@code MESSAGE_QUEUE_MAX})
	 */
	public Totempg(int netMtu, int queueCapacity) {
		this.netMtu = netMtu;
		this.queueCapacity = queueCapacity;
		this.fragmenter = new Fragmenter(netMtu);
		this.outgoing = new OutgoingChains(queueCapacity);
	}

	/** Connects the protocol's queue (Totem is built with this object as its listener, so it comes after). */
	public void bind(OrderedQueue orderedQueue) {
		this.queue = orderedQueue;
		this.sizeLimit = (long) (orderedQueue.available() - 1) * (this.netMtu - FRAME_OVERHEAD);
	}

	/** A new handle: a service's membership in some groups ({@code totempg_groups_initialize}). */
	/** Frames promised to accepted messages not yet sent ({@code stats.pg.msg_reserved}). */
	public int reserved() {
		return this.reserved;
	}

	public Handle register(GroupListener listener) {
		Handle handle = new Handle(listener);
		this.handles.add(handle);
		return handle;
	}

	/** Runs {@code listener} after each token, once the staged messages left: the queue may have room again. */
	public void onTokenReceived(Runnable listener) {
		this.tokenListeners.add(listener);
	}

	/** Largest message {@link Handle#reserve} accepts ({@code totempg_size_limit}). */
	public long sizeLimit() {
		return this.sizeLimit;
	}

	public long droppedMalformed() {
		return this.reassembler.drops(Reassembler.Drop.MALFORMED) + this.reassembler.drops(Reassembler.Drop.TOO_LARGE);
	}

	public long droppedUnknownGroup() {
		return this.droppedUnknownGroup;
	}

	/** Chunks of other nodes' messages whose start this node did not receive in the same context. */
	public long droppedOrphaned() {
		return this.reassembler.drops(Reassembler.Drop.ORPHANED);
	}

	/** This node's messages sent again whole because a membership change cut them. */
	public long resent() {
		return this.resent;
	}

	// ---------------------------------------------------------------------------------------------
	// TotemListener

	@Override
	public void deliver(long nodeid, byte[] payload, boolean bigEndian) {
		this.reassembler.receive(nodeid, payload, bigEndian, this::route);
	}

	@Override
	public void configurationChange(ConfigurationChange change) {
		OrderedQueue target = this.queue;
		if (change.type() == ConfigurationType.TRANSITIONAL && target != null && !this.fragmenter.isEmpty()) {
			// what is staged was accepted in the old ring: queue it behind its predecessors now, before
			// Totem switches to the synchronization queue. Corosync flushes it at the new ring's first
			// token into that queue, where it overtakes this sender's older frames and continues a
			// fragment chain in the other assembly context, so every receiver throws it away
			byte[] frame = this.fragmenter.flush();
			if (frame != null && target.mcastRegardless(frame)) {
				this.outgoing.emitted(frame);
			}
		}
		if (change.type() == ConfigurationType.TRANSITIONAL && target != null) {
			// the normal queue is held from here until synchronization completes
			this.cut = this.outgoing.cutBy(target.nextNormal());
		}
		this.reassembler.forget(change.left());
		for (Handle handle : this.handles) {
			handle.listener.configurationChange(change);
		}
	}

	@Override
	public void waitingTransAck(boolean waiting) {
		this.reassembler.waitingTransAck(waiting);
	}

	/**
	 * Synchronization completed, at the same point of the agreed order on every member; called before
	 * Totem returns to its normal queue.
	 * <p>
	 * A message of this node that the membership change cut (the old ring carried its start) would be
	 * finished in the new ring only for the members that hold that start. With {@code repairCut} it goes
	 * out again whole instead, in place of its queued end, so that every member delivers it once: when
	 * every member is a corosync4j node ({@code corosync4jOnly}, which they all agree on) the members
	 * forget partial messages here, and beside Corosync daemons a frame that continues nothing and ends
	 * clean goes first, which makes a member that holds the start drop it, by Corosync's own rule.
	 * Receiving, a corosync4j-only ring then follows the agreed rule, any other Corosync's.
	 * @param repairCut false for a node that behaves as a Corosync daemon does (tests model those)
	 */
	public void synchronizationCompleted(boolean corosync4jOnly, boolean repairCut) {
		this.reassembler.synchronizationCompleted(corosync4jOnly);
		OutgoingChains.Cut found = this.cut;
		this.cut = null;
		OrderedQueue target = this.queue;
		if (!repairCut || found == null || target == null) {
			return;
		}
		List<byte[]> whole = frames(List.of(found.message()));
		List<byte[]> replacement = new ArrayList<>();
		if (!corosync4jOnly) {
			replacement.addAll(frames(groupHeader(Group.COROSYNC4J)));
		}
		replacement.addAll(whole);
		byte[] rest = withoutFirstChunk(found.unsent().get(found.unsent().size() - 1));
		if (rest != null) {
			replacement.add(rest);
		}
		if (target.replaceNext(found.unsent(), replacement)
				|| (corosync4jOnly && target.replaceNext(List.of(), whole))) {
			this.outgoing.resent(whole);
			this.resent++;
		}
	}

	@Override
	public void tokenReceived() {
		// the listeners first: what they queue now joins the staged frame and leaves at this visit
		for (Runnable listener : this.tokenListeners) {
			listener.run();
		}
		flushStaged();
	}

	/** A message cut as a chain of its own, from a fresh tag, ending with its last frame. */
	private List<byte[]> frames(List<byte[]> pieces) {
		Fragmenter fresh = new Fragmenter(this.netMtu);
		List<byte[]> frames = new ArrayList<>();
		fresh.add(pieces, frames::add);
		byte[] last = fresh.flush();
		if (last != null) {
			frames.add(last);
		}
		return frames;
	}

	/** The group header and names of a message to {@code groups} (before the service's payload). */
	private static List<byte[]> groupHeader(Group... groups) {
		byte[] header = new byte[2 + 2 * groups.length];
		PgFrame.putU16(header, 0, groups.length);
		List<byte[]> pieces = new ArrayList<>(groups.length + 1);
		pieces.add(header);
		for (int i = 0; i < groups.length; i++) {
			PgFrame.putU16(header, 2 + 2 * i, groups[i].length());
			pieces.add(groups[i].bytes());
		}
		return pieces;
	}

	/** This node's frame without its first chunk, as a frame that continues nothing; {@code null} if nothing is left. */
	private static byte @Nullable [] withoutFirstChunk(byte[] frame) {
		PgFrame decoded = PgFrame.decode(frame, false);
		if (decoded == null || decoded.count() < 2) {
			return null;
		}
		int[] lengths = decoded.lengths();
		return new PgFrame(decoded.fragmented(), 0, Arrays.copyOfRange(lengths, 1, lengths.length), decoded.data(),
				decoded.dataOffset() + lengths[0]).encode();
	}

	// ---------------------------------------------------------------------------------------------

	/** Hands the staged frame to Totem ({@code totempg}'s token callback). */
	private void flushStaged() {
		OrderedQueue target = this.queue;
		if (target != null && !this.fragmenter.isEmpty() && target.available() > 0) {
			byte[] frame = this.fragmenter.flush();
			if (frame != null) {
				emit(target, frame);
			}
		}
	}

	private void emit(OrderedQueue target, byte[] frame) {
		// the room check is Corosync's estimate and can fall a frame short; a frame of a message already
		// accepted must not be lost (the chain would break for every member, the sender too)
		if (target.mcast(frame) || target.mcastRegardless(frame)) {
			this.outgoing.emitted(frame);
		}
	}

	/** Hands a complete message (a view into a frame or an assembly buffer) to the groups it names. */
	private void route(long nodeid, byte[] message, int offset, int length, boolean bigEndian) {
		// group header: u16 count, u16 length per group, the names, then the service payload
		if (length < 2) {
			this.droppedUnknownGroup++;
			return;
		}
		int end = offset + length;
		int groupCount = PgFrame.u16(message, offset, bigEndian);
		int namesAt = offset + 2 + 2 * groupCount;
		if (end < namesAt) {
			this.droppedUnknownGroup++;
			return;
		}
		int payloadAt = namesAt;
		for (int i = 0; i < groupCount; i++) {
			payloadAt += PgFrame.u16(message, offset + 2 + 2 * i, bigEndian);
		}
		if (payloadAt > end) {
			this.droppedUnknownGroup++;
			return;
		}
		boolean delivered = false;
		for (Handle handle : this.handles) {
			if (handle.matches(message, offset, groupCount, namesAt, bigEndian)) {
				handle.listener.deliver(nodeid, message, payloadAt, end - payloadAt, bigEndian);
				delivered = true;
			}
		}
		if (!delivered) {
			this.droppedUnknownGroup++;
		}
	}

	private OrderedQueue queue() {
		OrderedQueue target = this.queue;
		if (target == null) {
			throw new IllegalStateException("totempg is not bound to a Totem queue yet");
		}
		return target;
	}

	/** {@code byte_count_send_ok}: whether Totem's queue has a slot for every frame of that many bytes. */
	private boolean roomFor(long bytes) {
		long frames = bytes / (this.netMtu - FRAME_OVERHEAD) + 1;
		return queue().available() >= frames;
	}

	private QueueLevel level(QueueLevel current) {
		int used = 100 - ((queue().available() - this.reserved) * 100) / this.queueCapacity;
		if (used >= 75) {
			return QueueLevel.CRITICAL;
		}
		if (used < 30) {
			return QueueLevel.LOW;
		}
		if (used > 40 && used < 50) {
			return QueueLevel.GOOD;
		}
		if (used > 60 && used < 70) {
			return QueueLevel.HIGH;
		}
		return current;
	}

	/** One service's groups: it sends to all of them and receives what is sent to any. */
	public final class Handle {

		private final GroupListener listener;

		private final List<Group> groups = new ArrayList<>();

		private QueueLevel level = QueueLevel.LOW;

		private @Nullable IntConsumer levelListener;

		Handle(GroupListener listener) {
			this.listener = listener;
		}

		public Handle join(Group... joined) {
			this.groups.addAll(List.of(joined));
			return this;
		}

		/** Called with the new {@link QueueLevel} ordinal when a reservation moves the level. */
		public void onQueueLevel(IntConsumer consumer) {
			this.levelListener = consumer;
		}

		public QueueLevel queueLevel() {
			return this.level;
		}

		/**
		 * Multicasts one message to this handle's groups ({@code totempg_groups_mcast_joined}).
		 * @param pieces the message, as the buffers the service builds it from (cut points follow them)
		 * @return false when Totem's queue has no room for it now (try again after the next token)
		 */
		public boolean mcast(byte[]... pieces) {
			OrderedQueue target = queue();
			target.signalNewMessage();
			long total = 0;
			for (byte[] piece : pieces) {
				total += piece.length;
			}
			if (!roomFor(total + 2L * Totempg.this.fragmenter.count())) {
				return false;
			}
			List<byte[]> all = groupHeader(this.groups.toArray(new Group[0]));
			all.addAll(List.of(pieces));
			Totempg.this.fragmenter.add(all, (frame) -> emit(target, frame));
			return true;
		}

		/**
		 * Promises Totem's queue room for a message of this size before it is built
		 * ({@code totempg_groups_joined_reserve}); give it back with {@link #release}.
		 * @return the frames reserved, 0 when there is no room now, -1 when the message can never fit
		 */
		public int reserve(long messageSize) {
			long size = messageSize;
			for (Group group : this.groups) {
				size += group.length();
			}
			int result;
			if (size >= Totempg.this.sizeLimit) {
				result = -1;
			}
			else if (roomFor(size)) {
				result = (int) (size / (Totempg.this.netMtu - FRAME_OVERHEAD) + 1);
				Totempg.this.reserved += result;
			}
			else {
				result = 0;
			}
			updateLevel();
			return result;
		}

		public void release(int frames) {
			Totempg.this.reserved -= frames;
		}

		private void updateLevel() {
			QueueLevel next = level(this.level);
			if (next != this.level) {
				this.level = next;
				IntConsumer consumer = this.levelListener;
				if (consumer != null) {
					consumer.accept(next.ordinal());
				}
			}
		}

		boolean matches(byte[] message, int offset, int groupCount, int namesAt, boolean bigEndian) {
			int at = namesAt;
			for (int i = 0; i < groupCount; i++) {
				int length = PgFrame.u16(message, offset + 2 + 2 * i, bigEndian);
				for (Group group : this.groups) {
					if (group.matches(message, at, length)) {
						return true;
					}
				}
				at += length;
			}
			return false;
		}

	}

}
