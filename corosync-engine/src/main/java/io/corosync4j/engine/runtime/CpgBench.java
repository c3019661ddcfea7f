package io.corosync4j.engine.runtime;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.totem.srp.SrpCounter;
import org.jspecify.annotations.Nullable;

/**
 * The cpgbench of corosync4j: one sender multicasts to group {@code cpg_bm} for a fixed time window per
 * message size, receivers count what they deliver, and a latency run measures self-delivery of one 64-byte
 * message at a time ({@code sender+latency}: the sender's pings after its sizes, while every receiver is still
 * joined, so that no process is fresh; {@code all}: every member sends its sizes and counts what every member
 * sent). Runs a whole ring in this JVM ({@code --local N}) or one member of the ring a
 * {@code corosync.conf} describes, so Java and Corosync nodes can be measured in one ring. The messages
 * carry a small header that {@code cpgbench.c} in the test resources shares, so a C process on a
 * Corosync node can be the sender or a receiver too.
 *
 * <pre>
 * corosync4j cpgbench [--local N | -c FILE [-a ADDRESS] --mode sender|receiver|latency|sender+latency|all]
 *                     [--sizes 64,1024,...] [--seconds S] [--samples N] [--warmup S]
 * </pre>
 */
public final class CpgBench {

	static final CpgName GROUP = CpgName.of("cpg_bm");

	/** "CBM1", the first word of every benchmark message. */
	static final int MAGIC = 0x314D4243;

	static final int DATA = 1;

	static final int END = 2;

	static final int DONE = 3;

	static final int PING = 4;

	static final int HEADER = 32;

	static final List<Integer> DEFAULT_SIZES = List.of(64, 1024, 16384, 65536, 262144, 1048576);

	private static final Duration BOUND = Duration.ofSeconds(120);

	/**
	 * With every member sending, the most message bytes of this member not yet delivered back to it. The node's
	 * send queue holds 16 MiB: sixteen members filling theirs for the window would measure how long the ring
	 * takes to empty them. Corosync's client blocks on its daemon's smaller queue, JGroups' on its credits.
	 */
	static final int IN_FLIGHT_BYTES = 1024 * 1024;

	private final PrintStream out;

	private CpgBench(PrintStream out) {
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		// as the launcher runs it (corosync4j cpgbench), so that the benchmark suite measures the same node
		Launcher.leakDetectionOffUnlessGiven();
		System.exit(new CpgBench(System.out).run(args));
	}

	static int run(String[] args, PrintStream out) throws Exception {
		return new CpgBench(out).run(args);
	}

	private int run(String[] args) throws Exception {
		Options options = Options.parse(args);
		if (options.problem != null) {
			this.out.println(options.problem);
			this.out.println("usage: corosync4j cpgbench [--local N | -c FILE [-a ADDRESS]"
					+ " --mode sender|receiver|latency|sender+latency|all]"
					+ " [--sizes 64,1024,...] [--seconds S] [--samples N] [--warmup S]");
			return 8;
		}
		if (options.local > 0) {
			runLocal(options);
			return 0;
		}
		CorosyncConfig config = new CorosyncConfigReader().read(Path.of(options.configFile));
		HostNetwork host = HostNetwork.system();
		if (options.address != null) {
			host = HostNetwork.withLocalAddresses(host, List.of(InetAddress.getByName(options.address)));
		}
		try (CorosyncNode node = CorosyncNode.builder(config).hostNetwork(host).start()) {
			Counter counter = new Counter(options.mode.equals("all") ? options.members : 1);
			counter.nodeid = node.nodeId();
			CpgHandle handle = node.cpg().join(GROUP, counter);
			handle.joined().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			switch (options.mode) {
				case "all" -> {
					awaitMembers(handle, options.members);
					sendWithEveryone(handle, counter, options);
					finish(handle, counter);
				}
				case "sender" -> {
					awaitMembers(handle, options.members);
					send(handle, counter, options, List.of());
					finish(handle, counter);
				}
				case "sender+latency" -> {
					awaitMembers(handle, options.members);
					send(handle, counter, options, List.of());
					latency(handle, counter, options.samples, options.warmup, node);
					finish(handle, counter);
				}
				case "latency" -> {
					awaitMembers(handle, options.members);
					latency(handle, counter, options.samples, options.warmup, node);
				}
				default -> counter.done.await();
			}
			report(counter, "receiver node " + node.nodeId());
		}
		return 0;
	}

