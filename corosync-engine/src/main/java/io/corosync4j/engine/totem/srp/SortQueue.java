package io.corosync4j.engine.totem.srp;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * A ring buffer of messages indexed by sequence number ({@code struct sq} in Corosync's {@code sq.h}):
 * 16384 slots starting at {@code headSeqid}, a per-slot miss counter for the retransmission rule, and
 * release of everything up to a sequence number. All arithmetic is unsigned 32-bit, as in C.
 *
 * @param <T> the stored message type
 */
final class SortQueue<T> {

	/** {@code QUEUE_RTR_ITEMS_SIZE_MAX}. */
	static final int SIZE = 16384;

	private static final int ROLLOVER_POINT = 0x80000000;

	private static final int ROLLOVER_VALUE = 0x10000;

	private final @Nullable Object[] items = new Object[SIZE];

	private final boolean[] inUse = new boolean[SIZE];

	private final int[] missCount = new int[SIZE];

	private int head;

	private int headSeqid;

	SortQueue(int headSeqid) {
		this.headSeqid = headSeqid;
	}

	void reinit(int headSeqid) {
		this.head = 0;
		this.headSeqid = headSeqid;
		Arrays.fill(this.items, null);
		Arrays.fill(this.inUse, false);
		Arrays.fill(this.missCount, 0);
	}

	void copyFrom(SortQueue<T> source) {
		this.head = source.head;
		this.headSeqid = source.headSeqid;
		System.arraycopy(source.items, 0, this.items, 0, SIZE);
		System.arraycopy(source.inUse, 0, this.inUse, 0, SIZE);
		System.arraycopy(source.missCount, 0, this.missCount, 0, SIZE);
	}

	private int position(int seq) {
		return Integer.remainderUnsigned(this.head - this.headSeqid + seq, SIZE);
	}

	void add(T item, int seq) {
		int position = position(seq);
		if (this.inUse[position]) {
			throw new IllegalStateException("sort queue slot for seq " + Integer.toUnsignedString(seq, 16) + " is taken");
		}
		this.items[position] = item;
		this.inUse[position] = true;
		this.missCount[position] = 0;
	}

	boolean inUse(int seq) {
		return this.inUse[position(seq)];
	}

	/** Counts one more token visit that found {@code seq} missing and returns the new count. */
	int missed(int seq) {
		return ++this.missCount[position(seq)];
	}

	/** Whether {@code seq} lies in the window {@code [headSeqid, headSeqid + SIZE)}. */
	boolean inRange(int seq) {
		if (Integer.compareUnsigned(this.headSeqid, ROLLOVER_POINT) > 0) {
			int adjusted = seq - ROLLOVER_VALUE;
			int start = this.headSeqid - ROLLOVER_VALUE;
			return Integer.compareUnsigned(adjusted, start) >= 0 && Integer.compareUnsigned(adjusted, start + SIZE) < 0;
		}
		return Integer.compareUnsigned(seq, this.headSeqid) >= 0
				&& Integer.compareUnsigned(seq, this.headSeqid + SIZE) < 0;
	}

	/** The message at {@code seq}, or null when the slot is empty or outside the window. */
	@SuppressWarnings("unchecked")
	@Nullable T get(int seq) {
		if (!inRange(seq)) {
			return null;
		}
		int position = position(seq);
		return this.inUse[position] ? (T) this.items[position] : null;
	}

	/** Frees every slot up to and including {@code seq}; the window then starts at {@code seq + 1}. */
	void release(int seq) {
		int count = seq - this.headSeqid + 1;
		for (int i = 0; Integer.compareUnsigned(i, count) < 0 && i < SIZE; i++) {
			int position = (this.head + i) % SIZE;
			this.items[position] = null;
			this.inUse[position] = false;
			this.missCount[position] = 0;
		}
		this.head = Integer.remainderUnsigned(this.head + count, SIZE);
		this.headSeqid = seq + 1;
	}

}
