package io.corosync4j.engine.totem.srp;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.CheckpointError;
import io.corosync4j.engine.checkpoint.CheckpointException;
import io.corosync4j.engine.checkpoint.CheckpointProbe;
import io.corosync4j.engine.checkpoint.CheckpointService;
import io.corosync4j.engine.checkpoint.SectionId;
import io.corosync4j.engine.checkpoint.UpdateMode;
import io.corosync4j.engine.totem.srp.LockSimulationTests.DirectExecutorService;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Run;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Scenario;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkpoint service on the simulated ring, under the simulation's faults: every node runs a
 * checkpoint service whose application overwrites sections of its own in a synchronous checkpoint,
 * writes and synchronizes an asynchronous one, overwrites a section every node shares, creates sections
 * that expire, and opens, writes and closes checkpoints with short retentions.
 *
 * <p>After the heal, with the workload stopped and time for the last retentions and expirations: every
 * member holding the state holds the same replica (a canonical dump, openers, generations and section
 * data included); every acknowledged write is there, with its value or a later one (unless the primary
 * component vanished altogether and the state started afresh, which drops everything by design); no
 * section past its expiration and no closed short-lived checkpoint is left anywhere. Then a node is
 * crashed and restarted (with three nodes or more, so the others keep quorum): its new incarnation
 * receives the state and ends with the same replica.
 *
 * <p>{@link #largeStateMovesInChunksUnderFaults} adds a 3 MiB checkpoint, twelve chunks of the replica
 * layer's transfer, overwritten under the faults. More seeds with
 * {@code -Dcorosync4j.simulation.ckptSeeds=N}; one run with {@code -Dcorosync4j.simulation.ckptRun=MIXED:3}
 * (add {@code :large} for the large state).
 */
class CheckpointSimulationTests {

	private static final CheckpointAttributes DURABLE = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
		.withMaxSections(256)
		.withMaxSectionSize(64)
		.withRetention(Duration.ofHours(1));

	private static final CheckpointAttributes ASYNC = CheckpointAttributes.of(UpdateMode.ASYNCHRONOUS)
		.withMaxSections(64)
		.withMaxSectionSize(64)
		.withRetention(Duration.ofHours(1));

	/** Twelve sections of 256 KiB: twelve chunks of a transfer. */
	private static final int BULK_SECTIONS = 12;

	private static final int BULK_SECTION_SIZE = 256 * 1024;

	private static final CheckpointAttributes BULK = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
		.withMaxSize(4L * 1024 * 1024)
		.withMaxSections(16)
		.withMaxSectionSize(BULK_SECTION_SIZE)
		.withRetention(Duration.ofHours(1));

	/** Time after the workload for the last retentions (1.4 s at most) and expirations (2 s) to run out. */
	private static final long SETTLE_MILLIS = 6_000;

	static Stream<Arguments> runs() {
		return runs(false, Integer.getInteger("corosync4j.simulation.ckptSeeds", 4), Scenario.LOSSY,
				Scenario.CRASH_RESTART, Scenario.PARTITION, Scenario.FREEZE, Scenario.LEAVE, Scenario.MIXED,
				Scenario.ADVERSE);
	}

	/** One seed by default (about 4 s a run); more with {@code -Dcorosync4j.simulation.ckptLargeSeeds=N}. */
	static Stream<Arguments> largeRuns() {
		return runs(true, Integer.getInteger("corosync4j.simulation.ckptLargeSeeds", 1), Scenario.CRASH_RESTART,
				Scenario.PARTITION, Scenario.MIXED);
	}

	private static Stream<Arguments> runs(boolean large, int seeds, Scenario... scenarios) {
		String only = System.getProperty("corosync4j.simulation.ckptRun");
		if (only != null) {
			String[] run = only.split(":");
			boolean wantsLarge = run.length > 2 && run[2].equals("large");
			return (wantsLarge == large) ? Stream.of(Arguments.of(Scenario.valueOf(run[0]), Long.parseLong(run[1])))
					: Stream.empty();
		}
		return Stream.of(scenarios)
			.flatMap((scenario) -> LongStream.rangeClosed(1, seeds).mapToObj((seed) -> Arguments.of(scenario, seed)));
	}

	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("runs")
	void acknowledgedWritesSurviveAndReplicasAgree(Scenario scenario, long seed) {
		check(scenario, seed, false);
	}

	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("largeRuns")
	void largeStateMovesInChunksUnderFaults(Scenario scenario, long seed) {
		Checkpoints checkpoints = check(scenario, seed, true);
		assertThat(checkpoints.bulkWrites).as("bulk overwrites acknowledged").isPositive();
		if (checkpoints.run.nodes >= 3) {
			// the restarted member at least received it all
			assertThat(checkpoints.largestTransfer).as("the largest state a member received")
				.isGreaterThanOrEqualTo(BULK_SECTIONS * (long) BULK_SECTION_SIZE);
		}
	}

	/**
	 * Once a replica-layer failure: a member that held the state alone in a minority merged back, and
	 * its writes, delivered before the merge's change settled, were applied and acknowledged by it alone
	 * (now they wait for the settle). The run is also the one whose random Totem queue (114 frames) could
	 * never take a 256 KiB operation, which wedged every member that queued one behind it: runs with large
	 * operations give Totem a real node's queue.
	 */
	@org.junit.jupiter.api.Test
	void aMinorityThatHeldTheStateMergesWithoutItsUnsettledWrites() {
		check(Scenario.MIXED, 6, true);
	}

	private Checkpoints check(Scenario scenario, long seed, boolean large) {
		// a real node's Totem queue (4 MiB of frames) takes a 256 KiB operation or transfer chunk whole
		Run run = new Run(scenario, seed, true, large ? 4 * 1024 * 1024 / 1410 + 1 : 0);
		Checkpoints checkpoints = new Checkpoints(run, large);
		run.sim.servicesStarted = checkpoints::started;
		run.execute();
		String where = scenario + " seed " + seed + (large ? " (large)" : "");
		checkpoints.workload = false;
		run.sim.runUntil(run.sim.now() + SETTLE_MILLIS * Simulation.MS);
		assertThat(checkpoints.violations).as(where).isEmpty();
		checkpoints.checkReplicas(where);
		assertThat(checkpoints.acknowledged).as(where + ": writes acknowledged").isGreaterThan(10);

		// a member that joins late: crash one node and restart it, the others keeping quorum
		if (run.nodes >= 3) {
			SimNode late = run.sim.nodes.get(checkpoints.random.nextInt(run.nodes));
			late.crash();
			run.sim.runUntil(run.sim.now() + 3 * run.timers.token() * Simulation.MS);
			late.start();
			long until = run.sim.now() + 30_000 * Simulation.MS;
			while (run.sim.now() < until && !checkpoints.current.get(late.nodeid).service.holdsState()) {
				run.sim.runUntil(run.sim.now() + 100 * Simulation.MS);
			}
			assertThat(checkpoints.current.get(late.nodeid).service.holdsState())
				.as(where + ": restarted " + late + " holds the state").isTrue();
			CheckpointService joined = checkpoints.current.get(late.nodeid).service;
			checkpoints.largestTransfer = Math.max(checkpoints.largestTransfer, CheckpointProbe.totalBytes(joined));
			run.sim.runUntil(run.sim.now() + 20 * run.timers.token() * Simulation.MS);
			checkpoints.checkReplicas(where + ", after " + late + " restarted");
			assertThat(checkpoints.violations).as(where).isEmpty();
		}
		return checkpoints;
	}

	/** The checkpoint services of all nodes, their application, and the checks. */
	static final class Checkpoints {

		final Run run;

		final Simulation sim;

		final SplittableRandom random;

		final boolean large;

		final Map<Long, Member> current = new HashMap<>();

		/** Every incarnation's service, for the count of fresh starts. */
		final List<Member> all = new ArrayList<>();

		/** The last value written per node, across its incarnations. */
		final Map<Long, Long> sequences = new HashMap<>();

		/** Per checkpoint and section, the highest acknowledged value, with the fresh starts seen at its ack. */
		final Map<String, Ack> acked = new LinkedHashMap<>();

		final List<String> violations = new ArrayList<>();

		boolean workload = true;

		long acknowledged;

		long bulkWrites;

		/** The most section bytes a member held when it came to hold the state by a transfer. */
		long largestTransfer;

		Checkpoints(Run run, boolean large) {
			this.run = run;
			this.sim = run.sim;
			this.random = new SplittableRandom(run.sim.seed ^ 0xC4E7L);
			this.large = large;
		}

		void started(SimNode.Services services) {
			Member member = new Member(this, services);
			this.current.put(services.node().nodeid, member);
			this.all.add(member);
			member.next();
		}

		long freshStarts() {
			long total = 0;
			for (Member member : this.all) {
				total += CheckpointProbe.freshStarts(member.service);
			}
			return total;
		}

		long nowMillis() {
			return this.sim.now() / Simulation.MS;
		}

		void acked(String checkpoint, SectionId section, long value) {
			this.acknowledged++;
			String key = checkpoint + "/" + section;
			Ack ack = new Ack(checkpoint, section, value, freshStarts());
			this.acked.merge(key, ack, (old, next) -> (next.value > old.value) ? next : old);
		}

		/** Every member holding the state holds the same replica, with every acknowledged write, and no expired data. */
		void checkReplicas(String where) {
			String first = null;
			Member firstMember = null;
			long fresh = freshStarts();
			long now = nowMillis();
			for (Member member : this.current.values()) {
				if (!member.running() || !member.service.holdsState()) {
					continue;
				}
				String dump = CheckpointProbe.dump(member.service);
				if (first == null) {
					first = dump;
					firstMember = member;
				}
				else {
					assertThat(dump).as(where + ": replica of " + member + " (" + CheckpointProbe.group(member.service)
							+ ") against " + firstMember + " (" + CheckpointProbe.group(firstMember.service) + ")")
						.isEqualTo(first);
				}
				for (Ack ack : this.acked.values()) {
					if (ack.freshStarts != fresh) {
						// the primary component vanished since: the state started afresh, as designed
						continue;
					}
					byte[] data = CheckpointProbe.section(member.service, ack.checkpoint, ack.section);
					long value = (data == null) ? -1 : valueOf(data);
					if (value < ack.value) {
						this.violations.add(where + ": " + member + " has " + ack.checkpoint + "/" + ack.section + " = "
								+ value + ", but " + ack.value + " was acknowledged");
					}
				}
				long expiring = CheckpointProbe.nextExpiration(member.service);
				if (expiring <= now - 2_500) {
					this.violations.add(where + ": " + member + " holds a section that expired at " + expiring
							+ ", now " + now);
				}
				for (String idle : CheckpointProbe.idle(member.service)) {
					if (idle.startsWith("ttl-")) {
						this.violations.add(where + ": " + member + " still holds " + idle + " after its retention");
					}
				}
			}
			assertThat(first).as(where + ": a member holding the state").isNotNull();
		}

		static long valueOf(byte[] data) {
			return (data.length >= 16) ? ByteBuffer.wrap(data).getLong(8) : -1;
		}

		/** An acknowledged value, and how many fresh starts had happened when it was told. */
		record Ack(String checkpoint, SectionId section, long value, long freshStarts) {
		}

		/** One incarnation of a node's checkpoint service and the application using it. */
		static final class Member {

			final Checkpoints checkpoints;

			final SimNode.Services services;

			final CheckpointService service;

			final Map<String, Checkpoint> handles = new HashMap<>();

			final Map<String, Boolean> opening = new HashMap<>();

			/** This incarnation's own sections known to exist (created, or found existing). */
			final Map<String, Boolean> created = new HashMap<>();

			long expiring;

			long transfersSeen;

			/** Sections of the large checkpoint known to exist, by anyone's creation. */
			int bulkCreated;

			Member(Checkpoints checkpoints, SimNode.Services services) {
				this.checkpoints = checkpoints;
				this.services = services;
				this.service = new CheckpointService(services.replicaHost("checkpoint service"),
						new DirectExecutorService());
			}

			boolean running() {
				return this.services.node().alive() && this.services.node().incarnation() == this.services.incarnation();
			}

			long nodeid() {
				return this.services.node().nodeid;
			}

			void next() {
				long delay = 20 + this.checkpoints.random.nextInt(200);
				this.services.schedule().apply(delay, this::act);
			}

			/** A value: this node and its next sequence number. */
			byte[] value(int size) {
				long sequence = this.checkpoints.sequences.merge(nodeid(), 1L, Long::sum);
				byte[] value = new byte[Math.max(16, size)];
				ByteBuffer.wrap(value).putLong(nodeid()).putLong(sequence);
				return value;
			}

			private void act() {
				if (!this.checkpoints.workload || !running()) {
					return;
				}
				next();
				if (!this.service.holdsState()) {
					this.transfersSeen = this.service.statistics().transfers();
					return;
				}
				long transfers = this.service.statistics().transfers();
				if (transfers != this.transfersSeen) {
					// came to hold the state since the last move: what it received (or started)
					this.transfersSeen = transfers;
					this.checkpoints.largestTransfer = Math.max(this.checkpoints.largestTransfer,
							CheckpointProbe.totalBytes(this.service));
				}
				SplittableRandom random = this.checkpoints.random;
				int kind = random.nextInt(100);
				// the large checkpoint fills up early, so the transfers under the faults carry all of it
				if (this.checkpoints.large && (kind < 5 || (kind < 50 && this.bulkCreated < BULK_SECTIONS))) {
					bulk();
				}
				else if (kind < 50) {
					own();
				}
				else if (kind < 62) {
					shared();
				}
				else if (kind < 74) {
					async();
				}
				else if (kind < 86) {
					expiring();
				}
				else {
					shortLived();
				}
			}

			/** Overwrites one of this node's sections of the synchronous checkpoint. */
			private void own() {
				withOpen("durable", DURABLE, (durable) -> {
					SectionId id = SectionId.of("n" + nodeid() + "-" + this.checkpoints.random.nextInt(3));
					put(durable, id, value(16));
				});
			}

			/** Every node overwrites one section. */
			private void shared() {
				withOpen("durable", DURABLE, (durable) -> {
					byte[] value = value(16);
					SectionId common = SectionId.of("common");
					if (this.created.containsKey("durable/common")) {
						durable.overwrite(common, value).whenComplete((ok, failure) -> expected(failure));
					}
					else {
						durable.createSection(common, value, null).whenComplete((id, failure) -> {
							if (failure == null || error(failure) == CheckpointError.EXISTS) {
								this.created.put("durable/common", true);
							}
							expected(failure);
						});
					}
				});
			}

			/** Writes this node's section of the asynchronous checkpoint, then synchronizes: then it is acknowledged. */
			private void async() {
				withOpen("async", ASYNC, (async) -> {
					SectionId id = SectionId.of("n" + nodeid());
					byte[] value = value(16);
					String key = "async/" + id;
					CompletableFuture<?> written = this.created.containsKey(key) ? async.overwrite(id, value)
							: async.createSection(id, value, null).whenComplete((ok, failure) -> {
								if (failure == null || error(failure) == CheckpointError.EXISTS) {
									this.created.put(key, true);
								}
							});
					written.thenCompose((ok) -> async.synchronize()).whenComplete((ok, failure) -> {
						if (failure == null) {
							this.checkpoints.acked("async", id, Checkpoints.valueOf(value));
						}
						else {
							expected(failure);
						}
					});
				});
			}

			/** A section that expires 0.1–2 s from now. */
			private void expiring() {
				withOpen("durable", DURABLE, (durable) -> {
					long at = this.checkpoints.nowMillis() + 100 + this.checkpoints.random.nextInt(1_900);
					SectionId id = SectionId.of("e" + nodeid() + "-" + this.services.incarnation() + "-" + (++this.expiring));
					durable.createSection(id, value(16), Instant.ofEpochMilli(at))
						.whenComplete((ok, failure) -> expected(failure));
				});
			}

			/**
			 * Opens one of this node's short-lived checkpoints (a default section only, retention 0.2–1.4 s),
			 * writes it and closes it; now and then unlinks one.
			 */
			private void shortLived() {
				int k = this.checkpoints.random.nextInt(5);
				String name = "ttl-" + nodeid() + "-" + k;
				if (this.checkpoints.random.nextInt(6) == 0) {
					this.service.unlink(name).whenComplete((ok, failure) -> expected(failure));
					return;
				}
				CheckpointAttributes attributes = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
					.withMaxSections(1)
					.withMaxSize(64)
					.withMaxSectionSize(64)
					.withRetention(Duration.ofMillis(200 + 300 * k));
				this.service.open(name, attributes).whenComplete((handle, failure) -> {
					if (handle == null) {
						expected(failure);
						return;
					}
					handle.overwrite(SectionId.DEFAULT, value(16))
						.whenComplete((ok, written) -> {
							expected(written);
							handle.close().whenComplete((closed, notClosed) -> expected(notClosed));
						});
				});
			}

			/**
			 * Overwrites one of this node's 256 KiB sections of the large checkpoint (section {@code i} is node
			 * {@code i % nodes + 1}'s, one writer each), creating them first.
			 */
			private void bulk() {
				withOpen("bulk", BULK, (bulk) -> {
					List<SectionId> mine = new ArrayList<>();
					for (int i = 0; i < BULK_SECTIONS; i++) {
						if (i % this.checkpoints.run.nodes + 1 == nodeid()) {
							mine.add(SectionId.of("b" + i));
						}
					}
					this.bulkCreated = 0;
					for (int i = 0; i < BULK_SECTIONS; i++) {
						if (CheckpointProbe.section(this.service, "bulk", SectionId.of("b" + i)) != null) {
							this.bulkCreated++;
						}
					}
					for (SectionId id : mine) {
						if (!this.created.containsKey("bulk/" + id)) {
							put(bulk, id, value(BULK_SECTION_SIZE));
							return;
						}
					}
					put(bulk, mine.get(this.checkpoints.random.nextInt(mine.size())), value(BULK_SECTION_SIZE));
				});
			}

			/** Creates or overwrites a section of a synchronous checkpoint; the value is acknowledged when done. */
			private void put(Checkpoint checkpoint, SectionId id, byte[] value) {
				String key = checkpoint.name() + "/" + id;
				long written = Checkpoints.valueOf(value);
				if (this.created.containsKey(key)) {
					checkpoint.overwrite(id, value).whenComplete((ok, failure) -> {
						if (failure == null) {
							acked(checkpoint, id, written);
						}
						expected(failure);
					});
					return;
				}
				checkpoint.createSection(id, value, null).whenComplete((ok, failure) -> {
					if (failure == null) {
						this.created.put(key, true);
						acked(checkpoint, id, written);
					}
					else if (error(failure) == CheckpointError.EXISTS) {
						this.created.put(key, true);
					}
					expected(failure);
				});
			}

			private void acked(Checkpoint checkpoint, SectionId id, long value) {
				this.checkpoints.acked(checkpoint.name(), id, value);
				if (checkpoint.name().equals("bulk")) {
					this.checkpoints.bulkWrites++;
				}
			}

			/** Runs {@code work} with the checkpoint open, opening it first (the work is then skipped). */
			private void withOpen(String name, CheckpointAttributes attributes, Consumer<Checkpoint> work) {
				Checkpoint handle = this.handles.get(name);
				if (handle != null && handle.isOpen()) {
					work.accept(handle);
					return;
				}
				if (this.opening.containsKey(name)) {
					return;
				}
				this.opening.put(name, true);
				this.service.open(name, attributes).whenComplete((opened, failure) -> {
					this.opening.remove(name);
					if (opened != null) {
						this.handles.put(name, opened);
					}
					else {
						expected(failure);
					}
				});
			}

			/** A failure the workload may meet is a {@link CheckpointException}; anything else is a violation. */
			private void expected(@Nullable Throwable failure) {
				if (failure != null && error(failure) == null) {
					this.checkpoints.violations.add(this + ": failed with " + failure);
				}
			}

			private static @Nullable CheckpointError error(Throwable failure) {
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				return (cause instanceof CheckpointException refused) ? refused.error() : null;
			}

			@Override
			public String toString() {
				return "n" + nodeid() + "/" + this.services.incarnation();
			}

		}

	}

}
