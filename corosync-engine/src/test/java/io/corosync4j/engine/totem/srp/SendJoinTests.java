package io.corosync4j.engine.totem.srp;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.corosync4j.engine.totem.wire.MembJoin;
import io.corosync4j.engine.totem.wire.TotemMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code totem.send_join}: Corosync sleeps a random time of up to that many milliseconds before each
 * join it sends, which also holds back everything after it. The protocol defers the join on a timer
 * instead; the joins must still leave in the order they were made, and the leave must leave at all.
 */
class SendJoinTests {

	private static final long MS = 1_000_000L;

	private final List<TotemMessage> sent = new ArrayList<>();

	private final Map<SrpTimer, Long> due = new EnumMap<>(SrpTimer.class);

	private long now;

	@Test
	void joinsLeaveInTheOrderTheyWereMade() {
		for (long seed = 1; seed <= 50; seed++) {
			this.sent.clear();
			this.due.clear();
			this.now = 0;
			TotemSrp srp = node(seed);
			srp.start(this.now);
			// node 2's join arrives 1 ms later: node 1 answers with a join that has both
			this.now = MS;
			srp.onMessage(new MembJoin(2, 0, 2, List.of(1L, 2L), List.of(), 0), this.now);
			while (this.due.containsKey(SrpTimer.SEND_JOIN)) {
				this.now = Math.max(this.now, this.due.remove(SrpTimer.SEND_JOIN));
				srp.onTimer(SrpTimer.SEND_JOIN, this.now);
			}
			List<List<Long>> joins = this.sent.stream()
				.filter((message) -> message instanceof MembJoin)
				.map((message) -> ((MembJoin) message).procList())
				.toList();
			assertThat(joins).as("seed %d", seed).containsExactly(List.of(1L), List.of(1L, 2L));
		}
	}

	@Test
	void theLeaveIsSentAtOnceAndNothingAfterIt() {
		TotemSrp srp = node(7);
		srp.start(this.now);
		assertThat(this.sent).as("the first join waits").isEmpty();
		this.now = MS;
		srp.leave(this.now);
		assertThat(this.sent).singleElement().isInstanceOfSatisfying(MembJoin.class, (leave) -> {
			assertThat(leave.nodeid()).isZero();
			assertThat(leave.procList()).doesNotContain(1L);
			assertThat(leave.failedList()).contains(1L);
		});
		assertThat(this.due).isEmpty();
	}

	private TotemSrp node(long seed) {
		SrpSettings settings = new SrpSettings(1, Simulation.timers(3, 1000, 80), false, 100);
		return new TotemSrp(settings, new TotemNetwork() {

			@Override
			public void multicast(TotemMessage message) {
				SendJoinTests.this.sent.add(message);
			}

			@Override
			public void sendToken(long targetNodeid, TotemMessage token) {
				SendJoinTests.this.sent.add(token);
			}

		}, new Scheduler() {

			@Override
			public void schedule(SrpTimer timer, long delayNanos) {
				SendJoinTests.this.due.put(timer, SendJoinTests.this.now + delayNanos);
			}

			@Override
			public void cancel(SrpTimer timer) {
				SendJoinTests.this.due.remove(timer);
			}

		}, new TotemListener() {

			@Override
			public void deliver(long nodeid, byte[] payload, boolean bigEndian) {
			}

			@Override
			public void configurationChange(ConfigurationChange change) {
			}

		}, new MemoryRingIdStore(), new SplittableRandom(seed));
	}

}
