package io.corosync4j.engine.message;

import java.time.Duration;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * How a queue is created: whether it is persistent (kept, with its messages, for {@code retention}
 * after its consumer closed it or left, so a restarted consumer finds them) or not (deleted then), its
 * capacity per priority (messages and bytes of payload), and the consumer's prefetch window (how many
 * messages it may hold unacknowledged: a consumer that stops acknowledging stops receiving).
 */
public record QueueAttributes(boolean persistent, long retentionMillis, int[] maxMessages, long[] maxBytes, int prefetch) {

	/** The number of priorities: 0 is the highest, 3 the lowest. */
	public static final int PRIORITIES = 4;

	public QueueAttributes {
		maxMessages = maxMessages.clone();
		maxBytes = maxBytes.clone();
	}

	/** A queue deleted at close, 1,024 messages and 1 MiB a priority, a prefetch window of 16. */
	public static QueueAttributes transientQueue() {
		return new QueueAttributes(false, 0, filled(1024), filledLong(1L << 20), 16);
	}

	/** A persistent queue kept for {@code retention} after its last close, with the defaults of {@link #transientQueue()}. */
	public static QueueAttributes persistentQueue(Duration retention) {
		return new QueueAttributes(true, retention.toMillis(), filled(1024), filledLong(1L << 20), 16);
	}

	/** The same with every priority's capacity set. */
	public QueueAttributes withCapacity(int messages, long bytes) {
		return new QueueAttributes(this.persistent, this.retentionMillis, filled(messages), filledLong(bytes), this.prefetch);
	}

	/** The same with one priority's capacity set. */
	public QueueAttributes withCapacity(int priority, int messages, long bytes) {
		int[] m = this.maxMessages.clone();
		long[] b = this.maxBytes.clone();
		m[priority] = messages;
		b[priority] = bytes;
		return new QueueAttributes(this.persistent, this.retentionMillis, m, b, this.prefetch);
	}

	public QueueAttributes withPrefetch(int window) {
		return new QueueAttributes(this.persistent, this.retentionMillis, this.maxMessages, this.maxBytes, window);
	}

	@Override
	public int[] maxMessages() {
		return this.maxMessages.clone();
	}

	@Override
	public long[] maxBytes() {
		return this.maxBytes.clone();
	}

	int maxMessages(int priority) {
		return this.maxMessages[priority];
	}

	long maxBytes(int priority) {
		return this.maxBytes[priority];
	}

	/** What is wrong with these attributes, or {@code null}. */
	@Nullable String problem() {
		if (this.maxMessages.length != PRIORITIES || this.maxBytes.length != PRIORITIES) {
			return "a capacity for each of the " + PRIORITIES + " priorities";
		}
		for (int p = 0; p < PRIORITIES; p++) {
			if (this.maxMessages[p] < 0 || this.maxBytes[p] < 0) {
				return "a negative capacity at priority " + p;
			}
		}
		if (this.retentionMillis < 0) {
			return "a negative retention";
		}
		if (this.prefetch < 1 || this.prefetch > 65_536) {
			return "a prefetch window of 1 to 65536 messages, not " + this.prefetch;
		}
		return null;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof QueueAttributes that && this.persistent == that.persistent
				&& this.retentionMillis == that.retentionMillis && Arrays.equals(this.maxMessages, that.maxMessages)
				&& Arrays.equals(this.maxBytes, that.maxBytes) && this.prefetch == that.prefetch;
	}

	@Override
	public int hashCode() {
		return Boolean.hashCode(this.persistent) * 31 + Arrays.hashCode(this.maxMessages) * 17
				+ Arrays.hashCode(this.maxBytes) + this.prefetch;
	}

	@Override
	public String toString() {
		return "QueueAttributes[persistent=" + this.persistent + ", retention=" + this.retentionMillis + " ms, messages="
				+ Arrays.toString(this.maxMessages) + ", bytes=" + Arrays.toString(this.maxBytes) + ", prefetch="
				+ this.prefetch + "]";
	}

	private static int[] filled(int value) {
		int[] a = new int[PRIORITIES];
		Arrays.fill(a, value);
		return a;
	}

	private static long[] filledLong(long value) {
		long[] a = new long[PRIORITIES];
		Arrays.fill(a, value);
		return a;
	}

}
