package io.corosync4j.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What every checkpoint benchmark member shares, whichever replicated store it runs on: the commands
 * {@link CheckpointBenchmark} sends on standard input, the lines it reads back, and the data a state
 * transfer moves (deterministic, so the joiner's digest can be compared with the filler's without
 * shipping the bytes a second time). Uses only the JDK, as {@link LockMember} does.
 *
 * <pre>
 * ready NAME coordinator=true|false                 (printed once the member can write)
 * latency WARMUP_SECONDS SAMPLES  → latency SAMPLES samples: p50 N µs, p90 N µs, p99 N µs
 * rate WINDOW SECONDS             → rate WINDOW: N writes in S s
 * fill BYTES SECTION_BYTES        → filled BYTES bytes in N sections in MS ms, digest HEX
 * probe                           → writes 1 KiB synchronously in a loop, each timed, until:
 * stop FROM TO                    → probe N samples: p50 N µs, p90 N µs, p99 N µs, max N µs, refused N
 *                                   (of the writes under way from FROM to TO, epoch µs)
 * quit
 * </pre>
 */
final class CheckpointMember {

	/** The size of one timed write: the brief's 1 KiB. */
	static final int WRITE_BYTES = 1024;

	/** How long one write may take before the member gives up: a hang, not a slow run. */
	static final long BOUND_SECONDS = 60;

	/** The name of the big checkpoint (or map) a state transfer moves. */
	static final String STATE = "bench-state";

	private CheckpointMember() {
	}

	/** What the timing loops time: one kind of write (a key's value, a request), one at a time or a window. */
	interface Writes {

		/** Starts a write; the future completes once it is done (every member holds it, the reply came). */
		java.util.concurrent.CompletableFuture<Void> write(byte[] value);

		/** Writes and returns once it is done; a failure is thrown. */
		default void writeNow(byte[] value) throws Exception {
			write(value).get(BOUND_SECONDS, TimeUnit.SECONDS);
		}

	}

	/** One member's view of a replicated store: synchronous writes of one key, and a bulk fill. */
	interface Store extends Writes {

		/** Writes {@code sections} deterministic values of {@code sectionBytes} under {@link CheckpointMember#STATE}. */
		void fill(int sections, int sectionBytes) throws Exception;

	}

