package io.corosync4j.engine.event;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import io.corosync4j.engine.event.EventOperation.ClearRetention;
import io.corosync4j.engine.event.EventOperation.Close;
import io.corosync4j.engine.event.EventOperation.Expire;
import io.corosync4j.engine.event.EventOperation.Open;
import io.corosync4j.engine.event.EventOperation.Publish;
import io.corosync4j.engine.event.EventOperation.Subscribe;
import io.corosync4j.engine.event.EventOperation.Unlink;
import io.corosync4j.engine.event.EventOperation.Unsubscribe;
import io.corosync4j.engine.event.EventState.Outcome;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaView;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event state machine driven by hand in one agreed order: AIS open and access rules, filter i
 * against pattern i, retained events for later subscriptions, retention as operations, unlink, members
 * leaving, limits; then random runs in which two replicas fed the same operations (one through a
 * snapshot half way) end equal and deliver the same.
 */
class EventStateTests {

	private static final Member A = new Member(1, 101);

	private static final Member B = new Member(2, 202);

	private static final int ALL = ChannelFlag.bits(Set.of(ChannelFlag.CREATE, ChannelFlag.PUBLISH, ChannelFlag.SUBSCRIBE));

	private final Replica replica = new Replica(A);

	private long request;

	@Test
	void openCreatesOnlyWithCreateAndFlagsGovernAccess() {
		assertThat(apply(A, new Open(++this.request, 1, "alarms", ChannelFlag.bits(Set.of(ChannelFlag.PUBLISH))))
			.error()).isEqualTo(EventError.NOT_FOUND);
		long channel = open(A, 1, "alarms", ChannelFlag.bits(Set.of(ChannelFlag.CREATE, ChannelFlag.SUBSCRIBE)));
		assertThat(apply(A, new Open(++this.request, 1, "alarms", ALL)).error()).as("the same handle twice")
			.isEqualTo(EventError.INVALID);
		assertThat(publish(A, channel, 1, 0, "x").error()).as("not opened to publish").isEqualTo(EventError.INVALID);
		long other = open(B, 7, "alarms", ChannelFlag.bits(Set.of(ChannelFlag.PUBLISH)));
		assertThat(other).isEqualTo(channel);
		assertThat(apply(B, new Subscribe(++this.request, channel, 7, 1, List.of())).error())
			.isEqualTo(EventError.INVALID);
		assertThat(publish(B, channel, 9, 0, "x").error()).as("B has no handle 9").isEqualTo(EventError.CLOSED);
		assertThat(this.replica.state.channels()).singleElement()
			.satisfies((status) -> assertThat(status.openers()).isEqualTo(2));
	}

	@Test
	void filterIAppliesToPatternIAndMissingPatternsPassOnlyPassAll() {
		List<EventFilter> filters = List.of(EventFilter.prefix(b("net")), EventFilter.suffix(b("err")),
				EventFilter.passAll());
		assertThat(EventFilter.matchesAll(filters, List.of(b("net0"), b("link-err")))).isTrue();
		assertThat(EventFilter.matchesAll(filters, List.of(b("link-err"), b("net0")))).as("order matters").isFalse();
		assertThat(EventFilter.matchesAll(filters, List.of(b("net0")))).as("pattern 1 missing").isFalse();
		assertThat(EventFilter.matchesAll(List.of(EventFilter.passAll(), EventFilter.passAll()), List.of())).isTrue();
		assertThat(EventFilter.matchesAll(List.of(EventFilter.exact(b("a"))), List.of(b("a"), b("extra")))).isTrue();
		assertThat(EventFilter.matchesAll(List.of(EventFilter.exact(b("a"))), List.of(b("ab")))).isFalse();
		assertThat(EventFilter.matchesAll(List.of(EventFilter.prefix(b(""))), List.of(b("")))).isTrue();
		assertThat(EventFilter.matchesAll(List.of(), List.of())).isTrue();
	}

