package io.corosync4j.engine.totem.srp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.corosync4j.engine.servicegroup.ChangeReason;
import io.corosync4j.engine.servicegroup.ServiceGroupException;
import io.corosync4j.engine.servicegroup.ServiceGroupService;
import io.corosync4j.engine.servicegroup.ServiceGroupView;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.ServiceUnitView;
import io.corosync4j.engine.servicegroup.StateChange;
import io.corosync4j.engine.totem.srp.LockSimulationTests.DirectExecutorService;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Run;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Scenario;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Service groups on the simulated ring, under the simulation's faults: every node offers units of one or
 * two groups with random ranks, a grace period long enough for a cut-off active to step down, and a
 * fencer; its application now and then reports a unit failed (and repairs it), withdraws one (and offers
 * it again), or asks for a switchover, and quiesces when asked (or lets the quiesce time out).
 *
 * <p>Checked at every callback: no assignment number is told to two units, each group's numbers are told
 * in increasing order, and no two units of a group are told active at once among running processes,
 * whether in the primary component or cut off from it (the grace period is what keeps a cut-off active
 * from overlapping), except a process that paused: while frozen, and after it until it is told anything
 * new, it believes what it believed when it stopped (assignment numbers and fencers are for that). After
 * the heal: every member holding the table has the same one, every group with a unit that can serve has
 * exactly one active, told to that unit only, and a switchover moves the activity to a standby. More seeds
 * with {@code -Dcorosync4j.simulation.amfSeeds=N}; one run with
 * {@code -Dcorosync4j.simulation.amfRun=FREEZE:31}; {@code -Dcorosync4j.simulation.amfReport=true} prints
 * what each run exercised and traces the units' changes.
 */
class ServiceGroupSimulationTests {

	private static final String[] GROUPS = { "g0", "g1" };

	static Stream<Arguments> runs() {
		String only = System.getProperty("corosync4j.simulation.amfRun");
		if (only != null) {
			String[] run = only.split(":");
			return Stream.of(Arguments.of(Scenario.valueOf(run[0]), Long.parseLong(run[1])));
		}
		int seeds = Integer.getInteger("corosync4j.simulation.amfSeeds", 6);
		return Stream.of(Scenario.LOSSY, Scenario.CRASH_RESTART, Scenario.PARTITION, Scenario.FREEZE, Scenario.LEAVE,
				Scenario.MIXED, Scenario.ADVERSE)
			.flatMap((scenario) -> LongStream.rangeClosed(1, seeds).mapToObj((seed) -> Arguments.of(scenario, seed)));
	}

	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("runs")
	void oneActivePerGroupAgreedUnderFaults(Scenario scenario, long seed) {
		Run run = new Run(scenario, seed, true);
		Groups groups = new Groups(run);
		run.sim.servicesStarted = groups::started;
		run.execute();
		String where = scenario + " seed " + seed;
		groups.stopWorkload();
		// grace periods, quiesce timeouts and fencers end; repaired units come back
		run.sim.runUntil(run.sim.now() + 20 * run.timers.token() * Simulation.MS);
		assertThat(groups.violations).as(where).isEmpty();
		groups.checkAgreement(where);
		groups.checkSwitchover(where);
		assertThat(groups.violations).as(where).isEmpty();
		assertThat(groups.activations).as(where + ": activations told").isGreaterThanOrEqualTo(1);
		if (Boolean.getBoolean("corosync4j.simulation.amfReport")) {
			long failovers = 0;
			long switchovers = 0;
			long stepDowns = 0;
			long fencing = 0;
			for (Groups.Member member : groups.current.values()) {
				failovers = Math.max(failovers, member.service.statistics().failovers());
				switchovers = Math.max(switchovers, member.service.statistics().switchovers());
			}
			for (Groups.Member member : groups.all) {
				stepDowns += member.service.statistics().stepDowns();
				fencing += member.service.statistics().fencingFailures();
			}
			System.out.println(where + ": " + groups.activations + " activations told, failovers " + failovers
					+ ", switchovers " + switchovers + " (as the last members saw), step-downs " + stepDowns
					+ ", fencing failures " + fencing + ", incarnations " + groups.all.size());
		}
	}

