package io.corosync4j.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.CheckpointService;
import io.corosync4j.engine.checkpoint.SectionDescriptor;
import io.corosync4j.engine.checkpoint.SectionFilter;
import io.corosync4j.engine.checkpoint.SectionId;
import io.corosync4j.engine.checkpoint.UpdateMode;
import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.StateChange;
import org.jspecify.annotations.Nullable;

/**
 * One corosync4j member of the checkpoint benchmark, driven by {@link CheckpointBenchmark}:
 * {@code Corosync4jCheckpointMember CONFIG ADDRESS MEMBERS [write|join|unit]}.
 *
 * <ul>
 * <li>{@code write} (the default): once the ring has {@code MEMBERS} nodes and the checkpoint service
 * holds its state, answers {@link CheckpointMember}'s commands on synchronous checkpoints.</li>
 * <li>{@code join}: the member that joins a ring holding {@value CheckpointMember#STATE}; prints
 * {@code joined start=µs ring=µs ready=µs read=µs bytes=N sections=N digest=HEX} (the machine's clock)
 * once it read every section back, then answers the commands as {@code write} does.</li>
 * <li>{@code unit}: registers a unit of group {@value #GROUP} with its node id as rank; while active it
 * overwrites a counter in a synchronous checkpoint, one write at a time, printing {@code ack N} after
 * each completed; made active it prints {@code active µs resumed=N reason=R} once it read the counter
 * back; quiescing it prints {@code quiesced µs last=N}. {@code switchover} (on the active) prints
 * {@code switchover µs} and asks for one.</li>
 * </ul>
 */
public final class Corosync4jCheckpointMember {

	/** The service group of the failover runs. */
	static final String GROUP = "bench";

