package io.corosync4j.engine.totem.srp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.corosync4j.engine.lock.HeldLock;
import io.corosync4j.engine.lock.LockError;
import io.corosync4j.engine.lock.LockException;
import io.corosync4j.engine.lock.LockMode;
import io.corosync4j.engine.lock.LockRequest;
import io.corosync4j.engine.lock.LockResourceView;
import io.corosync4j.engine.lock.LockService;
import io.corosync4j.engine.totem.srp.Simulation.Event;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Run;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock service on the simulated ring, under the simulation's faults: every node runs a lock service
 * whose application asks for locks on three resources, holds them a while and unlocks them. Checked at
 * every grant and loss: no fencing token is told to two holders; each resource's tokens grow in the
 * order holders learn of them; and, where no process pauses (a paused holder is what fencing tokens are
 * for), no two members believe at once that they hold one resource exclusively, the grace period closing
 * the window after a split. After the heal, every member holds the same table, and every member is
 * granted a lock in turn. More seeds with {@code -Dcorosync4j.simulation.lockSeeds=N}; one run with
 * {@code -Dcorosync4j.simulation.lockRun=FREEZE:31}.
 */
class LockSimulationTests {

	private static final String[] RESOURCES = { "r0", "r1", "r2" };

	static Stream<Arguments> runs() {
		String only = System.getProperty("corosync4j.simulation.lockRun");
		if (only != null) {
			String[] run = only.split(":");
			return Stream.of(Arguments.of(Scenario.valueOf(run[0]), Long.parseLong(run[1])));
		}
		int seeds = Integer.getInteger("corosync4j.simulation.lockSeeds", 12);
		return Stream.of(Scenario.LOSSY, Scenario.CRASH_RESTART, Scenario.PARTITION, Scenario.FREEZE, Scenario.LEAVE,
				Scenario.MIXED, Scenario.ADVERSE)
			.flatMap((scenario) -> LongStream.rangeClosed(1, seeds).mapToObj((seed) -> Arguments.of(scenario, seed)));
	}

	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("runs")
	void locksStayExclusiveAndAgreedUnderFaults(Scenario scenario, long seed) {
		Run run = new Run(scenario, seed, true);
		Locks locks = new Locks(run, true);
		run.sim.servicesStarted = locks::started;
		run.execute();
		String where = scenario + " seed " + seed;
		locks.stopWorkload();
		// let the last holders unlock and the last waiters give up
		run.sim.runUntil(run.sim.now() + 20 * run.timers.token() * Simulation.MS);
		assertThat(locks.violations).as(where).isEmpty();
		locks.checkAgreement(where);
		locks.checkEveryoneGetsATurn(where);
		assertThat(locks.violations).as(where).isEmpty();
		assertThat(locks.told).as(where + ": grants told").isGreaterThan(10);
	}

	/** The lock services of all nodes, their application, and the checks. */
	static final class Locks {

		final Run run;

		final Simulation sim;

		final SplittableRandom random;

		/** Whether to hold members to exclusion in time: not when processes pause. */
		final boolean exclusionInTime;

		final Map<Long, Member> current = new HashMap<>();

		/** Every token told, and to whom. */
		final Map<Long, String> tokens = new HashMap<>();

		/** Per resource, the highest token told. */
		final Map<String, Long> lastTokens = new HashMap<>();

		/** Per resource, the last token told to an exclusive holder. */
		final Map<String, Long> lastExclusiveTokens = new HashMap<>();

		final List<String> violations = new ArrayList<>();

		boolean workload = true;

		long told;

		final Duration grace;

		Locks(Run run, boolean exclusionInTime) {
			this.run = run;
			this.sim = run.sim;
			this.random = new SplittableRandom(run.sim.seed ^ 0x10C4L);
			this.exclusionInTime = exclusionInTime;
			// long enough for a cut-off holder to learn it lost its lock before anyone else is granted it
			this.grace = Duration.ofMillis(2 * run.timers.token() + run.timers.consensus());
		}

		void started(SimNode.Services services) {
			Member member = new Member(this, services);
			this.current.put(services.node().nodeid, member);
			member.next();
		}

		void stopWorkload() {
			this.workload = false;
		}

		void told(Member member, HeldLock lock) {
			this.told++;
			String holder = member + "#" + lock.resource();
			String earlier = this.tokens.putIfAbsent(lock.fencingToken(), holder);
			if (earlier != null) {
				this.violations.add(this.sim.now() / Simulation.MS + " ms: token " + lock.fencingToken() + " told to "
						+ holder + " and before to " + earlier);
			}
			// shared holders hold together and learn it in any order; an exclusive one comes after all of them
			boolean exclusive = lock.mode() == LockMode.EXCLUSIVE;
			Long last = (exclusive ? this.lastTokens : this.lastExclusiveTokens).get(lock.resource());
			if (last != null && last >= lock.fencingToken()) {
				this.violations.add(this.sim.now() / Simulation.MS + " ms: " + lock.resource() + " token "
						+ lock.fencingToken() + " told to " + holder + " after token " + last);
			}
			this.lastTokens.merge(lock.resource(), lock.fencingToken(), Math::max);
			if (exclusive) {
				this.lastExclusiveTokens.put(lock.resource(), lock.fencingToken());
			}
			if (this.exclusionInTime && lock.mode() == LockMode.EXCLUSIVE) {
				for (Member other : this.current.values()) {
					for (HeldLock held : other.held) {
						// a paused process believes what it believed when it stopped: fencing tokens are for that
						if (held != lock && held.isHeld() && held.resource().equals(lock.resource()) && other.running()
								&& !other.services.node().frozen()) {
							this.violations.add(this.sim.now() / Simulation.MS + " ms: " + holder + " (token "
									+ lock.fencingToken() + ") granted while " + other + " holds it (token "
									+ held.fencingToken() + ")");
						}
					}
				}
			}
		}