	/** The service group services of all nodes, their applications, and the checks. */
	static final class Groups {

		final Run run;

		final Simulation sim;

		final SplittableRandom random;

		final Duration grace;

		final Map<Long, Member> current = new TreeMap<>();

		/** Every incarnation started. */
		final List<Member> all = new ArrayList<>();

		/** Per group, each assignment number told, and to whom. */
		final Map<String, Map<Long, String>> assignments = new HashMap<>();

		/** Per group, the highest assignment number told. */
		final Map<String, Long> lastAssignments = new HashMap<>();

		final List<String> violations = new ArrayList<>();

		boolean workload = true;

		long activations;

		Groups(Run run) {
			this.run = run;
			this.sim = run.sim;
			this.random = new SplittableRandom(run.sim.seed ^ 0xA3F0L);
			// long enough for an active cut off in a minority to learn it lost the table first
			this.grace = Duration.ofMillis(2 * run.timers.token() + run.timers.consensus());
		}

		void started(SimNode.Services services) {
			Member member = new Member(this, services);
			this.current.put(services.node().nodeid, member);
			this.all.add(member);
			member.start();
		}

		void stopWorkload() {
			this.workload = false;
		}

		String now() {
			return this.sim.now() / Simulation.MS + " ms: ";
		}

		/** A unit was told it is active. */
		void toldActive(Member member, ServiceUnit unit, StateChange change) {
			this.activations++;
			String group = unit.group();
			String holder = member + "#" + group;
			String earlier = this.assignments.computeIfAbsent(group, (g) -> new HashMap<>())
				.putIfAbsent(change.assignment(), holder);
			if (earlier != null) {
				this.violations.add(now() + "assignment " + change.assignment() + " of " + group + " told to " + holder
						+ " and before to " + earlier);
			}
			Long last = this.lastAssignments.get(group);
			if (last != null && last >= change.assignment()) {
				this.violations.add(now() + holder + " told assignment " + change.assignment() + " after assignment " + last);
			}
			this.lastAssignments.merge(group, change.assignment(), Math::max);
			if (Boolean.getBoolean("corosync4j.simulation.amfReport")) {
				this.sim.trace.add(this.sim.now(), member, "ACTIVE", group + " #" + change.assignment() + " " + change);
			}
			for (Member other : this.current.values()) {
				ServiceUnit theirs = other.units.get(group);
				// a paused process believes what it believed when it stopped, and goes on believing it after the
				// pause until it hears otherwise: assignment numbers and fencers are for that
				if (other != member && theirs != null && theirs.isActive() && other.running()
						&& !other.services.node().frozen() && !other.believesFromBeforeAPause(group)) {
					this.violations.add(now() + holder + " (assignment " + change.assignment() + ", " + change
							+ ") told active while " + other + " is active (told at "
							+ other.toldAt.get(group) / Simulation.MS + " ms, thawed at " + other.services.node().thawedAt() / Simulation.MS + " ms)");
					if (Boolean.getBoolean("corosync4j.simulation.amfReport")) {
						System.out.println(this.sim.failure(this.violations.get(this.violations.size() - 1), null).getMessage());
					}
				}
			}
		}

