package io.corosync4j.engine.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.corosync4j.engine.event.EventOperation.Barrier;
import io.corosync4j.engine.event.EventOperation.ClearRetention;
import io.corosync4j.engine.event.EventOperation.Close;
import io.corosync4j.engine.event.EventOperation.Expire;
import io.corosync4j.engine.event.EventOperation.Open;
import io.corosync4j.engine.event.EventOperation.Publish;
import io.corosync4j.engine.event.EventOperation.Subscribe;
import io.corosync4j.engine.event.EventOperation.Unlink;
import io.corosync4j.engine.event.EventOperation.Unsubscribe;
import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.RoundTrips;
import io.corosync4j.engine.replica.Member;

/**
 * The event service's operations ({@link EventCodec#decode}) and the state a joining member reads
 * ({@link EventState#readSnapshot}): an operation or a state, or a refusal ({@code null},
 * {@code IOException}) for bytes that are not one; whatever is accepted must encode back to the same
 * bytes.
 */
public final class EventFuzzTargets {

	/** The longest name, 256 bytes: 64 four-byte characters. */
	private static final String LONGEST_NAME = "\uD83D\uDE00".repeat(EventService.MAX_NAME_BYTES / 4);

	private EventFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		return List.of(
				FuzzTarget.of("evt", "EventCodec.decode(byte[]): an event operation that encodes back, or null",
						operations(),
						(input) -> RoundTrips.decodes(input, EventCodec::decode, EventCodec::encode)),
				FuzzTarget.of("evt-state",
						"EventState.readSnapshot(DataInput): an event state that writes back, or IOException",
						List.of(snapshot()),
						(input) -> RoundTrips.reads(new EventStateTests.Replica(new Member(1, 101)).state, input)));
	}

	/** One encoded operation of every type, with edge values: the longest, empty and unicode names, every filter. */
	static List<byte[]> operations() {
		List<EventOperation> operations = List.of(new Open(1, 7, "orders", ChannelFlag.ALL),
				new Open(Long.MAX_VALUE, -1, LONGEST_NAME, 0), new Close(0, Long.MIN_VALUE, Long.MAX_VALUE),
				new Unlink(-1, "名前 ✓"),
				new Publish(2, 1, 7, List.of(bytes("topic"), new byte[0], new byte[EventService.MAX_PATTERN_BYTES]),
						EventPublication.HIGHEST, Long.MAX_VALUE, LONGEST_NAME, Long.MIN_VALUE,
						new byte[] { 0, (byte) 0xff, 0x7f, (byte) 0x80 }),
				new Publish(3, 1, 7, List.of(), EventPublication.LOWEST, 0, "", 0, new byte[0]),
				new Subscribe(4, 1, 7, Long.MAX_VALUE, List.of(EventFilter.prefix(bytes("or")), EventFilter.passAll(),
						EventFilter.suffix(bytes("s")), EventFilter.exact(new byte[0]))),
				new Subscribe(5, 1, 7, -1, List.of()), new Unsubscribe(6, 1, 7, 0), new ClearRetention(7, 1, 7, -5),
				new Expire(0, Long.MIN_VALUE), new Expire(0, 1_700_000_000_000L), new Barrier(0),
				new Barrier(Long.MIN_VALUE));
		return operations.stream().map(EventCodec::encode).toList();
	}

	/**
	 * A state with a channel of openers, subscriptions and retained events (expiring and kept for ever),
	 * an unlinked one still open, a unicode and a longest name.
	 */
	static byte[] snapshot() {
		Member a = new Member(1, 101);
		Member b = new Member(0xffff_ffffL, Long.MAX_VALUE);
		EventStateTests.Replica replica = new EventStateTests.Replica(a);
		long orders = ok(replica.apply(a, new Open(1, 7, "orders", ChannelFlag.ALL))).channel();
		ok(replica.apply(b, new Open(2, -3, "orders", 0b010)));
		ok(replica.apply(a, new Subscribe(3, orders, 7, 1, List.of(EventFilter.prefix(bytes("or")),
				EventFilter.passAll(), EventFilter.suffix(bytes("s")), EventFilter.exact(new byte[0])))));
		ok(replica.apply(a, new Subscribe(4, orders, 7, 2, List.of())));
		ok(replica.apply(a, new Publish(5, orders, 7, List.of(bytes("orders"), new byte[0]), EventPublication.HIGHEST,
				60_000, "publisher ✓", 1_700_000_000_000L, new byte[] { 1, 2, 3 })));
		ok(replica.apply(b, new Publish(6, orders, -3, List.of(), EventPublication.LOWEST, Long.MAX_VALUE, "",
				0, new byte[0])));
		ok(replica.apply(a, new Publish(7, orders, 7, List.of(), 2, 0, "not retained", 0, new byte[1])));
		long gone = ok(replica.apply(b, new Open(8, 9, LONGEST_NAME, 0b101))).channel();
		ok(replica.apply(b, new Unlink(9, LONGEST_NAME)));
		ok(replica.apply(b, new Subscribe(10, gone, 9, Long.MIN_VALUE, List.of(EventFilter.passAll()))));
		ok(replica.apply(a, new Open(11, 8, "名前", 0b001)));
		return RoundTrips.snapshot(replica.state);
	}

	private static EventState.Outcome ok(EventState.Outcome outcome) {
		if (outcome.error() != null) {
			throw new IllegalStateException("a seed operation failed: " + outcome.detail());
		}
		return outcome;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