	/** N nodes in this JVM on 127.0.0.1 … 127.0.0.N: node 1 sends, every node receives. */
	private void runLocal(Options options) throws Exception {
		Path state = Files.createTempDirectory("cpgbench");
		int port = freePort();
		List<CorosyncNode> nodes = new ArrayList<>();
		List<Counter> counters = new ArrayList<>();
		List<CpgHandle> handles = new ArrayList<>();
		try {
			for (int i = 1; i <= options.local; i++) {
				CorosyncConfig config = new CorosyncConfigReader(Map.of())
					.read(Files.writeString(state.resolve("n" + i + ".conf"), localConfig(options.local, i, port, state)));
				nodes.add(CorosyncNode.builder(config)
					.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(),
							List.of(InetAddress.getByName("127.0.0." + i))))
					.start());
			}
			for (CorosyncNode node : nodes) {
				Counter counter = new Counter(1);
				CpgHandle handle = node.cpg().join(GROUP, counter);
				handle.joined().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
				counters.add(counter);
				handles.add(handle);
			}
			awaitMembers(handles.get(0), options.local);
			this.out.printf("# cpgbench: %d corosync4j nodes in one JVM (udpu on loopback), one sender, %d s per size%n",
					options.local, options.seconds);
			send(handles.get(0), counters.get(0), options, counters.subList(1, counters.size()));
			finish(handles.get(0), counters.get(0));
			latency(handles.get(0), counters.get(0), options.samples, options.warmup, nodes.get(0));
		}
		finally {
			for (CorosyncNode node : nodes) {
				node.close();
			}
		}
	}

	static String localConfig(int count, int node, int port, Path state) {
		StringBuilder text = new StringBuilder("totem {\n version: 2\n cluster_name: cpgbench\n transport: udpu\n"
				+ " interface {\n  linknumber: 0\n  mcastport: " + port + "\n }\n}\nnodelist {\n");
		for (int i = 1; i <= count; i++) {
			text.append(" node {\n  ring0_addr: 127.0.0.").append(i).append("\n  nodeid: ").append(i).append("\n }\n");
		}
		return text.append("}\nsystem {\n state_dir: ").append(state.resolve("n" + node)).append("\n}\n").toString();
	}

	/** For each size: send for the window, then an END carrying the count; receivers report at END. */
	private void send(CpgHandle handle, Counter self, Options options, List<Counter> receivers) throws Exception {
		this.out.println("| size | messages | msgs/s | MB/s | sender msgs/s |");
		this.out.println("|---:|---:|---:|---:|---:|");
		for (int size : options.sizes) {
			byte[] message = new byte[Math.max(size, HEADER)];
			ByteBuffer header = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
			header.putInt(0, MAGIC).putInt(4, DATA).putInt(8, size);
			long sent = 0;
			long started = System.nanoTime();
			long deadline = started + TimeUnit.SECONDS.toNanos(options.seconds);
			while (System.nanoTime() < deadline) {
				header.putLong(16, sent);
				if (!handle.mcast(message.clone(), BOUND)) {
					throw new IllegalStateException("no room in the send queue for " + BOUND);
				}
				sent++;
			}
			double sendSeconds = (System.nanoTime() - started) / 1e9;
			byte[] end = new byte[HEADER];
			ByteBuffer.wrap(end).order(ByteOrder.LITTLE_ENDIAN).putInt(0, MAGIC).putInt(4, END).putInt(8, size)
				.putLong(24, sent);
			handle.mcast(end, BOUND);
			Result slowest = null;
			for (Counter receiver : receivers) {
				Result result = receiver.results.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
				if (result == null) {
					throw new IllegalStateException("a receiver did not report size " + size);
				}
				if (result.received != sent) {
					throw new IllegalStateException("a receiver delivered " + result.received + " of " + sent);
				}
				if (slowest == null || result.seconds > slowest.seconds) {
					slowest = result;
				}
			}
			Result own = self.results.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
			Result shown = (slowest != null) ? slowest : (own != null) ? own : new Result(size, sent, sent, sendSeconds);
			this.out.printf("| %s | %d | %,.0f | %.1f | %,.0f |%n", sizeText(size), sent, shown.rate(),
					shown.rate() * size / 1e6, sent / sendSeconds);
		}
	}

	/**
	 * Every member sending at once: for each size, this member's messages for the window and its END, then
	 * the wait for every member's END of the size (in the total order, so every member starts the next size
	 * after all of this one). The receiver lines count what all members sent.
	 */
	private void sendWithEveryone(CpgHandle handle, Counter self, Options options) throws Exception {
		for (int size : options.sizes) {
			byte[] message = new byte[Math.max(size, HEADER)];
			ByteBuffer header = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
			header.putInt(0, MAGIC).putInt(4, DATA).putInt(8, size);
			// every earlier message of this member came back before the last size ended
			Semaphore inFlight = new Semaphore(Math.max(16, IN_FLIGHT_BYTES / message.length));
			self.ownDelivered = inFlight;
			long sent = 0;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.seconds);
			while (System.nanoTime() < deadline) {
				if (!inFlight.tryAcquire(BOUND.toSeconds(), TimeUnit.SECONDS)) {
					throw new IllegalStateException("this member's messages did not come back within " + BOUND);
				}
				header.putLong(16, sent);
				if (!handle.mcast(message.clone(), BOUND)) {
					throw new IllegalStateException("no room in the send queue for " + BOUND);
				}
				sent++;
			}
			byte[] end = new byte[HEADER];
			ByteBuffer.wrap(end).order(ByteOrder.LITTLE_ENDIAN).putInt(0, MAGIC).putInt(4, END).putInt(8, size)
				.putLong(24, sent);
			handle.mcast(end, BOUND);
			if (self.results.poll(BOUND.toSeconds(), TimeUnit.SECONDS) == null) {
				throw new IllegalStateException("not every member ended size " + size);
			}
		}
	}

	/**
	 * Ends the run: DONE to every member, returned once it came back here (with every member sending: once
	 * every member's came).
	 */
	private static void finish(CpgHandle handle, Counter self) throws Exception {
		byte[] done = new byte[HEADER];
		ByteBuffer.wrap(done).order(ByteOrder.LITTLE_ENDIAN).putInt(0, MAGIC).putInt(4, DONE);
		handle.mcast(done, BOUND);
		// once it is delivered here every member gets it; a node closed before that takes it along
		if (!self.done.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
			throw new IllegalStateException("DONE was not delivered back");
		}
	}

	/**
	 * One 64-byte message outstanding at a time: the time from mcast to its own delivery, for
	 * {@code samples} pings after {@code warmupSeconds} of the same pings (a JVM's code is compiled by then,
	 * as in a node that has been running for a while). Also reports how often the token visited this node
	 * meanwhile: a ping waits for the token, so the time of one rotation is what bounds the latency.
	 */
	private void latency(CpgHandle handle, Counter self, int samples, int warmupSeconds, CorosyncNode node)
			throws Exception {
		byte[] message = new byte[64];
		ByteBuffer header = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
		header.putInt(0, MAGIC).putInt(4, PING).putInt(8, 64);
		long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
		long sequence = 0;
		while (System.nanoTime() < warmupEnd) {
			ping(handle, self, header, message, sequence++);
		}
		long[] micros = new long[samples];
		long tokensBefore = tokensReceived(node);
		long started = System.nanoTime();
		for (int i = 0; i < samples; i++) {
			micros[i] = ping(handle, self, header, message, sequence++) / 1000;
		}
		long elapsedMicros = (System.nanoTime() - started) / 1000;
		long tokens = Math.max(1, tokensReceived(node) - tokensBefore);
		Arrays.sort(micros);
		this.out.printf("latency 64 B (self-delivery, %d samples): p50 %d µs, p90 %d µs, p99 %d µs%n", samples,
				micros[samples / 2], micros[samples * 9 / 10], micros[samples * 99 / 100]);
		this.out.printf(Locale.ROOT, "token: %.2f visits per ping, one rotation of %d members every %d µs%n",
				(double) tokens / samples, node.membership().members().size(), elapsedMicros / tokens);
	}

	private static long tokensReceived(CorosyncNode node) {
		return node.totemStats().getOrDefault(SrpCounter.ORF_TOKEN_RX.key(), 0L);
	}

	/** Sends ping {@code sequence} and returns the nanoseconds until it came back. */
	private static long ping(CpgHandle handle, Counter self, ByteBuffer header, byte[] message, long sequence)
			throws Exception {
		header.putLong(16, sequence);
		long started = System.nanoTime();
		handle.mcast(message.clone(), BOUND);
		Long delivered = self.pings.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
		if (delivered == null || delivered != sequence) {
			throw new IllegalStateException("ping " + sequence + " was not delivered back in order");
		}
		return System.nanoTime() - started;
	}

	private void report(Counter counter, String who) {
		for (Result result : counter.history) {
			this.out.printf("%s: size %s, %d messages in %.3f s: %,.0f msgs/s, %.1f MB/s%n", who,
					sizeText(result.size), result.received, result.seconds, result.rate(),
					result.rate() * result.size / 1e6);
			if (result.received != result.sent) {
				this.out.printf("LOST: delivered %d of %d%n", result.received, result.sent);
			}
		}
	}

	private static void awaitMembers(CpgHandle handle, int members) throws InterruptedException {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (handle.membership().size() < members) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("only " + handle.membership().size() + " of " + members
						+ " members joined " + GROUP);
			}
			Thread.sleep(20);
		}
	}

	private static String sizeText(int size) {
		return (size % (1024 * 1024) == 0) ? (size / (1024 * 1024)) + " MiB"
				: (size % 1024 == 0) ? (size / 1024) + " KiB" : size + " B";
	}

	static int freePort() {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			return socket.getLocalPort();
		}
		catch (SocketException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** One size as a receiver saw it: what it delivered, and what the senders' ENDs say they sent. */
	private record Result(int size, long received, long sent, double seconds) {

		double rate() {
			return (this.seconds > 0) ? this.received / this.seconds : 0;
		}

	}

	/**
	 * Counts deliveries per size; reports each size at the END of its last sender (one, or every member),
	 * pings as they come back.
	 */
	private static final class Counter implements CpgListener {

		final BlockingQueue<Result> results = new ArrayBlockingQueue<>(64);

		final BlockingQueue<Long> pings = new ArrayBlockingQueue<>(16);

		final List<Result> history = new ArrayList<>();

		final CountDownLatch done;

		private final int senders;

		/** This member's node, whose DATA returns a permit to {@link #ownDelivered} when every member sends. */
		volatile long nodeid;

		volatile @Nullable Semaphore ownDelivered;

		private long received;

		private long first;

		/** ENDs of the current size so far, and the messages they say were sent. */
		private int ends;

		private long sent;

		Counter(int senders) {
			this.senders = senders;
			this.done = new CountDownLatch(senders);
		}

		@Override
		public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			if (message.length < HEADER) {
				return;
			}
			ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
			if (in.getInt(0) != MAGIC) {
				return;
			}
			switch (in.getInt(4)) {
				case DATA -> {
					if (this.received++ == 0) {
						this.first = System.nanoTime();
					}
					Semaphore credits = this.ownDelivered;
					if (credits != null && nodeid == this.nodeid) {
						credits.release();
					}
				}
				case END -> {
					this.sent += in.getLong(24);
					if (++this.ends == this.senders) {
						Result result = new Result(in.getInt(8), this.received, this.sent,
								(System.nanoTime() - this.first) / 1e9);
						this.history.add(result);
						this.results.offer(result);
						this.received = 0;
						this.ends = 0;
						this.sent = 0;
					}
				}
				case PING -> this.pings.offer(in.getLong(16));
				case DONE -> this.done.countDown();
				default -> {
				}
			}
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
		}

	}

	/** The command line. */
	private static final class Options {

		int local;

		@Nullable String configFile;

		@Nullable String address;

		String mode = "receiver";

		int members = 3;

		List<Integer> sizes = DEFAULT_SIZES;

		int seconds = 5;

		int samples = 20000;

		int warmup = 5;

		@Nullable String problem;

		static Options parse(String[] args) {
			Options options = new Options();
			try {
				for (int i = 0; i < args.length; i++) {
					String value = (i + 1 < args.length) ? args[i + 1] : null;
					switch (args[i]) {
						case "--local" -> options.local = Integer.parseInt(required(value, args[i++]));
						case "-c" -> options.configFile = required(value, args[i++]);
						case "-a" -> options.address = required(value, args[i++]);
						case "--mode" -> options.mode = required(value, args[i++]);
						case "--members" -> options.members = Integer.parseInt(required(value, args[i++]));
						case "--sizes" -> options.sizes = Arrays.stream(required(value, args[i++]).split(","))
							.map(String::trim).map(Integer::parseInt).toList();
						case "--seconds" -> options.seconds = Integer.parseInt(required(value, args[i++]));
						case "--samples" -> options.samples = Integer.parseInt(required(value, args[i++]));
						case "--warmup" -> options.warmup = Integer.parseInt(required(value, args[i++]));
						default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
					}
				}
			}
			catch (IllegalArgumentException ex) {
				options.problem = ex.getMessage();
				return options;
			}
			if (options.local == 0 && options.configFile == null) {
				options.local = 3;
			}
			if (!List.of("sender", "receiver", "latency", "sender+latency", "all").contains(options.mode)) {
				options.problem = "--mode must be sender, receiver, latency, sender+latency or all";
			}
			else if (options.sizes.stream().anyMatch((size) -> size < 64 || size > 1024 * 1024)) {
				options.problem = "--sizes must be between 64 and 1048576 bytes";
			}
			else if (options.samples < 10) {
				options.problem = "--samples must be at least 10";
			}
			else if (options.warmup < 0) {
				options.problem = "--warmup must not be negative";
			}
			return options;
		}

		private static String required(@Nullable String value, String flag) {
			if (value == null) {
				throw new IllegalArgumentException(flag + " needs a value");
			}
			return value;
		}

	}

}