	@Test
	void subscribersGetMatchingEventsInOrderAndRetainedOnesFirst() {
		long channel = open(A, 1, "c", ALL);
		long first = publish(A, channel, 1, 10_000, "a1").event();
		publish(A, channel, 1, 0, "b-not-retained");
		long third = publish(A, channel, 1, 10_000, "b2").event();
		subscribe(A, channel, 1, 5, List.of(EventFilter.prefix(b("a"))));
		subscribe(A, channel, 1, 6, List.of());
		assertThat(this.replica.delivered).containsExactly("1/5:" + first, "1/6:" + first, "1/6:" + third);
		this.replica.delivered.clear();
		long fourth = publish(A, channel, 1, 0, "a4").event();
		publish(A, channel, 1, 0, "c5");
		assertThat(this.replica.delivered.subList(0, 3)).containsExactly("1/5:" + fourth, "1/6:" + fourth,
				"1/6:" + (fourth + 1));
		assertThat(apply(A, new Subscribe(++this.request, channel, 1, 5, List.of())).error()).isEqualTo(EventError.EXISTS);
		assertThat(apply(A, new Unsubscribe(++this.request, channel, 1, 5)).error()).isNull();
		assertThat(apply(A, new Unsubscribe(++this.request, channel, 1, 5)).error()).isEqualTo(EventError.NOT_FOUND);
		this.replica.delivered.clear();
		publish(A, channel, 1, 0, "a6");
		assertThat(this.replica.delivered).singleElement().asString().startsWith("1/6:");
	}

	@Test
	void onlyThisMembersSubscriptionsAreDeliveredHere() {
		long channel = open(A, 1, "c", ALL);
		open(B, 2, "c", ALL);
		subscribe(B, channel, 2, 1, List.of());
		this.replica.self = A;
		publish(A, channel, 1, 0, "x");
		assertThat(this.replica.delivered).isEmpty();
	}

	@Test
	void retentionEndsByExpireOrClearAndUnlinkedChannelsGoAtTheLastClose() {
		long channel = open(A, 1, "c", ALL);
		long kept = publish(A, channel, 1, 1_000, "x").event();
		long other = publish(A, channel, 1, 5_000, "y").event();
		assertThat(this.replica.state.nextExpiration()).isEqualTo(1_000);
		apply(A, new Expire(0, 999));
		assertThat(this.replica.state.retained()).containsExactly(kept, other);
		apply(A, new Expire(0, 1_000));
		assertThat(this.replica.state.retained()).containsExactly(other);
		assertThat(apply(A, new ClearRetention(++this.request, channel, 1, kept)).error()).isEqualTo(EventError.NOT_FOUND);
		assertThat(apply(A, new ClearRetention(++this.request, channel, 1, other)).error()).isNull();
		assertThat(this.replica.state.retained()).isEmpty();
		assertThat(this.replica.state.nextExpiration()).isEqualTo(EventState.NEVER);

		publish(A, channel, 1, Long.MAX_VALUE, "forever");
		assertThat(apply(A, new Unlink(++this.request, "c")).error()).isNull();
		assertThat(apply(A, new Unlink(++this.request, "c")).error()).isEqualTo(EventError.NOT_FOUND);
		long fresh = open(A, 2, "c", ALL);
		assertThat(fresh).as("the name is free at once").isNotEqualTo(channel);
		assertThat(this.replica.state.channels()).extracting(ChannelStatus::unlinked).containsExactly(false, true);
		assertThat(apply(A, new Close(++this.request, channel, 1)).error()).isNull();
		assertThat(this.replica.state.channels()).singleElement()
			.satisfies((status) -> assertThat(status.unlinked()).isFalse());
		assertThat(this.replica.state.retained()).as("the unlinked channel's retained events went with it").isEmpty();
	}

