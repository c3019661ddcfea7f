package io.corosync4j.engine.sam;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.corosync4j.engine.service.cmap.Cmap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * SAM's behaviour, scenario by scenario in the spirit of Corosync's {@code test/testsam.c}, on a
 * hand-driven clock (a 1 s interval).
 */
class SamScenarioTests {

	private final ManualClock clock = new ManualClock();

	private final AtomicBoolean quorate = new AtomicBoolean(true);

	private final Cmap cmap = new Cmap();

	private final TrackingExecutor checks = new TrackingExecutor();

	private final Sam sam = new Sam(this.clock, this.quorate::get, () -> this.cmap, this.checks);

	private final List<String> events = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.sam.close();
	}

	private SamComponent register(SamPolicy policy, SamFlag... flags) {
		return this.sam.register("app", SamOptions.of(Duration.ofSeconds(1), policy, flags), new SamComponent.Recovery() {

			@Override
			public void warn() {
				SamScenarioTests.this.events.add("warn");
			}

			@Override
			public void restart(int newInstanceId) {
				SamScenarioTests.this.events.add("restart " + newInstanceId);
			}

			@Override
			public void quit() {
				SamScenarioTests.this.events.add("quit");
			}

		});
	}

	@Test
	void heartbeatsWithinTheIntervalKeepAComponentRunning() {
		SamComponent app = register(SamPolicy.RESTART);
		assertThat(app.start().toCompletableFuture()).isCompleted();
		for (int i = 0; i < 10; i++) {
			this.clock.advance(900);
			app.hcSend();
		}
		assertThat(this.events).isEmpty();
		assertThat(app.status().state()).isEqualTo(SamState.RUNNING);
		app.stop();
		this.clock.advance(5000);
		assertThat(this.events).isEmpty();
		assertThat(app.status().state()).isEqualTo(SamState.STOPPED);
	}

	@Test
	void aSilentComponentIsWarnedThenRestartedWithTheNextInstanceId() {
		SamComponent app = register(SamPolicy.RESTART);
		app.start();
		this.clock.advance(1000);
		assertThat(this.events).containsExactly("warn");
		assertThat(app.status().state()).isEqualTo(SamState.WARNED);
		this.clock.advance(1000);
		assertThat(this.events).containsExactly("warn", "restart 2");
		assertThat(app.instanceId()).isEqualTo(2);
		assertThat(app.status().state()).isEqualTo(SamState.STOPPED);
		assertThat(app.status().failures()).isEqualTo(2);
	}

	@Test
	void aHeartbeatAfterTheWarningDoesNotUndoIt() {
		// as in Corosync: the warned flag is only reset by a new instance
		SamComponent app = register(SamPolicy.RESTART);
		app.start();
		this.clock.advance(1000);
		app.hcSend();
		this.clock.advance(1000);
		assertThat(this.events).containsExactly("warn", "restart 2");
	}

	@Test
	void instancesCountUpAndStoredDataSurvivesRestarts() {
		SamComponent app = register(SamPolicy.RESTART);
		for (int instance = 1; instance <= 3; instance++) {
			assertThat(app.instanceId()).isEqualTo(instance);
			String before = new String(app.dataRestore(), StandardCharsets.UTF_8);
			assertThat(before).isEqualTo((instance == 1) ? "" : "written by " + (instance - 1));
			app.dataStore(("written by " + instance).getBytes(StandardCharsets.UTF_8));
			app.start();
			this.clock.advance(2000);
		}
		assertThat(this.events).containsExactly("warn", "restart 2", "warn", "restart 3", "warn", "restart 4");
	}

	@Test
	void quitPolicyFailsTheComponentForGood() {
		SamComponent app = register(SamPolicy.QUIT);
		app.start();
		this.clock.advance(2000);
		assertThat(this.events).containsExactly("warn", "quit");
		assertThat(app.status().state()).isEqualTo(SamState.FAILED);
		assertThat(app.start().toCompletableFuture()).isCompletedExceptionally();
	}

	@Test
	void anEventDrivenCheckThatHangsIsRecovered() throws Exception {
		SamComponent app = register(SamPolicy.RESTART);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean hang = new AtomicBoolean(false);
		app.healthCheck(() -> {
			if (hang.get()) {
				release.await();
			}
			return true;
		});
		app.start();
		for (int i = 0; i < 6; i++) {
			this.clock.advance(500);
			this.checks.awaitIdle(0);
		}
		assertThat(this.events).isEmpty();
		hang.set(true);
		this.clock.advance(500);
		this.checks.awaitIdle(1);
		this.clock.advance(2000);
		assertThat(this.events).containsExactly("warn", "restart 2");
		release.countDown();
	}

	@Test
	void anEventDrivenCheckReturningFalseIsAFailure() throws Exception {
		SamComponent app = register(SamPolicy.QUIT);
		app.healthCheck(() -> false);
		app.start();
		for (int i = 0; i < 4; i++) {
			this.clock.advance(500);
			this.checks.awaitIdle(0);
		}
		assertThat(this.events).containsExactly("warn", "quit");
		assertThat(app.status().lastFailure()).isEqualTo("health check returned false");
	}

	@Test
	void withQuorumStartWaitsForQuorumAndLosingItIsAFailure() {
		this.quorate.set(false);
		SamComponent app = register(SamPolicy.RESTART, SamFlag.QUORUM);
		var started = app.start().toCompletableFuture();
		assertThat(started).isNotDone();
		assertThat(app.status().state()).isEqualTo(SamState.WAITING_FOR_QUORUM);
		this.quorate.set(true);
		this.sam.quorumChanged();
		assertThat(started).isCompleted();
		app.hcSend();
		this.quorate.set(false);
		this.sam.quorumChanged();
		assertThat(this.events).containsExactly("warn");
		assertThat(app.status().lastFailure()).isEqualTo("quorum lost");
		this.clock.advance(1000);
		assertThat(this.events).containsExactly("warn", "restart 2");
	}

	@Test
	void theCmapFlagPublishesCorosyncsKeys() {
		SamComponent app = register(SamPolicy.RESTART, SamFlag.CMAP);
		assertThat(this.cmap.getString("resources.process.app.state")).contains("stopped");
		assertThat(this.cmap.getString("resources.process.app.recovery")).contains("restart");
		assertThat(this.cmap.getLong("resources.process.app.poll_period")).contains(1000L);
		app.start();
		this.clock.advance(400);
		app.hcSend();
		assertThat(this.cmap.getString("resources.process.app.state")).contains("running");
		assertThat(this.cmap.getLong("resources.process.app.last_updated")).contains(this.clock.currentTimeMillis());
		app.markFailed();
		assertThat(this.events).containsExactly("quit");
		assertThat(this.cmap.getString("resources.process.app.state")).contains("failed");
		assertThat(this.cmap.getString("resources.process.app.recovery")).contains("quit");
		app.close();
		assertThat(this.cmap.entries("resources.process.")).isEmpty();
	}

	@Test
	void namesMustFitCmapKeys() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.sam.register("my app", SamOptions.of(Duration.ofSeconds(1), SamPolicy.QUIT),
					new SamComponent.Recovery() {

						@Override
						public void restart(int newInstanceId) {
						}

						@Override
						public void quit() {
						}

					}));
	}

	/** Runs the event-driven checks on threads and knows how many are still running. */
	private static final class TrackingExecutor extends ThreadPoolExecutor {

		private final AtomicInteger running = new AtomicInteger();

		TrackingExecutor() {
			super(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new SynchronousQueue<>());
		}

		@Override
		public void execute(Runnable command) {
			this.running.incrementAndGet();
			super.execute(() -> {
				try {
					command.run();
				}
				finally {
					this.running.decrementAndGet();
				}
			});
		}

		/** Waits (bounded) until only {@code stuck} checks are still running. */
		void awaitIdle(int stuck) throws InterruptedException {
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (this.running.get() > stuck) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError(this.running.get() + " checks still running");
				}
				Thread.sleep(1);
			}
		}

	}

}