		/** After the heal: every member with the table has the same one, and each group one active, told. */
		void checkAgreement(String where) {
			List<ServiceGroupView> first = null;
			for (Member member : this.current.values()) {
				if (!member.running() || !member.service.inPrimaryComponent()) {
					continue;
				}
				List<ServiceGroupView> view = member.view();
				if (first == null) {
					first = view;
				}
				else {
					assertThat(view).as(where + ": table of " + member).isEqualTo(first);
				}
			}
			assertThat(first).as(where + ": a member with the table").isNotNull();
			for (ServiceGroupView group : first) {
				boolean canServe = group.units().stream().anyMatch((unit) -> unit.state() != ServiceUnitState.FAILED);
				if (!canServe) {
					assertThat(group.active()).as(where + ": " + group).isNull();
					continue;
				}
				assertThat(group.active()).as(where + ": the active of " + group).isNotNull();
				for (Member member : this.current.values()) {
					ServiceUnit unit = member.units.get(group.name());
					if (!member.running() || unit == null) {
						continue;
					}
					boolean isTheActive = member.service.units().containsKey(group.name())
							&& group.active().nodeid() == member.services.node().nodeid;
					assertThat(unit.isActive()).as(where + ": " + member + " told active in " + group).isEqualTo(isTheActive);
				}
			}
		}

		/** A switchover of a group with a standby moves the activity to a standby. */
		void checkSwitchover(String where) {
			Member asking = this.current.values().stream().filter(Member::running).findFirst().orElseThrow();
			for (ServiceGroupView group : asking.view()) {
				List<ServiceUnitView> standbys = group.units()
					.stream()
					.filter((unit) -> unit.state() == ServiceUnitState.STANDBY)
					.toList();
				if (group.active() == null || standbys.isEmpty()) {
					continue;
				}
				CompletableFuture<@Nullable Void> accepted = asking.service.switchover(group.name());
				this.sim.runUntil(this.sim.now() + 10 * this.run.timers.token() * Simulation.MS + 1_500 * Simulation.MS);
				assertThat(accepted).as(where + ": switchover of " + group.name()).isCompleted();
				accepted.join();
				ServiceGroupView after = asking.view()
					.stream()
					.filter((g) -> g.name().equals(group.name()))
					.findFirst()
					.orElseThrow();
				assertThat(after.active()).as(where + ": the new active of " + group.name())
					.isIn(standbys.stream().map(ServiceUnitView::member).toList());
				Member newActive = this.current.get(after.active().nodeid());
				ServiceUnit unit = newActive.units.get(group.name());
				assertThat(unit.isActive()).as(where + ": " + newActive + " told active").isTrue();
				assertThat(newActive.lastReasons.get(group.name())).isEqualTo(ChangeReason.SWITCHOVER);
				Member formerActive = this.current.get(group.active().nodeid());
				assertThat(formerActive.units.get(group.name()).state()).as(where + ": the former active")
					.isEqualTo(ServiceUnitState.STANDBY);
				return;
			}
		}

		/** One incarnation of a node's service group service and the application using it. */
		static final class Member {

			final Groups groups;

			final SimNode.Services services;

			final ServiceGroupService service;

			/** This incarnation's units, by group (withdrawn ones stay until offered again). */
			final Map<String, ServiceUnit> units = new TreeMap<>();

			final Map<String, ChangeReason> lastReasons = new HashMap<>();

			/** When each unit was last told something (virtual nanoseconds). */
			final Map<String, Long> toldAt = new HashMap<>();

			Member(Groups groups, SimNode.Services services) {
				this.groups = groups;
				this.services = services;
				this.service = new ServiceGroupService(services.replicaHost("service group service"),
						new DirectExecutorService());
			}

			/** Whether the unit's state was last told before the node's last pause ended. */
			boolean believesFromBeforeAPause(String group) {
				return this.toldAt.getOrDefault(group, Long.MAX_VALUE) <= this.services.node().thawedAt();
			}

			boolean running() {
				return this.services.node().alive() && this.services.node().incarnation() == this.services.incarnation();
			}

			void start() {
				int count = 1 + this.groups.random.nextInt(GROUPS.length);
				int first = this.groups.random.nextInt(GROUPS.length);
				for (int i = 0; i < count; i++) {
					offer(GROUPS[(first + i) % GROUPS.length]);
				}
				next();
			}