	@Test
	void aMemberThatLeavesTakesItsHandlesAndSubscriptions() {
		long channel = open(A, 1, "c", ALL);
		open(B, 2, "c", ALL);
		subscribe(B, channel, 2, 1, List.of());
		apply(A, new Unlink(++this.request, "c"));
		this.replica.state.membersChanged(List.of(A), List.of(B), Set.of(B));
		assertThat(this.replica.state.channels()).singleElement()
			.satisfies((status) -> assertThat(status.subscriptions()).isZero());
		this.replica.state.memberDropped(A);
		assertThat(this.replica.state.channels()).isEmpty();
	}

	@Test
	void limitsAreRefusedNamingTheLimit() {
		long channel = open(A, 1, "c", ALL);
		Outcome big = apply(A, new Publish(++this.request, channel, 1, List.of(), 0, 1_000, "", 0,
				new byte[(int) (EventService.MAX_RETAINED_BYTES / 2)]));
		assertThat(big.error()).isNull();
		Outcome over = apply(A, new Publish(++this.request, channel, 1, List.of(), 0, 1_000, "", 0,
				new byte[(int) (EventService.MAX_RETAINED_BYTES / 2) + 1]));
		assertThat(over.error()).isEqualTo(EventError.NO_SPACE);
		assertThat(over.detail()).contains("bytes of events");
		assertThat(apply(A, new Publish(++this.request, channel, 1, List.of(), 0, 0, "", 0, new byte[10])).error())
			.as("not retained: no room needed").isNull();
		for (int i = 1; i < EventService.MAX_CHANNELS; i++) {
			open(A, 100 + i, "c" + i, ALL);
		}
		Outcome full = apply(A, new Open(++this.request, 99, "one-more", ALL));
		assertThat(full.error()).isEqualTo(EventError.NO_SPACE);
		assertThat(full.detail()).contains("channels");
	}

	@Test
	void aFreshStartNeverReusesEventIds() {
		long channel = open(A, 1, "c", ALL);
		long id = publish(A, channel, 1, 0, "x").event();
		long floor = this.replica.state.floor();
		this.replica.state.lost();
		assertThat(this.replica.state.floor()).isEqualTo(floor);
		this.replica.state.startFresh(floor);
		long again = open(A, 1, "c", ALL);
		assertThat(publish(A, again, 1, 0, "y").event()).isGreaterThan(id);
	}

