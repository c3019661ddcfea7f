package io.corosync4j.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every event benchmark member shares, whichever total-order bus it publishes on: the commands
 * {@link EventBenchmark} sends on standard input, the lines it reads back, and the events themselves
 * ({@value #EVENT_BYTES} bytes, a header naming the run, the publisher, a sequence number and the
 * machine's clock at publication). Uses only the JDK, as {@link CheckpointMember} does.
 *
 * <pre>
 * ready NAME coordinator=true|false                  (printed once every member subscribed)
 * expect RUN PUBLISHERS          → once the END of each of PUBLISHERS publishers of RUN arrived:
 *                                  received RUN N events in S s, lost L, latency p50 N µs, p99 N µs, samples N
 *                                  (latency of the other publishers' events only; -1 where none)
 * publish RUN INDEX SECONDS WINDOW RATE → published RUN N events in S s
 *                                  (RATE events/s, 0: as fast as WINDOW outstanding publications allow)
 * quit
 * </pre>
 */
final class EventMember {

	/** The size of every event: the brief's small notification. */
	static final int EVENT_BYTES = 64;

	/** How long one publication may take before the member gives up: a hang, not a slow run. */
	static final long BOUND_SECONDS = 60;

	static final int MAGIC = 0x45564E54;

	static final int DATA = 1;

	static final int END = 2;

	private EventMember() {
	}

	/** One member's view of a total-order bus of events. */
	interface Bus {

		/**
		 * Starts publishing {@code event} to every member, this one included; the future completes once the
		 * bus took it (corosync4j: applied on this member; JGroups: delivered back to this member in the
		 * total order).
		 */
		CompletableFuture<Void> publish(byte[] event);

	}

	/**
	 * Counts what a member is delivered, run by run. The peer's subscriber calls {@link #delivered} for
	 * every event in delivery order and {@link #lost} when its service dropped some.
	 */
	static final class Counter {

		private final PrintStream out;

		private final Map<Integer, Tally> runs = new HashMap<>();

		private int self;

		Counter(PrintStream out) {
			this.out = out;
		}

		synchronized void self(int index) {
			this.self = index;
		}

		/** An event delivered to this member (its bytes as published). */
		void delivered(byte[] event) {
			long now = CheckpointMember.nowMicros();
			long nanos = System.nanoTime();
			ByteBuffer in = ByteBuffer.wrap(event);
			if (event.length < 32 || in.getInt(0) != MAGIC) {
				return;
			}
			int run = in.getInt(8);
			int publisher = in.getInt(12);
			synchronized (this) {
				Tally tally = this.runs.computeIfAbsent(run, (r) -> new Tally());
				if (in.getInt(4) == END) {
					tally.ended.add(publisher);
					tally.published += in.getLong(16);
					report(run, tally);
					return;
				}
				if (tally.received++ == 0) {
					tally.first = nanos;
				}
				tally.last = nanos;
				if (publisher != this.self) {
					tally.latency(now - in.getLong(24));
				}
			}
		}

		synchronized void lost(long count) {
			for (Tally tally : this.runs.values()) {
				if (!tally.reported) {
					tally.lost += count;
				}
			}
		}

		synchronized void expect(int run, int publishers) {
			Tally tally = this.runs.computeIfAbsent(run, (r) -> new Tally());
			tally.publishers = publishers;
			report(run, tally);
		}

		private void report(int run, Tally tally) {
			if (tally.reported || tally.publishers == 0 || tally.ended.size() < tally.publishers) {
				return;
			}
			tally.reported = true;
			long[] p = tally.percentiles();
			this.out.printf("received %d %d events in %.3f s, lost %d, latency p50 %d µs, p99 %d µs, samples %d%n", run,
					tally.received, (tally.last - tally.first) / 1e9, tally.lost, p[0], p[1], tally.samples);
			if (tally.received != tally.published) {
				this.out.printf("LOST: run %d delivered %d of %d events%n", run, tally.received, tally.published);
			}
			this.out.flush();
		}

	}

	/** One run's deliveries at one member. */
	private static final class Tally {

		final Set<Integer> ended = new HashSet<>();

		int publishers;

		long published;

		long received;

		long lost;

		long first;

		long last;

		long[] micros = new long[1024];

		int samples;

		boolean reported;

		void latency(long micros) {
			if (this.samples == this.micros.length) {
				this.micros = Arrays.copyOf(this.micros, 2 * this.samples);
			}
			this.micros[this.samples++] = micros;
		}

		/** p50 and p99, -1 without samples. */
		long[] percentiles() {
			if (this.samples == 0) {
				return new long[] { -1, -1 };
			}
			long[] p = CheckpointMember.percentiles(Arrays.copyOf(this.micros, this.samples));
			return new long[] { p[0], p[2] };
		}

	}

	/** Answers {@link EventBenchmark}'s commands until {@code quit} or the end of the input. */
	static void serve(Bus bus, Counter counter, String name, boolean coordinator) throws Exception {
		PrintStream out = System.out;
		synchronized (counter) {
			out.printf("ready %s coordinator=%b%n", name.replace(' ', '_'), coordinator);
			out.flush();
		}
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			String[] words = line.trim().split(" ");
			try {
				switch (words[0]) {
					case "expect" -> counter.expect(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
					case "publish" -> {
						int run = Integer.parseInt(words[1]);
						int index = Integer.parseInt(words[2]);
						counter.self(index);
						// publishes on a thread of its own: the other members' reports come meanwhile
						Thread publisher = new Thread(() -> {
							try {
								long started = System.nanoTime();
								long count = publish(bus, run, index, Integer.parseInt(words[3]), Integer.parseInt(words[4]),
										Integer.parseInt(words[5]));
								synchronized (counter) {
									out.printf("published %d %d events in %.3f s%n", run, count,
											(System.nanoTime() - started) / 1e9);
									out.flush();
								}
							}
							catch (Exception ex) {
								synchronized (counter) {
									out.println("FAILED: publish: " + String.valueOf(ex).replace('\n', ' '));
									out.flush();
								}
							}
						}, "publisher");
						publisher.start();
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
	 * Publishes for {@code seconds}, at most {@code window} outstanding, paced at {@code rate} a second
	 * (0: unpaced), then an END carrying the count once every publication completed.
	 * @return the events published
	 */
	static long publish(Bus bus, int run, int index, int seconds, int window, int rate) throws Exception {
		long count = paced(bus, run, index, seconds, window, rate);
		bus.publish(event(END, run, index, 0, count)).get(BOUND_SECONDS, TimeUnit.SECONDS);
		return count;
	}

	/**
	 * Hands {@code bus} stamped events of {@code run} for {@code seconds}, at most {@code window}
	 * outstanding, paced at {@code rate} a second (0: unpaced), and returns once every one completed: the
	 * event publisher's loop, and the message sender's ({@link MessageMember}).
	 * @return the events handed over
	 */
	static long paced(Bus bus, int run, int index, int seconds, int window, int rate) throws Exception {
		Semaphore slots = new Semaphore(window);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long started = System.nanoTime();
		long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
		long count = 0;
		while (failure.get() == null) {
			long now = System.nanoTime();
			if (now >= deadline) {
				break;
			}
			if (rate > 0) {
				long due = started + count * 1_000_000_000L / rate;
				if (due > now) {
					long wait = due - now;
					if (wait > 200_000) {
						TimeUnit.NANOSECONDS.sleep(wait - 100_000);
					}
					else {
						Thread.onSpinWait();
					}
					continue;
				}
			}
			if (!slots.tryAcquire(BOUND_SECONDS, TimeUnit.SECONDS)) {
				throw new IllegalStateException("a publication did not complete within " + BOUND_SECONDS + " s");
			}
			bus.publish(event(DATA, run, index, count, 0)).whenComplete((done, thrown) -> {
				if (thrown != null) {
					failure.compareAndSet(null, thrown);
				}
				slots.release();
			});
			count++;
		}
		if (!slots.tryAcquire(window, 2 * BOUND_SECONDS, TimeUnit.SECONDS)) {
			throw new IllegalStateException("publications still outstanding " + 2 * BOUND_SECONDS + " s after the run");
		}
		if (failure.get() != null) {
			throw new IllegalStateException("a publication failed: " + failure.get(), failure.get());
		}
		return count;
	}

	/** An event: magic, kind, run, publisher, count (END) and sequence, the clock (µs), padding. */
	static byte[] event(int kind, int run, int publisher, long sequence, long count) {
		ByteBuffer event = ByteBuffer.allocate(EVENT_BYTES);
		event.putInt(0, MAGIC).putInt(4, kind).putInt(8, run).putInt(12, publisher)
			.putLong(16, (kind == END) ? count : sequence)
			.putLong(24, CheckpointMember.nowMicros());
		return event.array();
	}

}
