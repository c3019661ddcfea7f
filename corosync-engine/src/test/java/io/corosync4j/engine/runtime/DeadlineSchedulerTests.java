package io.corosync4j.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

import io.corosync4j.engine.totem.srp.SrpTimer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DeadlineScheduler} on a virtual loop: timers fire at their last deadline, once, never after a
 * cancel, and re-arming does not schedule loop tasks.
 */
class DeadlineSchedulerTests {

	private final VirtualLoop loop = new VirtualLoop();

	private final List<String> fired = new ArrayList<>();

	private final DeadlineScheduler scheduler = new DeadlineScheduler(this.loop, () -> this.loop.now,
			(timer, now) -> this.fired.add(timer + "@" + now));

	@Test
	void firesOnceAtTheDeadline() {
		this.scheduler.schedule(SrpTimer.TOKEN_LOSS, 1000);
		this.loop.advanceTo(999);
		assertThat(this.fired).isEmpty();
		this.loop.advanceTo(5000);
		assertThat(this.fired).containsExactly("TOKEN_LOSS@1000");
		assertThat(this.loop.scheduled).isEqualTo(1);
	}

	@Test
	void reArmingMovesTheDeadlineWithoutNewLoopTasks() {
		this.scheduler.schedule(SrpTimer.TOKEN_LOSS, 1000);
		for (int t = 10; t <= 900; t += 10) {
			this.loop.advanceTo(t);
			this.scheduler.schedule(SrpTimer.TOKEN_LOSS, 1000);
		}
		assertThat(this.loop.scheduled).isEqualTo(1);
		this.loop.advanceTo(1899);
		assertThat(this.fired).isEmpty();
		this.loop.advanceTo(1900);
		assertThat(this.fired).containsExactly("TOKEN_LOSS@1900");
		// one sleep for the first deadline, one more after it found the deadline moved
		assertThat(this.loop.scheduled).isEqualTo(2);
	}

	@Test
	void aCancelledTimerNeverFires() {
		this.scheduler.schedule(SrpTimer.TOKEN_RETRANSMIT, 100);
		this.scheduler.cancel(SrpTimer.TOKEN_RETRANSMIT);
		this.loop.advanceTo(10_000);
		assertThat(this.fired).isEmpty();
	}

	@Test
	void aDeadlineMovedEarlierFiresEarly() {
		this.scheduler.schedule(SrpTimer.CONSENSUS, 5000);
		this.scheduler.schedule(SrpTimer.CONSENSUS, 200);
		this.loop.advanceTo(10_000);
		assertThat(this.fired).containsExactly("CONSENSUS@200");
		assertThat(this.loop.cancelled).isEqualTo(1);
	}

	@Test
	void cancelThenRescheduleFiresAtTheNewDeadlineOnly() {
		this.scheduler.schedule(SrpTimer.JOIN, 100);
		this.scheduler.cancel(SrpTimer.JOIN);
		this.loop.advanceTo(50);
		this.scheduler.schedule(SrpTimer.JOIN, 300);
		this.loop.advanceTo(10_000);
		assertThat(this.fired).containsExactly("JOIN@350");
	}

	@Test
	void timersAreIndependent() {
		this.scheduler.schedule(SrpTimer.TOKEN_LOSS, 1000);
		this.scheduler.schedule(SrpTimer.TOKEN_RETRANSMIT, 300);
		this.scheduler.schedule(SrpTimer.MERGE_DETECT, 200);
		this.scheduler.cancel(SrpTimer.MERGE_DETECT);
		this.loop.advanceTo(10_000);
		assertThat(this.fired).containsExactly("TOKEN_RETRANSMIT@300", "TOKEN_LOSS@1000");
	}

	@Test
	void aTimerReArmedByItsOwnExpiryFiresAgain() {
		List<Long> times = new ArrayList<>();
		DeadlineScheduler[] self = new DeadlineScheduler[1];
		self[0] = new DeadlineScheduler(this.loop, () -> this.loop.now, (timer, now) -> {
			times.add(now);
			if (times.size() < 3) {
				self[0].schedule(timer, 100);
			}
		});
		self[0].schedule(SrpTimer.PAUSE, 100);
		this.loop.advanceTo(10_000);
		assertThat(times).containsExactly(100L, 200L, 300L);
	}

	/** Runs tasks in due order as virtual time advances. */
	private static final class VirtualLoop implements DeadlineScheduler.Loop {

		private record Pending(long due, long order, FutureTask<?> task) {
		}

		private final List<Pending> pending = new ArrayList<>();

		long now;

		int scheduled;

		int cancelled;

		private long order;

		@Override
		public Future<?> schedule(Runnable task, long delayNanos) {
			this.scheduled++;
			FutureTask<?> future = new FutureTask<>(task, null) {
				@Override
				public boolean cancel(boolean mayInterrupt) {
					VirtualLoop.this.cancelled++;
					return super.cancel(mayInterrupt);
				}
			};
			this.pending.add(new Pending(this.now + delayNanos, this.order++, future));
			return future;
		}

		void advanceTo(long time) {
			while (true) {
				Pending next = null;
				for (Pending candidate : this.pending) {
					if (candidate.due() <= time && (next == null || candidate.due() < next.due()
							|| (candidate.due() == next.due() && candidate.order() < next.order()))) {
						next = candidate;
					}
				}
				if (next == null) {
					break;
				}
				this.pending.remove(next);
				this.now = next.due();
				next.task().run();
			}
			this.now = time;
		}

	}

}
