package io.corosync4j.engine.runtime;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.CheckpointService;
import io.corosync4j.engine.checkpoint.SectionId;
import io.corosync4j.engine.checkpoint.UpdateMode;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.sam.Sam;
import io.corosync4j.engine.sam.SamClock;
import io.corosync4j.engine.sam.SamComponent;
import io.corosync4j.engine.sam.SamOptions;
import io.corosync4j.engine.sam.SamPolicy;
import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.servicegroup.ChangeReason;
import io.corosync4j.engine.servicegroup.SamEscalation;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.StateChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stateful failover between nodes on real sockets in this JVM: a sequencer runs only on its group's
 * active unit and checkpoints every number it hands out before acknowledging it; when the active's node
 * crashes, or on a switchover, the next unit becomes active, reads the checkpoint and goes on from the
 * last acknowledged number, neither repeating nor skipping one.
 */
class FailoverNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final SectionId NEXT = SectionId.of("next");

	@TempDir
	Path directory;

	@Test
	void aStandbyTakesOverFromTheCheckpointWhenTheActivesNodeCrashes() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<Sequencer> sequencers = start(cluster);
			Sequencer first = awaitActive(sequencers);
			assertThat(first.nodeid).isEqualTo(1);
			long acknowledged = 0;
			for (int i = 0; i < 20; i++) {
				acknowledged = first.next();
			}
			cluster.crash(1);
			Sequencer second = awaitActive(sequencers.subList(1, 3));
			assertThat(second.nodeid).isEqualTo(2);
			assertThat(second.lastChange.reason()).isEqualTo(ChangeReason.FAILOVER);
			// every acknowledged number survived the crash of the node that wrote it
			assertThat(second.resumedAt).isEqualTo(acknowledged);
			assertThat(second.next()).isEqualTo(acknowledged + 1);
		}
	}

	@Test
	void aSwitchoverQuiescesTheActiveWhichWritesItsLastCheckpoint() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<Sequencer> sequencers = start(cluster);
			Sequencer first = awaitActive(sequencers);
			for (int i = 0; i < 5; i++) {
				first.next();
			}
			// numbers taken but not checkpointed yet: the quiescing active writes them before handing over
			first.pendingWithoutCheckpoint = 7;
			get(first.unit.switchover());
			Sequencer second = awaitActive(sequencers.subList(1, 3));
			assertThat(first.unit.state()).isIn(ServiceUnitState.STANDBY, ServiceUnitState.QUIESCED);
			assertThat(second.lastChange.reason()).isEqualTo(ChangeReason.SWITCHOVER);
			assertThat(second.resumedAt).isEqualTo(12);
		}
	}

	@Test
	void aFailedSamHealthCheckFailsTheGroupOverBeforeSamRestartsTheComponent() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<Sequencer> sequencers = start(cluster);
			Sequencer first = awaitActive(sequencers);
			long acknowledged = first.next();
			AtomicBoolean healthy = new AtomicBoolean(true);
			List<Integer> restarts = new CopyOnWriteArrayList<>();
			try (Sam sam = new Sam(SamClock.system(), () -> true, (Cmap) null)) {
				SamComponent component = sam.register("sequencer",
						SamOptions.of(Duration.ofMillis(200), SamPolicy.RESTART),
						SamEscalation.failingOver(first.unit, new SamComponent.Recovery() {

							@Override
							public void restart(int newInstanceId) {
								restarts.add(newInstanceId);
							}

							@Override
							public void quit() {
							}

						}));
				component.healthCheck(healthy::get);
				get(component.start().toCompletableFuture());
				healthy.set(false);
				Sequencer second = awaitActive(sequencers.subList(1, 3));
				assertThat(second.resumedAt).isEqualTo(acknowledged);
				Await.until("SAM restarted the component and the unit is a standby again", BOUND,
						() -> !restarts.isEmpty() && first.unit.state() == ServiceUnitState.STANDBY,
						() -> first.unit.state() + " after restarts " + restarts);
				assertThat(second.unit.isActive()).isTrue();
			}
		}
	}

	private List<Sequencer> start(LocalCluster cluster) throws Exception {
		List<CorosyncNode> nodes = cluster.startAll();
		cluster.awaitRing(BOUND);
		List<Sequencer> sequencers = new ArrayList<>();
		for (CorosyncNode node : nodes) {
			get(node.checkpoints().ready().toCompletableFuture());
			get(node.serviceGroups().ready().toCompletableFuture());
		}
		for (CorosyncNode node : nodes) {
			sequencers.add(new Sequencer(node));
		}
		return sequencers;
	}

	private static Sequencer awaitActive(List<Sequencer> sequencers) throws InterruptedException {
		Sequencer[] found = new Sequencer[1];
		Await.until("one sequencer active and resumed", BOUND, () -> {
			List<Sequencer> active = sequencers.stream().filter((s) -> s.resumed).toList();
			assertThat(active).hasSizeLessThanOrEqualTo(1);
			found[0] = active.isEmpty() ? null : active.get(0);
			return found[0] != null;
		});
		return found[0];
	}

	private static <T> T get(CompletableFuture<T> future) {
		try {
			return future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause().toString(), ex.getCause());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A stateful singleton: hands out numbers while active, each checkpointed before it is acknowledged. */
	static final class Sequencer {

		final long nodeid;

		final CheckpointService checkpoints;

		final ServiceUnit unit;

		final AtomicLong last = new AtomicLong();

		final Map<String, Object> seen = new ConcurrentHashMap<>();

		volatile Checkpoint checkpoint;

		volatile boolean resumed;

		volatile long resumedAt = -1;

		volatile StateChange lastChange;

		volatile long pendingWithoutCheckpoint;

		Sequencer(CorosyncNode node) throws Exception {
			this.nodeid = node.nodeId();
			this.checkpoints = node.checkpoints();
			// tag::node[]
			this.checkpoint = get(node.checkpoints().open("sequencer", attributes()));
			this.unit = node.serviceGroups()
				.register(ServiceUnitSpec.of("sequencer").withRank((int) this.nodeid), this::changed);
			// end::node[]
		}

		static CheckpointAttributes attributes() {
			return CheckpointAttributes.of(UpdateMode.SYNCHRONOUS).withMaxSections(4);
		}

		// tag::changed[]
		private void changed(ServiceUnitState previous, ServiceUnitState next, StateChange change) {
			this.lastChange = change;
			if (next == ServiceUnitState.ACTIVE) {
				// the new active reads where the last one stopped: every acknowledged number is in the checkpoint
				byte[] stored = read();
				this.last.set((stored == null) ? 0 : ByteBuffer.wrap(stored).getLong());
				this.resumedAt = this.last.get();
				this.resumed = true;
			}
			else if (next == ServiceUnitState.QUIESCING) {
				this.resumed = false;
				long handedOut = this.last.addAndGet(this.pendingWithoutCheckpoint);
				this.checkpoint.overwrite(NEXT, encode(handedOut))
					.whenComplete((done, failure) -> change.quiesced().complete(null));
			}
			else {
				this.resumed = false;
			}
		}
		// end::changed[]

		private byte[] read() {
			try {
				return get(this.checkpoint.read(NEXT));
			}
			catch (IllegalStateException notWrittenYet) {
				return null;
			}
		}

		/** The next number, acknowledged once its checkpoint write completed. */
		long next() {
			long number = this.last.incrementAndGet();
			byte[] bytes = encode(number);
			if (number == 1) {
				get(this.checkpoint.createSection(NEXT, bytes, null));
			}
			else {
				get(this.checkpoint.overwrite(NEXT, bytes));
			}
			return number;
		}

		private static byte[] encode(long number) {
			return ByteBuffer.allocate(8).putLong(number).array();
		}

	}

}
