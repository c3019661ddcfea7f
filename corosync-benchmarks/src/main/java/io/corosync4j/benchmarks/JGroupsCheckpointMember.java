package io.corosync4j.benchmarks;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jgroups.JChannel;
import org.jgroups.blocks.ReplicatedHashMap;

/**
 * One JGroups member of the checkpoint benchmark: a {@link ReplicatedHashMap} with blocking updates (a put
 * returns once every member applied it, JGroups' closest match to a synchronous checkpoint write), on the
 * suite's JGroups stack with {@code pbcast.STATE} on top for the map's state transfer, driven by
 * {@link CheckpointBenchmark} ({@link CheckpointMember}'s commands).
 * {@code JGroupsCheckpointMember CONFIG.xml MEMBERS [write|join]}; {@code join} prints
 * {@code joined start=µs ring=µs ready=µs read=µs bytes=N sections=N digest=HEX} as the corosync4j joiner
 * does, "ring" being when {@code connect} returned (the joiner is in the view) and "ready" when the map's
 * {@code start} returned (its state arrived).
 */
public final class JGroupsCheckpointMember {

	/** The map's key of the timed writes. */
	static final String KEY = "bench-writes";

	private JGroupsCheckpointMember() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 2 || args.length > 3) {
			System.err.println("usage: JGroupsCheckpointMember CONFIG.xml MEMBERS [write|join]");
			System.exit(2);
		}
		int members = Integer.parseInt(args[1]);
		boolean join = args.length == 3 && args[2].equals("join");
		long started = CheckpointMember.nowMicros();
		try (JChannel channel = new JChannel(args[0])) {
			ReplicatedHashMap<String, byte[]> map = new ReplicatedHashMap<>(channel);
			map.setBlockingUpdates(true);
			map.setTimeout(TimeUnit.SECONDS.toMillis(CheckpointMember.BOUND_SECONDS));
			channel.connect("ckpt_bm");
			long ring = CheckpointMember.nowMicros();
			// fetches the state from the coordinator; the first member has nobody to ask and returns at once
			map.start(TimeUnit.SECONDS.toMillis(5 * CheckpointMember.BOUND_SECONDS));
			long ready = CheckpointMember.nowMicros();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CheckpointMember.BOUND_SECONDS);
			while (channel.getView().size() < members) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("only " + channel.getView().size() + " of " + members + " joined");
				}
				Thread.sleep(20);
			}
			if (join) {
				List<String> keys = new ArrayList<>(map.keySet().stream().filter((key) -> key.startsWith("s")).toList());
				keys.sort(null);
				MessageDigest digest = MessageDigest.getInstance("SHA-256");
				long bytes = 0;
				for (String key : keys) {
					byte[] data = map.get(key);
					digest.update(data);
					bytes += data.length;
				}
				System.out.printf("joined start=%d ring=%d ready=%d read=%d bytes=%d sections=%d digest=%s%n", started,
						ring, ready, CheckpointMember.nowMicros(), bytes, keys.size(),
						HexFormat.of().formatHex(digest.digest()));
				System.out.flush();
			}
			boolean coordinator = channel.getAddress().equals(channel.getView().getCoord());
			CheckpointMember.serve(new MapStore(map), "member-" + channel.getAddress(), coordinator);
		}
		System.exit(0);
	}

	/**
	 * The map's puts, which block the calling thread until every member answered: the window of
	 * outstanding writes is that many threads, each putting as soon as its last put returned.
	 */
	static final class MapStore implements CheckpointMember.Store {

		private final ReplicatedHashMap<String, byte[]> map;

		private final ExecutorService threads = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "put");
			thread.setDaemon(true);
			return thread;
		});

		MapStore(ReplicatedHashMap<String, byte[]> map) {
			this.map = map;
		}

		@Override
		public CompletableFuture<Void> write(byte[] value) {
			byte[] copy = value.clone();
			return CompletableFuture.runAsync(() -> this.map.put(KEY, copy), this.threads);
		}

		/** On the caller's thread: a put is already synchronous, a hand-off would only add to its time. */
		@Override
		public void writeNow(byte[] value) {
			this.map.put(KEY, value.clone());
		}

		@Override
		public void fill(int sections, int sectionBytes) throws Exception {
			List<Future<?>> window = new ArrayList<>();
			for (int i = 0; i < sections; i++) {
				int index = i;
				window.add(this.threads.submit(() -> this.map.put(CheckpointMember.sectionName(index),
						CheckpointMember.sectionData(index, sectionBytes))));
				if (window.size() >= 8) {
					window.remove(0).get(CheckpointMember.BOUND_SECONDS, TimeUnit.SECONDS);
				}
			}
			for (Future<?> put : window) {
				put.get(CheckpointMember.BOUND_SECONDS, TimeUnit.SECONDS);
			}
		}

	}

}