	@Test
	void replicasFedTheSameOperationsAgreeThroughSnapshots() throws IOException {
		for (long seed = 1; seed <= 30; seed++) {
			SplittableRandom random = new SplittableRandom(seed);
			Replica one = new Replica(A);
			Replica two = new Replica(A);
			List<byte[]> operations = new ArrayList<>();
			long[] channels = new long[4];
			for (int i = 0; i < 300; i++) {
				Member from = random.nextBoolean() ? A : B;
				long handle = random.nextInt(3) + 1;
				int c = random.nextInt(channels.length);
				EventOperation operation = switch (random.nextInt(9)) {
					case 0, 1 -> new Open(++this.request, handle + 10L * c, "ch" + c, random.nextInt(8));
					case 2 -> new Close(++this.request, random.nextInt(6), handle + 10L * c);
					case 3 -> new Unlink(++this.request, "ch" + c);
					case 4 -> new Subscribe(++this.request, random.nextInt(6), handle + 10L * c, random.nextInt(3),
							randomFilters(random));
					case 5 -> new Unsubscribe(++this.request, random.nextInt(6), handle + 10L * c, random.nextInt(3));
					case 6 -> new Expire(0, i * 10L);
					case 7 -> new ClearRetention(++this.request, random.nextInt(6), handle + 10L * c, random.nextInt(40));
					default -> new Publish(++this.request, random.nextInt(6), handle + 10L * c, randomPatterns(random),
							random.nextInt(4), random.nextInt(3) * 500L, "p", i * 10L, b("data" + i));
				};
				byte[] encoded = EventCodec.encode(operation);
				operations.add(encoded);
				one.state.apply(from, encoded);
				if (i == 150) {
					ByteArrayOutputStream bytes = new ByteArrayOutputStream();
					one.state.writeSnapshot(new DataOutputStream(bytes));
					two.state.readSnapshot(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
					assertThat(two.state.dump()).isEqualTo(one.state.dump());
				}
				else if (i > 150) {
					two.state.apply(from, encoded);
				}
				if (i == 200) {
					one.state.membersChanged(List.of(A), List.of(B), Set.of());
					two.state.membersChanged(List.of(A), List.of(B), Set.of());
				}
			}
			assertThat(two.state.dump()).as("seed " + seed).isEqualTo(one.state.dump());
			assertThat(one.delivered.size()).isGreaterThanOrEqualTo(0);
		}
	}

	static List<byte[]> randomPatterns(SplittableRandom random) {
		List<byte[]> patterns = new ArrayList<>();
		int count = random.nextInt(3);
		for (int i = 0; i < count; i++) {
			patterns.add(b(new String[] { "a", "ab", "b", "ba", "" }[random.nextInt(5)]));
		}
		return patterns;
	}

	static List<EventFilter> randomFilters(SplittableRandom random) {
		List<EventFilter> filters = new ArrayList<>();
		int count = random.nextInt(3);
		for (int i = 0; i < count; i++) {
			byte[] pattern = b(new String[] { "a", "b", "" }[random.nextInt(3)]);
			filters.add(new EventFilter(EventFilter.Type.values()[random.nextInt(4)], pattern));
		}
		return filters;
	}

	static byte[] b(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private Outcome apply(Member from, EventOperation operation) {
		return this.replica.apply(from, operation);
	}

	private long open(Member from, long handle, String name, int flags) {
		Outcome outcome = apply(from, new Open(++this.request, handle, name, flags));
		assertThat(outcome.error()).as(outcome.detail()).isNull();
		return outcome.channel();
	}

	private Outcome publish(Member from, long channel, long handle, long retention, String pattern) {
		return apply(from, new Publish(++this.request, channel, handle, List.of(b(pattern)), 1, retention, "test", 0,
				b("data")));
	}

	private void subscribe(Member from, long channel, long handle, long id, List<EventFilter> filters) {
		Outcome outcome = apply(from, new Subscribe(++this.request, channel, handle, id, filters));
		assertThat(outcome.error()).as(outcome.detail()).isNull();
	}

	/** One member's state, fed by hand; {@code self} follows the sender so its results come back. */
	static final class Replica implements ReplicaView, EventState.Listener {

		final EventState state = new EventState(this, this);

		Member self;

		@Nullable Outcome last;

		final List<String> delivered = new ArrayList<>();

		Replica(Member self) {
			this.self = self;
		}

		Outcome apply(Member from, EventOperation operation) {
			this.self = from;
			this.last = null;
			this.state.apply(from, EventCodec.encode(operation));
			Outcome outcome = this.last;
			return (outcome != null) ? outcome : new Outcome(null, "", 0, 0, 0);
		}

		@Override
		public Member self() {
			return this.self;
		}

		@Override
		public List<Member> members() {
			return List.of(A, B);
		}

		@Override
		public boolean holdsState() {
			return true;
		}

		@Override
		public boolean settled() {
			return true;
		}

		@Override
		public boolean coordinator() {
			return this.self.equals(A);
		}

		@Override
		public boolean durable() {
			return true;
		}

		@Override
		public void applied(long request, Outcome outcome) {
			this.last = outcome;
		}

		@Override
		public void deliver(long handle, long subscription, Event event) {
			this.delivered.add(handle + "/" + subscription + ":" + event.id());
		}

		@Override
		public void settled(boolean coordinator) {
		}

		@Override
		public void lost() {
		}

	}

}