	/** Answers {@link CheckpointBenchmark}'s commands until {@code quit} or the end of the input. */
	static void serve(Store store, String name, boolean coordinator) throws Exception {
		PrintStream out = System.out;
		out.printf("ready %s coordinator=%b%n", name.replace(' ', '_'), coordinator);
		out.flush();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		Probe probe = null;
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			String[] words = line.trim().split(" ");
			try {
				switch (words[0]) {
					case "latency" -> {
						int samples = Integer.parseInt(words[2]);
						long[] micros = latency(store, Integer.parseInt(words[1]), samples);
						out.printf("latency %d samples: p50 %d µs, p90 %d µs, p99 %d µs%n", samples, micros[0],
								micros[1], micros[2]);
					}
					case "rate" -> {
						int window = Integer.parseInt(words[1]);
						int seconds = Integer.parseInt(words[2]);
						long[] done = rate(store, window, seconds);
						out.printf("rate %d: %d writes in %.3f s%n", window, done[0], done[1] / 1e9);
					}
					case "fill" -> {
						long bytes = Long.parseLong(words[1]);
						int sectionBytes = Integer.parseInt(words[2]);
						int sections = (int) (bytes / sectionBytes);
						long started = System.nanoTime();
						store.fill(sections, sectionBytes);
						out.printf("filled %d bytes in %d sections in %d ms, digest %s%n", (long) sections * sectionBytes,
								sections, (System.nanoTime() - started) / 1_000_000, expectedDigest(sections, sectionBytes));
					}
					case "probe" -> {
						probe = new Probe(store);
						probe.start();
					}
					case "stop" -> {
						if (probe == null) {
							throw new IllegalStateException("stop without probe");
						}
						probe.halt = true;
						probe.join(TimeUnit.SECONDS.toMillis(2 * BOUND_SECONDS));
						out.println(probe.report(Long.parseLong(words[1]), Long.parseLong(words[2])));
						probe = null;
					}
					case "quit" -> {
						out.flush();
						return;
					}
					default -> out.println("FAILED: unknown command " + line);
				}
			}
			catch (Exception ex) {
				out.println("FAILED: " + words[0] + ": " + String.valueOf(ex).replace('\n', ' '));
			}
			out.flush();
		}
	}

	/**
	 * Writes for {@code warmupSeconds} unmeasured (JIT compilation, the first ring rotations), then
	 * {@code samples} more, one at a time, each from the call until the future completed.
	 * @return p50, p90, p99 in microseconds
	 */
	static long[] latency(Writes store, int warmupSeconds, int samples) throws Exception {
		byte[] value = new byte[WRITE_BYTES];
		long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
		long sequence = 0;
		while (System.nanoTime() < warmupEnd) {
			stamp(value, sequence++);
			store.writeNow(value);
		}
		long[] micros = new long[samples];
		for (int i = 0; i < samples; i++) {
			stamp(value, sequence++);
			long started = System.nanoTime();
			store.writeNow(value);
			micros[i] = (System.nanoTime() - started) / 1000;
		}
		return percentiles(micros);
	}

	/**
	 * Keeps {@code window} writes outstanding for {@code seconds}: a new one starts as soon as one
	 * completes, on the completing thread, so the window never waits for this thread's scheduling.
	 * @return the writes completed and the nanoseconds they took
	 */
	static long[] rate(Writes store, int window, int seconds) throws Exception {
		java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong();
		java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
		java.util.concurrent.CountDownLatch drained = new java.util.concurrent.CountDownLatch(window);
		long started = System.nanoTime();
		long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
		for (int slot = 0; slot < window; slot++) {
			new Chain(store, deadline, completed, failure, drained).next();
		}
		if (!drained.await(seconds + 2 * BOUND_SECONDS, TimeUnit.SECONDS)) {
			throw new IllegalStateException("writes were still outstanding " + 2 * BOUND_SECONDS + " s after the window");
		}
		if (failure.get() != null) {
			throw new IllegalStateException("a write failed: " + failure.get(), failure.get());
		}
		return new long[] { completed.get(), System.nanoTime() - started };
	}

	/** One slot of the window: a write, and when it completes the next, until the deadline. */
	private record Chain(Writes store, long deadline, java.util.concurrent.atomic.AtomicLong completed,
			java.util.concurrent.atomic.AtomicReference<Throwable> failure, java.util.concurrent.CountDownLatch drained) {

		/**
		 * Starts writes until one is still under way, then returns; its completion goes on from there. A
		 * write that completed by the time it is looked at is counted in this loop rather than in a callback,
		 * so a store whose futures complete at once does not grow the stack.
		 */
		void next() {
			while (true) {
				if (System.nanoTime() >= this.deadline || this.failure.get() != null) {
					this.drained.countDown();
					return;
				}
				byte[] value = new byte[WRITE_BYTES];
				stamp(value, this.completed.get());
				java.util.concurrent.CompletableFuture<Void> write;
				try {
					write = this.store.write(value);
				}
				catch (RuntimeException ex) {
					this.failure.compareAndSet(null, ex);
					this.drained.countDown();
					return;
				}
				if (!write.isDone()) {
					write.whenComplete((done, thrown) -> {
						if (thrown != null) {
							this.failure.compareAndSet(null, thrown);
							this.drained.countDown();
							return;
						}
						this.completed.incrementAndGet();
						next();
					});
					return;
				}
				if (write.isCompletedExceptionally()) {
					write.whenComplete((done, thrown) -> this.failure.compareAndSet(null, thrown));
					this.drained.countDown();
					return;
				}
				this.completed.incrementAndGet();
			}
		}

	}

	/**
	 * Writes while a member joins: one at a time, each timed and stamped with the machine's clock, so the
	 * harness can take the ones that started while the state was on its way (the joiner's JVM start before
	 * it is not the transfer). A refused write (this member held no state for a moment while the ring
	 * changed) is counted, not timed, and tried again after 1 ms.
	 */
	private static final class Probe extends Thread {

		private static final int MOST = 1 << 19;

		private final Store store;

		/** When each write started (epoch µs); a refused one's duration is -1. */
		private final long[] startedAt = new long[MOST];

		private final long[] micros = new long[MOST];

		volatile boolean halt;

		private int count;

		private volatile String failure;

		Probe(Store store) {
			super("probe");
			this.store = store;
		}

		@Override
		public void run() {
			byte[] value = new byte[WRITE_BYTES];
			long sequence = 0;
			try {
				while (!this.halt && this.count < MOST) {
					stamp(value, sequence++);
					long at = nowMicros();
					long started = System.nanoTime();
					long took;
					try {
						this.store.writeNow(value);
						took = (System.nanoTime() - started) / 1000;
					}
					catch (java.util.concurrent.ExecutionException | RuntimeException ex) {
						took = -1;
					}
					this.startedAt[this.count] = at;
					this.micros[this.count++] = took;
					if (took < 0) {
						Thread.sleep(1);
					}
				}
			}
			catch (Exception ex) {
				this.failure = String.valueOf(ex);
			}
		}

		/**
		 * The writes under way at some moment from {@code from} to {@code to} (epoch µs): those that started
		 * within, and one that started before and was still waiting when it began, so a store that holds
		 * every write back for the whole transfer shows that one long write rather than none.
		 */
		String report(long from, long to) {
			if (this.failure != null) {
				return "FAILED: probe: " + this.failure;
			}
			long[] inside = new long[this.count];
			int timed = 0;
			long refused = 0;
			long worst = 0;
			for (int i = 0; i < this.count; i++) {
				long ended = this.startedAt[i] + Math.max(0, this.micros[i]);
				if (this.startedAt[i] > to || ended < from) {
					continue;
				}
				if (this.micros[i] < 0) {
					refused++;
					continue;
				}
				inside[timed++] = this.micros[i];
				worst = Math.max(worst, this.micros[i]);
			}
			if (timed == 0) {
				return "FAILED: probe: no write was under way while the member joined (" + refused + " refused, "
						+ this.count + " in all)";
			}
			long[] p = percentiles(Arrays.copyOf(inside, timed));
			return String.format("probe %d samples: p50 %d µs, p90 %d µs, p99 %d µs, max %d µs, refused %d", timed, p[0],
					p[1], p[2], worst, refused);
		}

	}

	/** p50, p90, p99 of {@code micros}, which it sorts. */
	static long[] percentiles(long[] micros) {
		Arrays.sort(micros);
		int n = micros.length;
		return new long[] { micros[n / 2], micros[n * 9 / 10], micros[n * 99 / 100] };
	}

	/** Puts a sequence number in the value, so no two consecutive writes carry the same bytes. */
	static void stamp(byte[] value, long sequence) {
		for (int i = 0; i < 8; i++) {
			value[i] = (byte) (sequence >>> (8 * i));
		}
	}

	/** The key or section id of state section {@code index}: ids sort in index order. */
	static String sectionName(int index) {
		return String.format("s%06d", index);
	}

	/** State section {@code index}'s bytes: the same on every JVM, from a seed of the index. */
	static byte[] sectionData(int index, int bytes) {
		byte[] data = new byte[bytes];
		new Random(2026L * 1_000_003 + index).nextBytes(data);
		return data;
	}

	/** SHA-256 of the sections in index order, as the filler wrote them. */
	static String expectedDigest(int sections, int bytes) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		for (int i = 0; i < sections; i++) {
			digest.update(sectionData(i, bytes));
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/** The machine's clock in microseconds since the epoch: every member and the harness share it. */
	static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
	}

}
