package io.corosync4j.engine.totem.pg;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * This node's own messages that were cut over several frames, kept while a frame of theirs may still
 * wait in Totem's send queues. When a membership change finds the head of the normal queue in the
 * middle of one of them, the old ring carried only its start; {@link #cutBy} gives the whole message
 * back, with the frames of it that are still queued, so that it can be sent again in the new ring
 * instead of being finished there for only the members that hold its start.
 */
final class OutgoingChains {

	/**
	 * A message the old ring carried only in part.
	 * @param message the whole message, as this node sent it
	 * @param unsent its frames still queued, from the head of the normal queue; the last one may carry
	 * other messages after the cut one's end
	 */
	record Cut(byte[] message, List<byte[]> unsent) {
	}


	/** One message cut over frames: the frames holding its chunks, in order. */
	private static final class Chain {

		final List<byte[]> frames = new ArrayList<>(4);

		long lastFrame;

	}

	private final ArrayDeque<Chain> chains = new ArrayDeque<>();

	/** Frames emitted further back than this cannot be queued any more (both queues' capacity, with room). */
	private final long horizon;

	private @Nullable Chain open;

	/** The chain {@link #cutBy} found last: once sent again, its remaining frames continue nothing. */
	private @Nullable Chain cut;

	private long emitted;

	/**
	 * @param queueCapacity Totem's send queue capacity
	 */
	OutgoingChains(int queueCapacity) {
		this.horizon = 2L * queueCapacity + 16;
	}

	/** A frame this node's totempg hands to Totem, in the order it does. */
	void emitted(byte[] frame) {
		int fragmented = frame[4] & 0xFF;
		int continuation = frame[5] & 0xFF;
		int count = PgFrame.u16(frame, 6, false);
		Chain current = this.open;
		if (continuation != 0 && current != null) {
			current.frames.add(frame);
			current.lastFrame = this.emitted;
			if (count > 1 || fragmented == 0) {
				this.open = null;
			}
		}
		if (fragmented != 0 && this.open == null) {
			Chain started = new Chain();
			started.frames.add(frame);
			started.lastFrame = this.emitted;
			this.chains.addLast(started);
			this.open = started;
		}
		this.emitted++;
		while (!this.chains.isEmpty() && this.chains.peekFirst() != this.open
				&& this.chains.peekFirst().lastFrame < this.emitted - this.horizon) {
			this.chains.pollFirst();
		}
	}

	/**
	 * The message {@link #cutBy} gave went out again whole, ahead of the frames already queued: the end
	 * of its first chain is an orphan everyone drops and must never be taken for a cut again (the message
	 * would then be delivered twice); the new chain may be cut in its turn.
	 */
	void resent(List<byte[]> frames) {
		Chain superseded = this.cut;
		if (superseded != null) {
			this.chains.remove(superseded);
			this.cut = null;
		}
		Chain chain = new Chain();
		chain.frames.addAll(frames);
		chain.lastFrame = this.emitted + frames.size() - 1;
		this.emitted += frames.size();
		this.chains.addLast(chain);
	}

	/**
	 * The message whose chain {@code next} (the first frame the old ring did not carry) continues;
	 * {@code null} when {@code next} starts with a new message or is unknown.
	 */
	@Nullable Cut cutBy(byte @Nullable [] next) {
		this.cut = null;
		if (next == null || (next[5] & 0xFF) == 0) {
			return null;
		}
		for (Chain chain : this.chains) {
			for (int i = 1; i < chain.frames.size(); i++) {
				if (chain.frames.get(i) == next) {
					this.cut = chain;
					return new Cut(join(chain), List.copyOf(chain.frames.subList(i, chain.frames.size())));
				}
			}
		}
		return null;
	}

	/** The chain's chunks back to back: the first frame's last chunk, whole middle frames, the last's first. */
	private static byte[] join(Chain chain) {
		ByteArrayOutputStream message = new ByteArrayOutputStream();
		int last = chain.frames.size() - 1;
		for (int i = 0; i <= last; i++) {
			PgFrame frame = PgFrame.decode(chain.frames.get(i), false);
			if (frame == null) {
				throw new IllegalStateException("totempg emitted a frame it cannot read back");
			}
			int[] lengths = frame.lengths();
			int chunk = (i == 0) ? lengths.length - 1 : 0;
			int at = frame.dataOffset();
			for (int k = 0; k < chunk; k++) {
				at += lengths[k];
			}
			message.write(frame.data(), at, lengths[chunk]);
		}
		return message.toByteArray();
	}

}
