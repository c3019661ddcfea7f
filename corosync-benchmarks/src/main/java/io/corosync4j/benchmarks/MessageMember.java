package io.corosync4j.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What every message benchmark member shares, whichever queues it runs on: the commands
 * {@link MessageBenchmark} sends on standard input and the lines it reads back. Messages are
 * {@link EventMember}'s {@value EventMember#EVENT_BYTES}-byte events (run, sender, sequence number, the
 * machine's clock at the send), sent with its paced loop. Uses only the JDK.
 *
 * <pre>
 * ready NAME coordinator=true|false                 (printed once this member's queue is open)
 * send RUN INDEX SECONDS WINDOW RATE → sent RUN N messages in S s from µs
 *                                     (into the group; RATE a second, 0: as fast as WINDOW outstanding allow)
 * report RUN                         → handled RUN N last=µs latency p50 N µs, p99 N µs, samples N
 *                                     (this member's consumer: acknowledgements completed, the last one's
 *                                     time, send → handler latency)
 * rpc-latency WARMUP SAMPLES         → rpc latency SAMPLES samples: p50 N µs, p90 N µs, p99 N µs
 * rpc-rate WINDOW SECONDS            → rpc rate WINDOW: N calls in S s
 * quit
 * </pre>
 */
final class MessageMember {

	private MessageMember() {
	}

	/** One member's view of the queues: sends into the group, and requests to member 1's server. */
	interface Queues {

		/** Sends {@code message} to the next consumer of the group; completes once the group took it. */
		CompletableFuture<Void> send(byte[] message);

		/** Sends a request to member 1's server; completes with its reply. */
		CompletableFuture<Void> request(byte[] message);

		/** The same, on the caller's thread. */
		default void requestNow(byte[] message) throws Exception {
			request(message).get(EventMember.BOUND_SECONDS, TimeUnit.SECONDS);
		}

	}

	/**
	 * What this member's consumer did, run by run: the peer calls {@link #handled} when its handler is
	 * handed a message and {@link #done} when the acknowledgement completed.
	 */
	static final class Counter {

		private final Map<Integer, Tally> runs = new HashMap<>();

		void handled(byte[] message) {
			long now = CheckpointMember.nowMicros();
			ByteBuffer in = ByteBuffer.wrap(message);
			if (message.length < 32 || in.getInt(0) != EventMember.MAGIC) {
				return;
			}
			synchronized (this) {
				this.runs.computeIfAbsent(in.getInt(8), (r) -> new Tally()).latency(now - in.getLong(24));
			}
		}

		void done(byte[] message) {
			long now = CheckpointMember.nowMicros();
			ByteBuffer in = ByteBuffer.wrap(message);
			if (message.length < 32 || in.getInt(0) != EventMember.MAGIC) {
				return;
			}
			synchronized (this) {
				Tally tally = this.runs.computeIfAbsent(in.getInt(8), (r) -> new Tally());
				tally.done++;
				tally.last = Math.max(tally.last, now);
			}
		}

		synchronized String report(int run) {
			Tally tally = this.runs.computeIfAbsent(run, (r) -> new Tally());
			long[] p = (tally.samples == 0) ? new long[] { -1, -1, -1 }
					: CheckpointMember.percentiles(Arrays.copyOf(tally.micros, tally.samples));
			return String.format("handled %d %d last=%d latency p50 %d µs, p99 %d µs, samples %d", run, tally.done,
					tally.last, p[0], p[2], tally.samples);
		}

	}

	private static final class Tally {

		long done;

		long last;

		long[] micros = new long[1024];

		int samples;

		void latency(long micros) {
			if (this.samples == this.micros.length) {
				this.micros = Arrays.copyOf(this.micros, 2 * this.samples);
			}
			this.micros[this.samples++] = micros;
		}

	}

	/**
	 * Requests as the checkpoint rows' writes, so that their loops time them: a call is a write that
	 * returns once the reply came ({@value EventMember#EVENT_BYTES} bytes of the value each way).
	 */
	static CheckpointMember.Writes calls(Queues queues) {
		return new CheckpointMember.Writes() {

			@Override
			public CompletableFuture<Void> write(byte[] value) {
				return queues.request(Arrays.copyOf(value, EventMember.EVENT_BYTES));
			}

			@Override
			public void writeNow(byte[] value) throws Exception {
				queues.requestNow(Arrays.copyOf(value, EventMember.EVENT_BYTES));
			}

		};
	}

	/** Answers {@link MessageBenchmark}'s commands until {@code quit} or the end of the input. */
	static void serve(Queues queues, Counter counter, String name, boolean coordinator) throws Exception {
		PrintStream out = System.out;
		out.printf("ready %s coordinator=%b%n", name.replace(' ', '_'), coordinator);
		out.flush();
		CheckpointMember.Writes calls = calls(queues);
		EventMember.Bus sends = queues::send;
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			String[] words = line.trim().split(" ");
			try {
				switch (words[0]) {
					case "send" -> {
						int run = Integer.parseInt(words[1]);
						long from = CheckpointMember.nowMicros();
						long started = System.nanoTime();
						long count = EventMember.paced(sends, run, Integer.parseInt(words[2]), Integer.parseInt(words[3]),
								Integer.parseInt(words[4]), Integer.parseInt(words[5]));
						out.printf("sent %d %d messages in %.3f s from %d%n", run, count, (System.nanoTime() - started) / 1e9,
								from);
					}
					case "report" -> out.println(counter.report(Integer.parseInt(words[1])));
					case "rpc-latency" -> {
						int samples = Integer.parseInt(words[2]);
						long[] micros = CheckpointMember.latency(calls, Integer.parseInt(words[1]), samples);
						out.printf("rpc latency %d samples: p50 %d µs, p90 %d µs, p99 %d µs%n", samples, micros[0], micros[1],
								micros[2]);
					}
					case "rpc-rate" -> {
						int window = Integer.parseInt(words[1]);
						long[] done = CheckpointMember.rate(calls, window, Integer.parseInt(words[2]));
						out.printf("rpc rate %d: %d calls in %.3f s%n", window, done[0], done[1] / 1e9);
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

}