	private Corosync4jCheckpointMember() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 3 || args.length > 4) {
			System.err.println("usage: Corosync4jCheckpointMember CONFIG ADDRESS MEMBERS [write|join|unit]");
			System.exit(2);
		}
		String mode = (args.length == 4) ? args[3] : "write";
		CorosyncConfig config = new CorosyncConfigReader().read(Path.of(args[0]));
		HostNetwork host = HostNetwork.withLocalAddresses(HostNetwork.system(),
				List.of(InetAddress.getByName(args[1])));
		int members = Integer.parseInt(args[2]);
		long started = CheckpointMember.nowMicros();
		try (CorosyncNode node = CorosyncNode.builder(config).hostNetwork(host).start()) {
			// the service joins its group as soon as the node runs, as an application's would
			CheckpointService checkpoints = node.checkpoints();
			long[] readyAt = new long[1];
			CompletableFuture<Void> ready = checkpoints.ready().toCompletableFuture()
				.whenComplete((done, failure) -> readyAt[0] = CheckpointMember.nowMicros());
			node.awaitMembership((membership) -> membership.synced() && membership.members().size() == members,
					Duration.ofSeconds(CheckpointMember.BOUND_SECONDS));
			long ring = CheckpointMember.nowMicros();
			await(ready, "the checkpoint service's state");
			switch (mode) {
				case "join" -> {
					Checkpoint state = await(checkpoints.open(CheckpointMember.STATE, null), "opening the state");
					Object[] read = readAll(state);
					long done = CheckpointMember.nowMicros();
					System.out.printf("joined start=%d ring=%d ready=%d read=%d bytes=%d sections=%d digest=%s%n", started,
							ring, readyAt[0], done, (long) read[0], (int) read[1], read[2]);
					System.out.flush();
					CheckpointMember.serve(new NodeStore(checkpoints), "node" + node.nodeId(), false);
				}
				case "unit" -> unit(node, checkpoints);
				default -> CheckpointMember.serve(new NodeStore(checkpoints), "node" + node.nodeId(), false);
			}
		}
		System.exit(0);
	}

	/** Every section of {@code state} in id order: its bytes, its sections and their SHA-256 (as the joiner reports them). */
	static Object[] readAll(Checkpoint state) throws Exception {
		List<SectionDescriptor> sections = new ArrayList<>(await(state.sections(SectionFilter.any()), "listing"));
		sections.sort((a, b) -> a.id().compareTo(b.id()));
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		long bytes = 0;
		for (SectionDescriptor section : sections) {
			byte[] data = await(state.read(section.id()), "reading " + section.id());
			digest.update(data);
			bytes += data.length;
		}
		return new Object[] { bytes, sections.size(), HexFormat.of().formatHex(digest.digest()) };
	}

	/** A future's value within the bound; a future that does not complete is a hang, named as one. */
	static <T> T await(CompletableFuture<T> future, String what) throws Exception {
		try {
			return future.get(CheckpointMember.BOUND_SECONDS, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(what + " did not complete within " + CheckpointMember.BOUND_SECONDS + " s");
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(what + " failed: " + ex.getCause(), ex.getCause());
		}
	}

	/**
	 * Synchronous checkpoints of one node: the timed writes overwrite the default section of a checkpoint
	 * that has only that one, which every member holds once the write completes.
	 */
	static final class NodeStore implements CheckpointMember.Store {

		private final CheckpointService checkpoints;

		private @Nullable Checkpoint writes;

		NodeStore(CheckpointService checkpoints) {
			this.checkpoints = checkpoints;
		}

		@Override
		public synchronized CompletableFuture<Void> write(byte[] value) {
			if (this.writes == null) {
				try {
					this.writes = await(this.checkpoints.open("bench-writes",
							CheckpointAttributes.of(UpdateMode.SYNCHRONOUS).withMaxSections(1)), "opening bench-writes");
				}
				catch (Exception ex) {
					return CompletableFuture.failedFuture(ex);
				}
			}
			return this.writes.overwrite(SectionId.DEFAULT, value);
		}

		/**
		 * Creates the state checkpoint and its sections, {@value #FILL_WINDOW} writes outstanding: filling
		 * is the set-up, not what is measured.
		 */
		@Override
		public void fill(int sections, int sectionBytes) throws Exception {
			Checkpoint state = await(this.checkpoints.open(CheckpointMember.STATE,
					CheckpointAttributes.of(UpdateMode.SYNCHRONOUS).withMaxSize((long) sections * sectionBytes)
						.withMaxSections(sections + 1)
						.withMaxSectionSize(sectionBytes)), "opening " + CheckpointMember.STATE);
			List<CompletableFuture<SectionId>> window = new ArrayList<>();
			for (int i = 0; i < sections; i++) {
				window.add(state.createSection(SectionId.of(CheckpointMember.sectionName(i)),
						CheckpointMember.sectionData(i, sectionBytes), null));
				if (window.size() >= FILL_WINDOW) {
					await(window.remove(0), "creating a section");
				}
			}
			for (CompletableFuture<SectionId> created : window) {
				await(created, "creating a section");
			}
		}

		private static final int FILL_WINDOW = 8;

	}

	// ---------------------------------------------------------------------------------------------
	// Failover

	/** Registers the unit and answers {@code switchover} and {@code quit}. */
	private static void unit(CorosyncNode node, CheckpointService checkpoints) throws Exception {
		await(node.serviceGroups().ready().toCompletableFuture(), "the service groups' state");
		Checkpoint counter = await(checkpoints.open("bench-failover",
				CheckpointAttributes.of(UpdateMode.SYNCHRONOUS).withMaxSections(1)), "opening bench-failover");
		Counter writer = new Counter(counter);
		ServiceUnit unit = node.serviceGroups()
			.register(ServiceUnitSpec.of(GROUP).withRank((int) node.nodeId()), writer::changed);
		System.out.printf("ready node%d coordinator=false%n", node.nodeId());
		System.out.flush();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			switch (line.trim()) {
				case "switchover" -> {
					System.out.printf("switchover %d%n", CheckpointMember.nowMicros());
					System.out.flush();
					unit.switchover().whenComplete((done, failure) -> {
						if (failure != null) {
							System.out.println("FAILED: switchover: " + failure);
							System.out.flush();
						}
					});
				}
				case "quit" -> {
					writer.stop();
					return;
				}
				default -> System.out.println("FAILED: unknown command " + line);
			}
			System.out.flush();
		}
	}

	/** The stateful singleton: a counter, checkpointed before each value is acknowledged. */
	private static final class Counter {

		private final Checkpoint checkpoint;

		private volatile boolean writing;

		private volatile @Nullable Thread thread;

		/** The last value whose write completed (acknowledged). */
		private volatile long acknowledged;

		Counter(Checkpoint checkpoint) {
			this.checkpoint = checkpoint;
		}

		/** On the service groups' callback thread, in order. */
		void changed(ServiceUnitState previous, ServiceUnitState next, StateChange change) {
			try {
				System.out.printf("state %s %d%n", next, CheckpointMember.nowMicros());
				if (next == ServiceUnitState.ACTIVE) {
					// every acknowledged value is in the checkpoint: the new active goes on from there
					byte[] stored = await(this.checkpoint.read(SectionId.DEFAULT), "reading the counter");
					long resumed = (stored.length >= 8) ? ByteBuffer.wrap(stored).getLong() : 0;
					this.acknowledged = resumed;
					System.out.printf("active %d resumed=%d reason=%s%n", CheckpointMember.nowMicros(), resumed,
							change.reason());
					System.out.flush();
					start();
				}
				else if (next == ServiceUnitState.QUIESCING) {
					// every write is acknowledged only once complete: stopping leaves the checkpoint at the last one
					stop();
					System.out.printf("quiesced %d last=%d%n", CheckpointMember.nowMicros(), this.acknowledged);
					System.out.flush();
					change.quiesced().complete(null);
				}
				else {
					stop();
				}
			}
			catch (Exception ex) {
				System.out.println("FAILED: " + next + ": " + String.valueOf(ex).replace('\n', ' '));
			}
			System.out.flush();
		}

		private void start() {
			this.writing = true;
			Thread started = new Thread(this::write, "counter");
			this.thread = started;
			started.start();
		}

		void stop() throws InterruptedException {
			this.writing = false;
			Thread running = this.thread;
			if (running != null) {
				running.join(TimeUnit.SECONDS.toMillis(CheckpointMember.BOUND_SECONDS));
				this.thread = null;
			}
		}

		private void write() {
			long value = this.acknowledged;
			while (this.writing) {
				value++;
				try {
					this.checkpoint.overwrite(SectionId.DEFAULT, ByteBuffer.allocate(8).putLong(value).array())
						.get(CheckpointMember.BOUND_SECONDS, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					// not acknowledged: the next active may or may not see it, either is correct
					System.out.println("refused " + value + ": " + String.valueOf(ex).replace('\n', ' '));
					System.out.flush();
					value--;
					try {
						Thread.sleep(10);
					}
					catch (InterruptedException interrupted) {
						return;
					}
					continue;
				}
				this.acknowledged = value;
				System.out.println("ack " + value);
				System.out.flush();
			}
		}

	}

}