			private void offer(String group) {
				ServiceUnitSpec spec = new ServiceUnitSpec(group, this.groups.random.nextInt(3), this.groups.grace,
						Duration.ofMillis(200 + this.groups.random.nextInt(600)));
				try {
					this.units.put(group, this.service.register(spec, (previous, next, change) -> changed(group, next,
							change), this::fence));
				}
				catch (ServiceGroupException ex) {
					this.groups.violations.add(this + ": registering " + group + " failed with " + ex);
				}
			}

			private void changed(String group, ServiceUnitState next, StateChange change) {
				ServiceUnit unit = this.units.get(group);
				if (Boolean.getBoolean("corosync4j.simulation.amfReport")) {
					this.groups.sim.trace.add(this.groups.sim.now(), this, "UNIT", group + " -> " + next + " " + change);
				}
				this.lastReasons.put(group, change.reason());
				if (next == ServiceUnitState.ACTIVE && unit != null) {
					this.groups.toldActive(this, unit, change);
				}
				if (next == ServiceUnitState.QUIESCING) {
					// most applications quiesce in a while; some never do, and the switch is forced
					if (this.groups.random.nextInt(5) != 0) {
						this.services.schedule().apply((long) this.groups.random.nextInt(300),
								() -> change.quiesced().complete(null));
					}
				}
			}

			/** Fencing takes a while, and now and then it fails. */
			private CompletionStage<?> fence(String group, io.corosync4j.engine.replica.Member previous) {
				CompletableFuture<@Nullable Void> fenced = new CompletableFuture<>();
				boolean fails = this.groups.workload && this.groups.random.nextInt(8) == 0;
				this.services.schedule().apply(10L + this.groups.random.nextInt(90), () -> {
					if (fails) {
						fenced.completeExceptionally(new IllegalStateException("power switch did not answer"));
					}
					else {
						fenced.complete(null);
					}
				});
				return fenced;
			}

			/** The application's next move, a little later. */
			void next() {
				long delay = 200 + this.groups.random.nextInt(1_300);
				this.services.schedule().apply(delay, this::act);
			}

			private void act() {
				if (!running()) {
					return;
				}
				if (!this.groups.workload) {
					// the application repairs what it broke, so the groups end with units that can serve
					for (ServiceUnit unit : this.units.values()) {
						if (unit.state() == ServiceUnitState.FAILED) {
							unit.repair();
						}
					}
					return;
				}
				String group = GROUPS[this.groups.random.nextInt(GROUPS.length)];
				ServiceUnit unit = this.units.get(group);
				int kind = this.groups.random.nextInt(20);
				if (unit != null && kind == 0) {
					unit.fail("health check failed").whenComplete(this::expectGroupError);
					long later = 500 + this.groups.random.nextInt(2_000);
					this.services.schedule().apply(later, () -> unit.repair().whenComplete(this::expectGroupError));
				}
				else if (unit != null && kind == 1) {
					unit.withdraw().whenComplete(this::expectGroupError);
					long later = 300 + this.groups.random.nextInt(2_000);
					this.services.schedule().apply(later, () -> {
						if (running() && this.units.get(group) == unit) {
							offer(group);
						}
					});
				}
				else if (kind == 2) {
					this.service.switchover(group).whenComplete(this::expectGroupError);
				}
				else if (unit != null && kind == 3) {
					unit.switchover().whenComplete(this::expectGroupError);
				}
				next();
			}

			private void expectGroupError(@Nullable Object result, @Nullable Throwable failure) {
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				if (cause != null && !(cause instanceof ServiceGroupException)) {
					this.groups.violations.add(this + ": a request failed with " + cause);
				}
			}

			List<ServiceGroupView> view() {
				CompletableFuture<List<ServiceGroupView>> view = this.service.groups();
				this.groups.sim.runUntil(this.groups.sim.now() + Simulation.MS);
				assertThat(view).isCompleted();
				return view.join();
			}

			@Override
			public String toString() {
				return "n" + this.services.node().nodeid + "/" + this.services.incarnation();
			}

		}

	}

}