		/** After the heal: every member with a table has the same one. */
		void checkAgreement(String where) {
			List<LockResourceView> first = null;
			for (Member member : this.current.values()) {
				if (!member.running() || !member.service.inPrimaryComponent()) {
					continue;
				}
				List<LockResourceView> view = member.view();
				if (first == null) {
					first = view;
				}
				else {
					assertThat(view).as(where + ": table of " + member).isEqualTo(first);
				}
			}
			assertThat(first).as(where + ": a member with the table").isNotNull();
		}

		/** Each live member asks for one lock in turn and is granted it. */
		void checkEveryoneGetsATurn(String where) {
			List<CompletableFuture<HeldLock>> turns = new ArrayList<>();
			for (Member member : this.current.values()) {
				if (member.running()) {
					turns.add(member.service.lock(LockRequest.exclusive("turn")));
				}
			}
			// whoever is granted unlocks, and the next in line follows
			List<CompletableFuture<HeldLock>> waiting = new ArrayList<>(turns);
			for (int round = 0; round < turns.size() && !waiting.isEmpty(); round++) {
				this.sim.runUntil(this.sim.now() + 30 * this.run.timers.token() * Simulation.MS);
				List<CompletableFuture<HeldLock>> granted = waiting.stream().filter(CompletableFuture::isDone).toList();
				assertThat(granted).as(where + ": a turn granted").hasSize(1);
				granted.get(0).join().unlock();
				waiting.removeAll(granted);
			}
			assertThat(waiting).as(where + ": turns not granted").isEmpty();
		}

		/** One incarnation of a node's lock service and the application using it. */
		static final class Member {

			final Locks locks;

			final SimNode.Services services;

			final LockService service;

			final List<HeldLock> held = new ArrayList<>();

			Member(Locks locks, SimNode.Services services) {
				this.locks = locks;
				this.services = services;
				this.service = new LockService(services.replicaHost("lock service"), new DirectExecutorService());
			}

			boolean running() {
				return this.services.node().alive() && this.services.node().incarnation() == this.services.incarnation();
			}

			/** The application's next move, a little later. */
			void next() {
				long delay = 20 + this.locks.random.nextInt(300);
				this.services.schedule().apply(delay, this::act);
			}

			private void act() {
				if (!this.locks.workload || !running()) {
					return;
				}
				String resource = RESOURCES[this.locks.random.nextInt(RESOURCES.length)];
				LockRequest request = (this.locks.random.nextInt(5) == 0) ? LockRequest.shared(resource)
						: LockRequest.exclusive(resource);
				request = request.withGrace(this.locks.grace);
				int kind = this.locks.random.nextInt(10);
				if (kind == 0) {
					request = request.withTryOnly(true);
				}
				else if (kind < 6) {
					request = request.withTimeout(Duration.ofMillis(100 + this.locks.random.nextInt(3000)));
				}
				this.service.lock(request).whenComplete((lock, failure) -> {
					if (lock != null) {
						granted(lock);
					}
					else {
						Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
						if (!(cause instanceof LockException)) {
							this.locks.violations.add(this + ": lock failed with " + cause);
						}
					}
				});
				next();
			}

			private void granted(HeldLock lock) {
				this.held.add(lock);
				this.locks.told(this, lock);
				long hold = 5 + this.locks.random.nextInt(200);
				this.services.schedule().apply(hold, () -> {
					this.held.remove(lock);
					lock.unlock();
				});
			}

			List<LockResourceView> view() {
				CompletableFuture<List<LockResourceView>> view = this.service.resources();
				this.locks.sim.runUntil(this.locks.sim.now() + Simulation.MS);
				assertThat(view).isCompleted();
				return view.join();
			}

			@Override
			public String toString() {
				return "n" + this.services.node().nodeid + "/" + this.services.incarnation();
			}

		}

	}

	/** Runs every task at once, on the caller's thread: the simulation's own order. */
	static final class DirectExecutorService extends AbstractExecutorService {

		private boolean shutdown;

		@Override
		public void execute(Runnable command) {
			Objects.requireNonNull(command).run();
		}

		@Override
		public void shutdown() {
			this.shutdown = true;
		}

		@Override
		public List<Runnable> shutdownNow() {
			this.shutdown = true;
			return List.of();
		}

		@Override
		public boolean isShutdown() {
			return this.shutdown;
		}

		@Override
		public boolean isTerminated() {
			return this.shutdown;
		}

		@Override
		public boolean awaitTermination(long timeout, TimeUnit unit) {
			return true;
		}

	}

}
