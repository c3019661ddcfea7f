package io.corosync4j.engine.totem.srp;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.corosync4j.engine.config.LinkMode;
import io.corosync4j.engine.config.TotemTimers;
import io.corosync4j.engine.totem.srp.Simulation.Event;
import io.corosync4j.engine.totem.wire.MessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded simulations of whole rings under faults, with the invariants of {@link Invariants} checked
 * after every event. Each scenario runs {@value #DEFAULT_SEEDS} seeds in the normal build; set
 * {@code -Dcorosync4j.simulation.seeds=N} for N seeds per scenario and
 * {@code -Dcorosync4j.simulation.scenarios=KNET,MIXED} for only some (a failing seed prints itself and the
 * events that led to the failure; add it to {@link #REGRESSIONS}).
 */
class SrpSimulationTests {

	private static final int DEFAULT_SEEDS = 30;

	/** Seeds that once failed, kept forever: scenario name and seed. */
	private static final List<Arguments> REGRESSIONS = List.of(Arguments.of(Scenario.MIXED, 381L),
			Arguments.of(Scenario.LARGE, 706L), Arguments.of(Scenario.MIXED, 901L), Arguments.of(Scenario.WRAP, 123L),
			Arguments.of(Scenario.LOSSY, 75L), Arguments.of(Scenario.CRASH_RESTART, 411L), Arguments.of(Scenario.KNET, 64L), Arguments.of(Scenario.KNET, 272L));

	private static final Map<Scenario, Coverage> coverage = new EnumMap<>(Scenario.class);

	private static long started = System.nanoTime();

	static Stream<Arguments> runs() {
		int seeds = Integer.getInteger("corosync4j.simulation.seeds", DEFAULT_SEEDS);
		String only = System.getProperty("corosync4j.simulation.scenarios", "");
		Stream<Arguments> generated = Stream.of(Scenario.values())
			.filter((scenario) -> only.isEmpty() || List.of(only.split(",")).contains(scenario.name()))
			.flatMap((scenario) -> LongStream.rangeClosed(1, seeds).mapToObj((seed) -> Arguments.of(scenario, seed)));
		return Stream.concat(REGRESSIONS.stream(), generated);
	}

	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("runs")
	void invariantsHold(Scenario scenario, long seed) {
		Run run = new Run(scenario, seed);
		run.execute();
		Invariants invariants = run.sim.invariants;
		assertThat(invariants.deliveries).as("deliveries").isGreaterThanOrEqualTo(scenario.minimumDeliveries);
		assertThat(invariants.regularConfigurations()).as("regular configurations")
			.isGreaterThanOrEqualTo(run.nodes * scenario.minimumRingsPerNode);
		synchronized (coverage) {
			coverage.computeIfAbsent(scenario, (key) -> new Coverage()).add(run);
		}
	}

	@AfterAll
	static void reportCoverage() {
		Coverage total = new Coverage();
		StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
				"Totem SRP simulation: %d runs in %.1f s%n%-16s %5s %9s %9s %7s %8s %6s %6s %7s %8s %6s %7s%n",
				coverage.values().stream().mapToLong((c) -> c.runs).sum(), (System.nanoTime() - started) / 1e9,
				"scenario", "runs", "events", "delivered", "configs", "encaps", "ftr", "merges", "leaves",
				"retrans", "hold-c", "flushed"));
		coverage.forEach((scenario, c) -> {
			report.append(c.row(scenario.name()));
			total.merge(c);
		});
		report.append(total.row("total"));
		System.out.print(report);
		if (!System.getProperty("corosync4j.simulation.scenarios", "").isEmpty()) {
			return;
		}
		assertThat(total.encapsulated).as("recovery re-multicasts old-ring messages").isPositive();
		assertThat(total.failedToReceive).as("FAILED TO RECEIVE happens").isPositive();
		assertThat(total.merges).as("partitions merge").isPositive();
		assertThat(total.leaves).as("nodes leave").isPositive();
		assertThat(total.retransmissions).as("rtr retransmissions").isPositive();
		assertThat(total.holdCancels).as("token hold is cancelled").isPositive();
		assertThat(total.flushed).as("a pause flushes stale membership messages").isPositive();
	}

	/** What can go wrong in a run, and how much must happen for the run to count. */
	enum Scenario {

		/** Loss, duplication and reordering only: retransmission and flow control. */
		LOSSY(2, 5, 100, 1),

		/**
		 * Members crash and come back with their stored ring id. Nodes started together may form their
		 * first ring with each other directly, so only one ring per node is certain.
		 */
		CRASH_RESTART(2, 5, 100, 1),

		/** The network splits and heals: partitions form their own rings and merge again. */
		PARTITION(3, 6, 100, 2),

		/** A process stops for longer than the token timeout, as a long GC pause or SIGSTOP. */
		FREEZE(2, 4, 100, 2),

		/** Members leave cleanly and rejoin later. */
		LEAVE(2, 5, 100, 2),

		/** One member stops receiving data messages: it has to declare FAILED TO RECEIVE. */
		DEAF(3, 4, 100, 2),

		/** Rings start their sequence numbers just below the 32-bit wrap. */
		WRAP(2, 4, 100, 1),

		/** Everything at once, with Corosync's default timers. */
		MIXED(3, 6, 100, 2),

		/** Sixteen nodes with loss and a crash. */
		LARGE(16, 16, 1000, 1),

		/**
		 * knet with two links and aes256/sha256 in a random link mode: each link is cut in turn without a
		 * membership change, then a node loses both links (a partition) and another crashes.
		 */
		KNET(2, 5, 100, 1),

		/**
		 * What a real network and real hosts add: one-way partitions, windows in which only the token or
		 * only join messages are lost, datagrams late by up to the token retransmit timeout, clocks that
		 * drift by up to 3 % and timers that fire up to 2 ms late, and crashes.
		 */
		ADVERSE(3, 6, 100, 2);

		final int minNodes;

		final int maxNodes;

		final long minimumDeliveries;

		final int minimumRingsPerNode;

		Scenario(int minNodes, int maxNodes, long minimumDeliveries, int minimumRingsPerNode) {
			this.minNodes = minNodes;
			this.maxNodes = maxNodes;
			this.minimumDeliveries = minimumDeliveries;
			this.minimumRingsPerNode = minimumRingsPerNode;
		}

	}

	/** One seeded run: start, traffic, faults, heal, then convergence within the bound. */
	static final class Run {

		final Scenario scenario;

		final Simulation sim;

		final SplittableRandom random;

		final int nodes;

		final TotemTimers timers;

		long faultsEnd;

		/**
		 * Message sizes for CPG runs, from a stream of their own so the Totem-only runs (and their
		 * regression seeds) draw what they always drew: one send in four carries messages of 1–33 KB,
		 * cut into fragment chains that cross configuration changes.
		 */
		final SplittableRandom sizes;

		Run(Scenario scenario, long seed) {
			this(scenario, seed, false);
		}

		/**
		 * @param services run totempg, sync and CPG on every node and send through CPG; Totem's payload
		 * checks give way to {@link io.corosync4j.engine.fixtures.CpgChecker}
		 */
		Run(Scenario scenario, long seed, boolean services) {
			this(scenario, seed, services, 0);
		}

		/**
		 * @param minQueue the fewest frames Totem's send queue holds: a real node's holds 4 MiB
		 * (Corosync's {@code MESSAGE_QUEUE_MAX}), and a CPG message waits for room for all its frames, so a run
		 * whose services send messages of hundreds of KiB needs that much (the random queues here go down to
		 * 64 frames, to exercise a full queue)
		 */
		Run(Scenario scenario, long seed, boolean services, int minQueue) {
			this.scenario = scenario;
			this.sim = new Simulation(seed * 1_000_003L + scenario.ordinal());
			this.sim.services = services;
			this.sim.invariants.payloads = !services;
			this.random = this.sim.random.split();
			this.sizes = new SplittableRandom(seed * 31 + scenario.ordinal());
			this.nodes = this.random.nextInt(scenario.minNodes, scenario.maxNodes + 1);
			boolean corosyncDefaults = scenario == Scenario.MIXED;
			// shorter timers keep the virtual time short; the protocol's rules do not depend on them
			long token = corosyncDefaults ? 0 : 400 + 100 * this.random.nextInt(0, 7);
			// send_join spreads joins over a random delay; half the crash runs use it
			long sendJoin = (scenario == Scenario.CRASH_RESTART && this.random.nextBoolean()) ? 80 : 0;
			this.timers = Simulation.timers(this.nodes, token, sendJoin);
			int queue = Math.max(minQueue, 64 + this.random.nextInt(0, 3000));
			this.sim.addNodes(this.nodes, (id) -> new SrpSettings(id, this.timers, this.random.nextBoolean(), queue));
			if (scenario == Scenario.ADVERSE) {
				for (SimNode node : this.sim.nodes) {
					node.clock(0.97 + this.random.nextDouble(0.06), 2 * Simulation.MS);
				}
			}
			if (scenario == Scenario.WRAP) {
				this.sim.startSequenceAt(-1 - this.random.nextInt(0, 3000));
			}
			if (scenario == Scenario.KNET) {
				byte[] key = new byte[256];
				this.random.nextBytes(key);
				LinkMode[] modes = LinkMode.values();
				this.sim.network.knet(2, modes[this.random.nextInt(modes.length)], key);
			}
		}

		void execute() {
			for (SimNode node : this.sim.nodes) {
				long at = this.random.nextBoolean() ? 0 : this.random.nextLong(0, 300) * Simulation.MS;
				this.sim.at(at, null, Event.Kind.CONTROL, "start " + node, node::start);
			}
			if (this.scenario == Scenario.KNET) {
				// libknet's pong timeouts start ten times longer and reach knet_ping_timeout after 10 s
				long faultsFrom = 12_000 * Simulation.MS;
				this.faultsEnd = knetFaults(faultsFrom);
			}
			else {
				long faultsFrom = 1_000 * Simulation.MS;
				this.faultsEnd = faultsFrom + this.random.nextLong(2_000, 6_000) * Simulation.MS;
				scheduleFaults(faultsFrom, this.faultsEnd);
			}
			scheduleTraffic(200 * Simulation.MS, this.faultsEnd, true);
			this.sim.at(this.faultsEnd, null, Event.Kind.CONTROL, "heal", this::healAll);

			// liveness: within the bound after the last fault, the live nodes are one ring (knet first
			// needs its links up again: pong count + 1 pongs)
			long knetLinkUp = (this.scenario == Scenario.KNET) ? this.timers.token() : 0;
			long converged = this.faultsEnd + (TimerBounds.convergence(this.timers) + knetLinkUp) * Simulation.MS;
			this.sim.runUntil(converged);
			this.sim.invariants.checkOneRing();

			// and that ring carries traffic to everyone
			scheduleTraffic(converged, converged + 500 * Simulation.MS, false);
			this.sim.runUntil(converged + 500 * Simulation.MS + 2 * this.timers.token() * Simulation.MS);
			this.sim.invariants.checkOneRing();
			this.sim.invariants.checkDelivered();
		}

		/**
		 * Cuts link 0, then link 1, each for 1–3 s with time for the other to come back between them, and
		 * checks that no configuration changed; then loss, a node cut off on both links, and a crash.
		 * @return when the faults end
		 */
		private long knetFaults(long from) {
			SimNetwork network = this.sim.network;
			long[] configurations = new long[1];
			this.sim.at(from, null, Event.Kind.CONTROL, "count configurations",
					() -> configurations[0] = this.sim.invariants.regularConfigurations());
			long at = from + this.random.nextLong(0, 500) * Simulation.MS;
			for (int link = 0; link < 2; link++) {
				int cut = link;
				long restore = at + this.random.nextLong(1_000, 3_000) * Simulation.MS;
				this.sim.at(at, null, Event.Kind.CONTROL, "cut link " + cut, () -> network.cutLink(cut));
				this.sim.at(restore, null, Event.Kind.CONTROL, "restore link " + cut, () -> network.restoreLink(cut));
				at = restore + 1_500 * Simulation.MS;
			}
			this.sim.at(at, null, Event.Kind.CONTROL, "no configuration change while one link was up", () -> {
				if (this.sim.invariants.regularConfigurations() != configurations[0]) {
					throw this.sim.failure("a single cut link changed the membership", null);
				}
			});
			long until = at + this.random.nextLong(2_000, 5_000) * Simulation.MS;
			this.sim.at(at, null, Event.Kind.CONTROL, "lossy",
					() -> network.faults(this.random.nextDouble(0.05), this.random.nextDouble(0.02)));
			int[] groups = new int[this.nodes];
			groups[this.random.nextInt(this.nodes)] = 1;
			long split = randomTime(at, until);
			this.sim.at(split, null, Event.Kind.CONTROL, "both links of a node cut " + java.util.Arrays.toString(groups),
					() -> network.partition(groups));
			this.sim.at(randomTime(split, until), null, Event.Kind.CONTROL, "links back", () -> network.partition());
			crashes(at, until);
			return until;
		}

		private void healAll() {
			this.sim.network.heal();
			for (SimNode node : this.sim.nodes) {
				if (!node.alive()) {
					node.start();
				}
			}
		}

		private void scheduleTraffic(long from, long until, boolean quietStretches) {
			long period = (this.nodes > 8) ? 100 * Simulation.MS : 10 * Simulation.MS;
			for (long at = from; at < until; at += period) {
				// quiet stretches let the token be held, so hold cancellation gets exercised
				if (quietStretches && this.random.nextInt(150) == 0) {
					at += this.random.nextLong(1_000, 2_000) * Simulation.MS;
					if (at >= until) {
						break;
					}
				}
				for (SimNode node : this.sim.nodes) {
					if (this.random.nextInt(3) != 0) {
						continue;
					}
					int count = this.random.nextInt(1, 6);
					int small = this.random.nextInt(0, 200);
					int padding = (this.sim.services && this.sizes.nextInt(4) == 0) ? this.sizes.nextInt(1_000, 33_000) : small;
					this.sim.at(at, null, Event.Kind.CONTROL, "send", () -> node.send(count, padding));
				}
			}
		}

		private void scheduleFaults(long from, long until) {
			SimNetwork network = this.sim.network;
			switch (this.scenario) {
				case LOSSY, WRAP -> this.sim.at(from, null, Event.Kind.CONTROL, "lossy",
						() -> network.faults(this.random.nextDouble(0.2), this.random.nextDouble(0.05)));
				case CRASH_RESTART -> crashes(from, until);
				case PARTITION -> partitions(from, until);
				case FREEZE -> freezes(from, until);
				case LEAVE -> leaves(from, until);
				case DEAF -> {
					long victim = this.random.nextInt(1, this.nodes + 1);
					this.sim.at(from, null, Event.Kind.CONTROL, "deafen " + victim, () -> network.deafen(victim));
				}
				case MIXED -> {
					this.sim.at(from, null, Event.Kind.CONTROL, "lossy",
							() -> network.faults(this.random.nextDouble(0.05), this.random.nextDouble(0.02)));
					crashes(from, until);
					partitions(from, until);
					freezes(from, until);
					leaves(from, until);
				}
				case KNET -> throw new IllegalStateException("knet faults are scheduled by knetFaults");
				case ADVERSE -> {
					this.sim.at(from, null, Event.Kind.CONTROL, "lossy and late", () -> {
						network.faults(this.random.nextDouble(0.03), this.random.nextDouble(0.02));
						network.late(0.01, this.timers.tokenRetransmit() * Simulation.MS);
					});
					typeLoss(MessageType.ORF_TOKEN, from, until);
					typeLoss(MessageType.MEMB_JOIN, from, until);
					oneWayPartitions(from, until);
					crashes(from, until);
				}
				case LARGE -> {
					this.sim.at(from, null, Event.Kind.CONTROL, "lossy",
							() -> network.faults(this.random.nextDouble(0.03), 0.01));
					crashes(from, from + 1);
				}
			}
		}

		private long randomTime(long from, long until) {
			return this.random.nextLong(from, Math.max(from + 1, until));
		}

		private SimNode randomNode() {
			return this.sim.nodes.get(this.random.nextInt(this.nodes));
		}

		private void crashes(long from, long until) {
			int count = this.random.nextInt(1, 3);
			for (int i = 0; i < count; i++) {
				SimNode victim = randomNode();
				long at = randomTime(from, until);
				this.sim.at(at, null, Event.Kind.CONTROL, "crash " + victim, victim::crash);
				long back = randomTime(at, until);
				this.sim.at(back, null, Event.Kind.CONTROL, "restart " + victim, () -> {
					if (!victim.alive()) {
						victim.start();
					}
				});
			}
		}

		private void partitions(long from, long until) {
			int count = this.random.nextInt(1, 4);
			for (int i = 0; i < count; i++) {
				int[] groups = new int[this.nodes];
				int parts = this.random.nextInt(2, Math.min(3, this.nodes) + 1);
				for (int n = 0; n < this.nodes; n++) {
					groups[n] = this.random.nextInt(parts);
				}
				long at = randomTime(from, until);
				this.sim.at(at, null, Event.Kind.CONTROL, "partition " + java.util.Arrays.toString(groups),
						() -> this.sim.network.partition(groups));
				this.sim.at(randomTime(at, until), null, Event.Kind.CONTROL, "rejoin partitions",
						() -> this.sim.network.partition());
			}
		}

		/** A window of 0.5–2 s in which 30–80 % of one type of message is lost. */
		private void typeLoss(MessageType type, long from, long until) {
			long at = randomTime(from, until);
			long end = Math.min(until, at + this.random.nextLong(500, 2_000) * Simulation.MS);
			double share = 0.3 + this.random.nextDouble(0.5);
			this.sim.at(at, null, Event.Kind.CONTROL, "lose " + type, () -> this.sim.network.loseOnly(type, share));
			this.sim.at(end, null, Event.Kind.CONTROL, "stop losing " + type, () -> this.sim.network.loseOnly(type, 0));
		}

		private void oneWayPartitions(long from, long until) {
			int count = this.random.nextInt(1, 3);
			for (int i = 0; i < count; i++) {
				int[] groups = new int[this.nodes];
				for (int n = 0; n < this.nodes; n++) {
					groups[n] = this.random.nextInt(2);
				}
				long at = randomTime(from, until);
				this.sim.at(at, null, Event.Kind.CONTROL, "one-way partition " + java.util.Arrays.toString(groups),
						() -> this.sim.network.partitionOneWay(groups));
				this.sim.at(randomTime(at, until), null, Event.Kind.CONTROL, "rejoin partitions",
						() -> this.sim.network.partition());
			}
		}

		private void freezes(long from, long until) {
			SimNode victim = randomNode();
			long duration = (long) ((0.5 + this.random.nextDouble(2)) * this.timers.token()) * Simulation.MS;
			long at = randomTime(from, Math.max(from + 1, until - duration));
			this.sim.at(at, null, Event.Kind.CONTROL, "freeze " + victim, () -> victim.freeze(duration));
		}

		private void leaves(long from, long until) {
			SimNode leaver = randomNode();
			long at = randomTime(from, until);
			this.sim.at(at, null, Event.Kind.CONTROL, "leave " + leaver, leaver::leave);
			this.sim.at(randomTime(at, until), null, Event.Kind.CONTROL, "rejoin " + leaver, () -> {
				if (!leaver.alive()) {
					leaver.start();
				}
			});
		}

	}

	/** What the runs of one scenario exercised. */
	static final class Coverage {

		long runs;

		long events;

		long deliveries;

		long configurations;

		long encapsulated;

		long failedToReceive;

		long merges;

		long leaves;

		long retransmissions;

		long holdCancels;

		long flushed;

		void add(Run run) {
			Invariants invariants = run.sim.invariants;
			this.runs++;
			this.events += run.sim.events();
			this.deliveries += invariants.deliveries;
			this.configurations += invariants.regularConfigurations();
			this.encapsulated += invariants.encapsulatedOnWire;
			this.failedToReceive += invariants.failedToReceive;
			this.merges += invariants.merges;
			this.leaves += invariants.leaves;
			this.flushed += invariants.flushed;
			for (SimNode node : run.sim.nodes) {
				this.retransmissions += node.srp().stats().get(SrpCounter.MCAST_RETX);
				this.holdCancels += node.srp().stats().get(SrpCounter.TOKEN_HOLD_CANCEL_TX);
			}
		}

		void merge(Coverage other) {
			this.runs += other.runs;
			this.events += other.events;
			this.deliveries += other.deliveries;
			this.configurations += other.configurations;
			this.encapsulated += other.encapsulated;
			this.failedToReceive += other.failedToReceive;
			this.merges += other.merges;
			this.leaves += other.leaves;
			this.retransmissions += other.retransmissions;
			this.holdCancels += other.holdCancels;
			this.flushed += other.flushed;
		}

		String row(String name) {
			return String.format(Locale.ROOT, "%-16s %5d %9d %9d %7d %8d %6d %6d %7d %8d %6d %7d%n", name, this.runs,
					this.events, this.deliveries, this.configurations, this.encapsulated, this.failedToReceive,
					this.merges, this.leaves, this.retransmissions, this.holdCancels, this.flushed);
		}

	}

}
