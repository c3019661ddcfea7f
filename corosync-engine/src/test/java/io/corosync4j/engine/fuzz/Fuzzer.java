package io.corosync4j.engine.fuzz;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one target over many mutated inputs and checks the property every decoder must keep: it returns
 * (accepting or rejecting in its documented way) and throws nothing else, returns within the time budget,
 * and allocates at most {@link FuzzTarget#allocationBound}. Input {@code i} of a run with seed {@code s}
 * is made from its own random source, so {@code (s, i)} alone reproduces it. The inputs run on a worker
 * thread; a watchdog reports an input that never returns.
 */
public final class Fuzzer {

	/** How long one input may take before it counts as a hang: generous, for busy machines. */
	public static final long DEFAULT_BUDGET_MILLIS = 10_000;

	/** At most this many distinct failures are kept per run; more are counted under the same signatures. */
	private static final int MAX_FAILURES = 20;

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private final long seed;

	private final long budgetNanos;

	public Fuzzer(long seed) {
		this(seed, DEFAULT_BUDGET_MILLIS);
	}

	public Fuzzer(long seed, long budgetMillis) {
		this.seed = seed;
		this.budgetNanos = budgetMillis * 1_000_000L;
	}

	/**
	 * One distinct way the property broke.
	 *
	 * @param signature the exception type and where it was thrown, or the broken bound
	 * @param index the first input that showed it
	 * @param input that input
	 * @param detail the exception or the measured value
	 * @param count how many inputs showed it
	 */
	public record Failure(String signature, long index, byte[] input, String detail, long count) {

		public String describe(long seed) {
			return this.signature + " (" + this.count + " inputs), first at seed " + seed + " input " + this.index + ": "
					+ this.detail + "\n  input (" + this.input.length + " bytes): " + HexFormat.of().formatHex(this.input);
		}

	}

	/** What a run did. */
	public record Report(String target, long inputs, long rejected, long accepted, List<Failure> failures,
			long elapsedMillis, long seed) {

		public String summary() {
			return String.format("%-22s inputs %,12d  rejected %,12d  accepted %,12d  failures %d  time %,.1f s",
					this.target, this.inputs, this.rejected, this.accepted, this.failures.size(),
					this.elapsedMillis / 1000.0);
		}

		public String details() {
			StringBuilder text = new StringBuilder(summary());
			for (Failure failure : this.failures) {
				text.append("\n  ").append(failure.describe(this.seed));
			}
			return text.toString();
		}

	}

	/** The input number {@code index} of this run for {@code target}. */
	public byte[] input(FuzzTarget target, Mutator mutator, long index) {
		return mutator.next(random(target, index));
	}

	private SplittableRandom random(FuzzTarget target, long index) {
		return new SplittableRandom(new SplittableRandom(this.seed ^ target.name().hashCode() * 0x9E3779B97F4A7C15L)
			.split()
			.nextLong() + index * 0xBF58476D1CE4E5B9L);
	}

	/** Runs {@code inputs} inputs and reports; a hang ends the run early. */
	public Report run(FuzzTarget target, long inputs) {
		Run run = new Run(target, inputs);
		Thread worker = new Thread(run, "fuzz-" + target.name());
		worker.setDaemon(true);
		long start = System.nanoTime();
		worker.start();
		try {
			while (true) {
				worker.join(100);
				if (!worker.isAlive()) {
					break;
				}
				long began = run.began;
				if (began != 0 && System.nanoTime() - began > this.budgetNanos) {
					run.hang(worker.getStackTrace());
					// a decoder in a loop may never see this; the daemon thread is then left behind
					worker.interrupt();
					worker.join(1000);
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			worker.interrupt();
		}
		long elapsed = (System.nanoTime() - start) / 1_000_000;
		return run.report(elapsed);
	}

	/** The inputs of one run, on the worker thread. */
	private final class Run implements Runnable {

		private final FuzzTarget target;

		private final long inputs;

		private final Mutator mutator;

		private final Map<String, Failure> failures = new LinkedHashMap<>();

		/** When the current input started ({@link System#nanoTime}), 0 between inputs. */
		volatile long began;

		private volatile long current;

		private volatile boolean stopped;

		private long done;

		private long rejected;

		private long accepted;

		Run(FuzzTarget target, long inputs) {
			this.target = target;
			this.inputs = inputs;
			this.mutator = new Mutator(target.seeds(), target.text());
		}

		@Override
		public void run() {
			long threadId = Thread.currentThread().getId();
			for (long i = 0; i < this.inputs && !this.stopped; i++) {
				byte[] input = input(this.target, this.mutator, i);
				this.current = i;
				long allocatedBefore = THREADS.getThreadAllocatedBytes(threadId);
				long start = System.nanoTime();
				this.began = start;
				try {
					if (this.target.decode(input)) {
						this.accepted++;
					}
					else {
						this.rejected++;
					}
				}
				catch (Throwable ex) {
					if (this.stopped) {
						// interrupted by the watchdog after a hang, which is reported already
						break;
					}
					// OutOfMemoryError and StackOverflowError included: both are failures of the decoder
					fail(signature(ex), i, input, ex.toString());
				}
				long took = System.nanoTime() - start;
				this.began = 0;
				long allocated = THREADS.getThreadAllocatedBytes(threadId) - allocatedBefore;
				if (took > Fuzzer.this.budgetNanos) {
					fail("slow", i, input, took / 1_000_000 + " ms, over the budget of "
							+ Fuzzer.this.budgetNanos / 1_000_000 + " ms");
				}
				if (allocated > this.target.allocationBound(input.length)) {
					fail("allocation", i, input, allocated + " bytes allocated, over the bound of "
							+ this.target.allocationBound(input.length) + " bytes");
				}
				this.done = i + 1;
			}
		}

		void hang(StackTraceElement[] stack) {
			this.stopped = true;
			StringBuilder where = new StringBuilder("no return within " + Fuzzer.this.budgetNanos / 1_000_000 + " ms");
			for (int i = 0; i < Math.min(stack.length, 12); i++) {
				where.append("\n    at ").append(stack[i]);
			}
			long index = this.current;
			fail("hang", index, input(this.target, this.mutator, index), where.toString());
		}

		synchronized void fail(String signature, long index, byte[] input, String detail) {
			Failure known = this.failures.get(signature);
			if (known != null) {
				this.failures.put(signature, new Failure(signature, known.index(), known.input(), known.detail(),
						known.count() + 1));
			}
			else if (this.failures.size() < MAX_FAILURES) {
				this.failures.put(signature, new Failure(signature, index, input, detail, 1));
			}
		}

		synchronized Report report(long elapsedMillis) {
			return new Report(this.target.name(), this.done, this.rejected, this.accepted,
					new ArrayList<>(this.failures.values()), elapsedMillis, Fuzzer.this.seed);
		}

	}

	/** The exception's type and the first frame of project code it passed, which tells bugs apart. */
	static String signature(Throwable error) {
		for (StackTraceElement frame : error.getStackTrace()) {
			if (frame.getClassName().startsWith("io.corosync4j.")) {
				return error.getClass().getName() + " at " + frame;
			}
		}
		StackTraceElement[] stack = error.getStackTrace();
		return error.getClass().getName() + ((stack.length > 0) ? " at " + stack[0] : "");
	}

}
