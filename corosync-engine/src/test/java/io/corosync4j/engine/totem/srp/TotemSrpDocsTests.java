package io.corosync4j.engine.totem.srp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.docs.Repository;
import io.corosync4j.engine.totem.wire.TotemMessage;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of {@code docs/architecture.md}, run: Totem without I/O, threads or a clock, driven by hand
 * as a ring of one node until it delivers its own message.
 */
class TotemSrpDocsTests {

	@Test
	void aRingOfOneDrivenByHandFormsAndDeliversItsOwnMessage() {
		CorosyncConfig config = new CorosyncConfigReader().read(Repository.root().resolve("examples/single-node.conf"));
		// tag::core[]
		Deque<TotemMessage> wire = new ArrayDeque<>();                 // a ring of one: what it sends comes back
		Map<SrpTimer, Long> timers = new EnumMap<>(SrpTimer.class);     // each armed timer's deadline
		long[] now = { 0 };                                             // a virtual clock, in nanoseconds
		List<String> seen = new ArrayList<>();
		TotemNetwork network = new TotemNetwork() {

			@Override
			public void multicast(TotemMessage message) {
				wire.add(message);
			}

			@Override
			public void sendToken(long targetNodeid, TotemMessage token) {
				wire.add(token);
			}
		};
		Scheduler scheduler = new Scheduler() {

			@Override
			public void schedule(SrpTimer timer, long delayNanos) {
				timers.put(timer, now[0] + delayNanos);
			}

			@Override
			public void cancel(SrpTimer timer) {
				timers.remove(timer);
			}
		};
		TotemListener listener = new TotemListener() {

			@Override
			public void deliver(long nodeid, byte[] payload, boolean bigEndian) {   // in agreed order
				seen.add(nodeid + ": " + new String(payload, UTF_8));
			}

			@Override
			public void configurationChange(ConfigurationChange change) {      // transitional, then regular
				seen.add(change.type() + " " + change.members());
			}
		};
		TotemSrp srp = new TotemSrp(SrpSettings.of(config.totem(), 1), network, scheduler, listener,
				new MemoryRingIdStore(), new SplittableRandom(42));
		srp.start(now[0]);                                              // loads the ring id, gathers
		srp.mcast("hello".getBytes(UTF_8));                             // false: the queue is full, try again
		while (!seen.contains("1: hello")) {
			TotemMessage next = wire.poll();
			if (next != null) {
				srp.onMessage(next, now[0]);                            // every message received
			}
			else {                                                      // nothing to receive: the next timer expires
				SrpTimer timer = Collections.min(timers.entrySet(), Map.Entry.comparingByValue()).getKey();
				now[0] = timers.remove(timer);
				srp.onTimer(timer, now[0]);
			}
		}
		// end::core[]
		// the first ring follows no old one: its transitional configuration is empty
		assertThat(seen).containsExactly("TRANSITIONAL []", "REGULAR [1]", "1: hello");
		assertThat(srp.state()).isEqualTo(MembershipState.OPERATIONAL);
		assertThat(srp.stats().snapshot(now[0] / 1_000_000)).containsEntry("mcast_tx", 1L);
	}

}
