package io.corosync4j.spring.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.sam.Sam;
import io.corosync4j.engine.sam.SamClock;
import io.corosync4j.engine.sam.SamComponent;
import io.corosync4j.engine.sam.SamOptions;
import io.corosync4j.engine.sam.SamPolicy;
import io.corosync4j.engine.sam.SamState;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/** A warned component is still serving: UP with its state, so the health endpoint keeps answering 200. */
class SamComponentHealthIndicatorTests {

	@Test
	void aWarnedComponentIsUpAndSaysSoAndAFailedOneIsDown() {
		HandClock clock = new HandClock();
		try (Sam sam = new Sam(clock, () -> true, (Cmap) null)) {
			SamComponent component = sam.register("ledger", SamOptions.of(Duration.ofSeconds(1), SamPolicy.QUIT),
					new SamComponent.Recovery() {

						@Override
						public void restart(int newInstanceId) {
						}

						@Override
						public void quit() {
						}

					});
			component.start().toCompletableFuture().join();
			SamComponentHealthIndicator indicator = new SamComponentHealthIndicator(component);
			assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);

			clock.advance(1_000);
			assertThat(component.status().state()).isEqualTo(SamState.WARNED);
			Health warned = indicator.health(true);
			assertThat(warned.getStatus()).isEqualTo(Status.UP);
			assertThat(warned.getDetails()).containsEntry("state", SamState.WARNED);

			component.hcSend();
			clock.advance(1_000);
			clock.advance(1_000);
			assertThat(component.status().state()).isEqualTo(SamState.FAILED);
			assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
		}
	}

	/** Timers run only when the test moves time on. */
	private static final class HandClock implements SamClock {

		private record Timer(long due, Runnable task, boolean[] cancelled) {
		}

		private final List<Timer> timers = new ArrayList<>();

		private long now = 1_000_000;

		@Override
		public synchronized long currentTimeMillis() {
			return this.now;
		}

		@Override
		public synchronized Runnable schedule(long delayMillis, Runnable task) {
			boolean[] cancelled = new boolean[1];
			this.timers.add(new Timer(this.now + delayMillis, task, cancelled));
			return () -> cancelled[0] = true;
		}

		void advance(long millis) {
			long until;
			synchronized (this) {
				until = this.now + millis;
			}
			while (true) {
				Timer next;
				synchronized (this) {
					next = this.timers.stream().filter((timer) -> timer.due() <= until)
						.min((a, b) -> Long.compare(a.due(), b.due())).orElse(null);
					if (next == null) {
						this.now = until;
						return;
					}
					this.timers.remove(next);
					this.now = next.due();
				}
				if (!next.cancelled()[0]) {
					next.task().run();
				}
			}
		}

	}

}
