package io.corosync4j.benchmarks;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Mutual exclusion checked from outside the lock service: a small file every member of a contended run
 * maps into memory (the members are processes of one machine), entered by each holder right after its
 * grant and left right before its unlock. A second holder shows as a taken holder slot, as a lost update
 * of the entry counter (read and written back without atomicity, as any data a lock guards), or as a
 * fencing token that did not grow. {@link LockBenchmark} reads the counters while the members run.
 */
final class LockExclusion implements AutoCloseable {

	/** The member inside (its index, 1 to {@link #MAX_MEMBERS}), 0 when nobody is. */
	private static final int HOLDER = 0;

	/** Entries so far: updated by the holder only. */
	private static final int ENTRIES = 8;

	/** Entries by another member than the one before. */
	private static final int HANDOFFS = 16;

	/** The largest fencing token a holder came in with. */
	private static final int TOKEN = 24;

	private static final int VIOLATIONS = 32;

	private static final int LAST_HOLDER = 40;

	/** Entries per member, from here on: member {@code i} at {@code PER_MEMBER + 8 * i}. */
	private static final int PER_MEMBER = 64;

	static final int MAX_MEMBERS = 7;

	private static final int SIZE = PER_MEMBER + 8 * (MAX_MEMBERS + 1);

	private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

	/** Violations printed by one member, at most: the first ones say what happened. */
	private static final int PRINTED = 10;

	private final FileChannel channel;

	private final MappedByteBuffer memory;

	private long violationsSeen;

	private LockExclusion(FileChannel channel) throws IOException {
		this.channel = channel;
		this.memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
	}

	/** A new, empty file at {@code file} (replacing one there), opened. */
	static LockExclusion create(Path file) throws IOException {
		FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
				StandardOpenOption.READ, StandardOpenOption.WRITE);
		return new LockExclusion(channel);
	}

	/** The file a benchmark created. */
	static LockExclusion open(Path file) throws IOException {
		return new LockExclusion(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE));
	}

	/** Member {@code index} was granted the lock, with {@code token} (0: the service has no fencing tokens). */
	void enter(int index, long token) {
		checkIndex(index);
		long holder = (long) LONGS.compareAndExchange(this.memory, HOLDER, 0L, (long) index);
		if (holder != 0) {
			violation("member " + index + " was granted the lock while member " + holder + " held it");
		}
		add(ENTRIES);
		add(PER_MEMBER + 8 * index);
		long previous = get(LAST_HOLDER);
		if (previous != 0 && previous != index) {
			add(HANDOFFS);
		}
		LONGS.setVolatile(this.memory, LAST_HOLDER, (long) index);
		if (token != 0) {
			long last = get(TOKEN);
			if (token <= last) {
				violation("member " + index + " was granted fencing token " + token + " after token " + last);
			}
			LONGS.setVolatile(this.memory, TOKEN, token);
		}
	}

	/** Member {@code index} is about to unlock. */
	void leave(int index) {
		checkIndex(index);
		long holder = (long) LONGS.compareAndExchange(this.memory, HOLDER, (long) index, 0L);
		if (holder != index) {
			violation("member " + index + " released the lock while the holder slot named member " + holder);
		}
	}

	/** What the file says now. */
	Counts counts() {
		long[] perMember = new long[MAX_MEMBERS + 1];
		for (int i = 1; i <= MAX_MEMBERS; i++) {
			perMember[i] = get(PER_MEMBER + 8 * i);
		}
		return new Counts(get(ENTRIES), get(HANDOFFS), get(VIOLATIONS), get(HOLDER), perMember);
	}

	/** The violations this member saw. */
	long violationsSeen() {
		return this.violationsSeen;
	}

	/**
	 * The file's counters at one moment.
	 * @param entries grants entered so far, all members together
	 * @param handoffs entries by a member other than the previous holder
	 * @param violations violations any member saw
	 * @param holder the member inside now, 0 for none
	 * @param perMember entries by member index (index 0 unused)
	 */
	record Counts(long entries, long handoffs, long violations, long holder, long[] perMember) {
	}

	private void violation(String what) {
		LONGS.getAndAdd(this.memory, VIOLATIONS, 1L);
		if (this.violationsSeen++ < PRINTED) {
			System.out.println("VIOLATION: mutual exclusion broken: " + what);
			System.out.flush();
		}
	}

	/** Read and written back separately, as data a lock guards: a second holder loses updates. */
	private void add(int offset) {
		LONGS.setVolatile(this.memory, offset, get(offset) + 1);
	}

	private long get(int offset) {
		return (long) LONGS.getVolatile(this.memory, offset);
	}

	private static void checkIndex(int index) {
		if (index < 1 || index > MAX_MEMBERS) {
			throw new IllegalArgumentException("member index 1 to " + MAX_MEMBERS + ": " + index);
		}
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

}
