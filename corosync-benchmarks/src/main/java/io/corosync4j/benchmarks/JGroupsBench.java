package io.corosync4j.benchmarks;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;

/**
 * cpgbench for JGroups: the same messages, modes and output lines as {@code corosync4j cpgbench}, on a
 * JGroups channel whose stack the suite writes (total order by SEQUENCER). One node per JVM:
 * {@code JGroupsBench CONFIG.xml MEMBERS sender|receiver|latency|sender+latency SIZES SECONDS WARMUP} (the
 * seconds of pings before the latency samples; {@code sender+latency} pings after its sizes, while every
 * receiver is still joined).
 */
public final class JGroupsBench {

	static final int MAGIC = 0x314D4243;

	static final int DATA = 1;

	static final int END = 2;

	static final int DONE = 3;

	static final int PING = 4;

	static final int HEADER = 32;

	private static final long BOUND_SECONDS = 120;

	private JGroupsBench() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 6) {
			System.err.println("usage: JGroupsBench CONFIG.xml MEMBERS sender|receiver|latency|sender+latency|all SIZES SECONDS"
					+ " WARMUP");
			System.exit(2);
		}
		int members = Integer.parseInt(args[1]);
		String mode = args[2];
		int[] sizes = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
		int seconds = Integer.parseInt(args[4]);
		Counter counter = new Counter(mode.equals("all") ? members : 1);
		try (JChannel channel = new JChannel(args[0])) {
			channel.setReceiver(counter);
			channel.setDiscardOwnMessages(false);
			channel.connect("cpg_bm");
			counter.local = channel.getAddress();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
			while (channel.getView().size() < members) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("only " + channel.getView().size() + " of " + members + " joined");
				}
				Thread.sleep(20);
			}
			switch (mode) {
				case "all" -> {
					sendWithEveryone(channel, counter, sizes, seconds);
					finish(channel);
					if (!counter.done.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
						throw new IllegalStateException("not every member finished");
					}
					report(counter, System.out);
				}
				case "sender" -> {
					send(channel, sizes, seconds);
					finish(channel);
				}
				case "sender+latency" -> {
					send(channel, sizes, seconds);
					latency(channel, counter, 20000, Integer.parseInt(args[5]));
					finish(channel);
				}
				case "latency" -> latency(channel, counter, 20000, Integer.parseInt(args[5]));
				default -> {
					if (!counter.done.await(30, TimeUnit.MINUTES)) {
						throw new IllegalStateException("the sender never finished");
					}
					report(counter, System.out);
				}
			}
		}
		System.exit(0);
	}

	/** A receiver's line per size, as cpgbench's, and {@code LOST} when fewer arrived than were sent. */
	static void report(Counter counter, PrintStream out) {
		for (Result result : counter.history) {
			out.printf("receiver %s: size %s, %d messages in %.3f s: %,.0f msgs/s, %.1f MB/s%n", counter.local,
					sizeText(result.size), result.received, result.seconds, result.rate(),
					result.rate() * result.size / 1e6);
			if (result.received != result.sent) {
				out.printf("LOST: delivered %d of %d%n", result.received, result.sent);
			}
		}
	}

	/**
	 * Every member sending at once, as cpgbench's {@code all}: this member's messages for the window and its
	 * END per size, then the wait for every member's END of the size before the next.
	 */
	private static void sendWithEveryone(JChannel channel, Counter self, int[] sizes, int seconds) throws Exception {
		for (int size : sizes) {
			byte[] template = new byte[Math.max(size, HEADER)];
			ByteBuffer header = ByteBuffer.wrap(template).order(ByteOrder.LITTLE_ENDIAN);
			header.putInt(0, MAGIC).putInt(4, DATA).putInt(8, size);
			long sent = 0;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			while (System.nanoTime() < deadline) {
				header.putLong(16, sent);
				channel.send(new BytesMessage(null, template.clone()));
				sent++;
			}
			byte[] end = new byte[HEADER];
			ByteBuffer.wrap(end).order(ByteOrder.LITTLE_ENDIAN).putInt(0, MAGIC).putInt(4, END).putInt(8, size)
				.putLong(24, sent);
			channel.send(new BytesMessage(null, end));
			if (self.ended.poll(BOUND_SECONDS, TimeUnit.SECONDS) == null) {
				throw new IllegalStateException("not every member ended size " + size);
			}
		}
	}

	private static void send(JChannel channel, int[] sizes, int seconds) throws Exception {
		for (int size : sizes) {
			byte[] template = new byte[Math.max(size, HEADER)];
			ByteBuffer header = ByteBuffer.wrap(template).order(ByteOrder.LITTLE_ENDIAN);
			header.putInt(0, MAGIC).putInt(4, DATA).putInt(8, size);
			long sent = 0;
			long started = System.nanoTime();
			long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
			while (System.nanoTime() < deadline) {
				header.putLong(16, sent);
				// JGroups keeps the array until the bundler has written it
				channel.send(new BytesMessage(null, template.clone()));
				sent++;
			}
			double sendSeconds = (System.nanoTime() - started) / 1e9;
			byte[] end = new byte[HEADER];
			ByteBuffer.wrap(end).order(ByteOrder.LITTLE_ENDIAN).putInt(0, MAGIC).putInt(4, END).putInt(8, size)
				.putLong(24, sent);
			channel.send(new BytesMessage(null, end));
			System.out.printf("sender: size %s, %d messages sent in %.3f s%n", sizeText(size), sent, sendSeconds);
			// let the receivers report and the queues drain before the next size
			Thread.sleep(1000);
		}
	}

	/** Ends the run: DONE to every member. */
	private static void finish(JChannel channel) throws Exception {
		byte[] done = new byte[HEADER];
		ByteBuffer.wrap(done).order(ByteOrder.LITTLE_ENDIAN).putInt(0, MAGIC).putInt(4, DONE);
		channel.send(new BytesMessage(null, done));
		Thread.sleep(500);
	}

	/** As cpgbench: the same pings for {@code warmupSeconds}, then {@code samples} measured ones. */
	private static void latency(JChannel channel, Counter self, int samples, int warmupSeconds) throws Exception {
		byte[] message = new byte[64];
		ByteBuffer header = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
		header.putInt(0, MAGIC).putInt(4, PING).putInt(8, 64);
		long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
		long sequence = 0;
		while (System.nanoTime() < warmupEnd) {
			ping(channel, self, header, message, sequence++);
		}
		long[] micros = new long[samples];
		for (int i = 0; i < samples; i++) {
			micros[i] = ping(channel, self, header, message, sequence++) / 1000;
		}
		Arrays.sort(micros);
		System.out.printf("latency 64 B (self-delivery, %d samples): p50 %d µs, p90 %d µs, p99 %d µs%n", samples,
				micros[samples / 2], micros[samples * 9 / 10], micros[samples * 99 / 100]);
	}

	private static long ping(JChannel channel, Counter self, ByteBuffer header, byte[] message, long sequence)
			throws Exception {
		header.putLong(16, sequence);
		long started = System.nanoTime();
		channel.send(new BytesMessage(null, message.clone()));
		Long delivered = self.pings.poll(BOUND_SECONDS, TimeUnit.SECONDS);
		if (delivered == null || delivered != sequence) {
			throw new IllegalStateException("ping " + sequence + " was not delivered back in order");
		}
		return System.nanoTime() - started;
	}

	static String sizeText(int size) {
		return (size % (1024 * 1024) == 0) ? (size / (1024 * 1024)) + " MiB"
				: (size % 1024 == 0) ? (size / 1024) + " KiB" : size + " B";
	}

	private record Result(int size, long received, long sent, double seconds) {

		double rate() {
			return (this.seconds > 0) ? this.received / this.seconds : 0;
		}

	}

	/**
	 * Counts deliveries per size; a size ends with its last sender's END (one, or every member), pings come
	 * back to the sender.
	 */
	static final class Counter implements Receiver {

		final BlockingQueue<Long> pings = new ArrayBlockingQueue<>(16);

		/** The sizes that ended, as they end. */
		final BlockingQueue<Integer> ended = new ArrayBlockingQueue<>(1024);

		final List<Result> history = new ArrayList<>();

		final CountDownLatch done;

		private final int senders;

		volatile Address local;

		private long received;

		private long first;

		/** ENDs of the current size so far, and the messages they say were sent. */
		private int ends;

		private long sent;

		Counter(int senders) {
			this.senders = senders;
			this.done = new CountDownLatch(senders);
		}

		// with every member sending, messages of different senders may come on different threads
		@Override
		public synchronized void receive(Message message) {
			if (message.getLength() < HEADER) {
				return;
			}
			ByteBuffer in = ByteBuffer.wrap(message.getArray(), message.getOffset(), message.getLength())
				.slice()
				.order(ByteOrder.LITTLE_ENDIAN);
			if (in.getInt(0) != MAGIC) {
				return;
			}
			switch (in.getInt(4)) {
				case DATA -> {
					if (this.received++ == 0) {
						this.first = System.nanoTime();
					}
				}
				case END -> {
					this.sent += in.getLong(24);
					if (++this.ends == this.senders) {
						this.history.add(new Result(in.getInt(8), this.received, this.sent,
								(System.nanoTime() - this.first) / 1e9));
						this.ended.offer(in.getInt(8));
						this.received = 0;
						this.ends = 0;
						this.sent = 0;
					}
				}
				case PING -> {
					if (message.getSrc() != null && message.getSrc().equals(this.local)) {
						this.pings.offer(in.getLong(16));
					}
				}
				case DONE -> this.done.countDown();
				default -> {
				}
			}
		}

		@Override
		public void viewAccepted(View view) {
		}

	}

}
