package io.corosync4j.engine.message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.RoundTrips;
import io.corosync4j.engine.message.MessageOperation.Ack;
import io.corosync4j.engine.message.MessageOperation.Close;
import io.corosync4j.engine.message.MessageOperation.CreateGroup;
import io.corosync4j.engine.message.MessageOperation.DeleteGroup;
import io.corosync4j.engine.message.MessageOperation.Open;
import io.corosync4j.engine.message.MessageOperation.Reply;
import io.corosync4j.engine.message.MessageOperation.Retire;
import io.corosync4j.engine.message.MessageOperation.Send;
import io.corosync4j.engine.message.MessageOperation.Synchronize;
import io.corosync4j.engine.replica.Member;

/**
 * The message service's operations ({@link MessageCodec#decode}) and the state a joining member reads
 * ({@link MessageState#readSnapshot}): an operation or a state, or a refusal ({@code null},
 * {@code IOException}) for bytes that are not one; whatever is accepted must encode back to the same
 * bytes.
 */
public final class MessageFuzzTargets {

	/** The longest name, 256 bytes: 128 two-byte characters. */
	private static final String LONGEST_NAME = "ü".repeat(MessageService.MAX_NAME_BYTES / 2);

	private MessageFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		return List.of(
				FuzzTarget.of("msg", "MessageCodec.decode(byte[]): a message operation that encodes back, or null",
						operations(),
						(input) -> RoundTrips.decodes(input, MessageCodec::decode, MessageCodec::encode)),
				FuzzTarget.of("msg-state",
						"MessageState.readSnapshot(DataInput): a message state that writes back, or IOException",
						List.of(snapshot()),
						(input) -> RoundTrips.reads(new MessageStateTests.Replica().state, input)));
	}

	/** One encoded operation of every type, with edge values: the longest and unicode names, every policy and priority. */
	static List<byte[]> operations() {
		int[] most = { Integer.MAX_VALUE, 0, 1, Integer.MAX_VALUE };
		long[] mostBytes = { Long.MAX_VALUE, 0, 1L << 20, 1 };
		QueueAttributes edges = new QueueAttributes(true, Long.MAX_VALUE, most, mostBytes, 65_536);
		List<MessageOperation> operations = List.of(new CreateGroup(1, "group", GroupPolicy.ROUND_ROBIN),
				new CreateGroup(2, "名前 ✓", GroupPolicy.LOCAL_ROUND_ROBIN),
				new CreateGroup(3, LONGEST_NAME, GroupPolicy.LOCAL_BEST_QUEUE),
				new CreateGroup(Long.MAX_VALUE, "g", GroupPolicy.BROADCAST), new DeleteGroup(-1, "group"),
				new Open(4, "queue", QueueAttributes.transientQueue(), ""),
				new Open(5, LONGEST_NAME, edges, LONGEST_NAME),
				new Open(6, "q", QueueAttributes.persistentQueue(Duration.ZERO).withPrefetch(1), "group"),
				new Close(Long.MIN_VALUE, "queue"),
				new Send(7, "queue", false, 0, 0, new byte[0]),
				new Send(8, "group", true, QueueAttributes.PRIORITIES - 1,
						MessageOperation.WAIT_FOR_ACK | MessageOperation.WANTS_REPLY,
						new byte[] { 0, (byte) 0xff, 0x7f, (byte) 0x80 }),
				new Send(9, "\uD83D\uDE00", false, 1, MessageOperation.WANTS_REPLY, new byte[1000]),
				new Ack(10, "queue", Long.MAX_VALUE), new Ack(11, "queue", -1),
				new Reply(12, "queue", 0, new byte[0]), new Reply(13, LONGEST_NAME, 42, bytes("answer")),
				new Retire(0, "queue", Long.MIN_VALUE), new Synchronize(0), new Synchronize(-1));
		return operations.stream().map(MessageCodec::encode).toList();
	}

	/**
	 * A state with groups of every policy, queues with and without a consumer or a group, messages at
	 * every priority (flags, moved, empty payloads), a unicode and a longest name.
	 */
	static byte[] snapshot() {
		Member a = MessageStateTests.A;
		Member b = MessageStateTests.B;
		MessageStateTests.Replica replica = new MessageStateTests.Replica();
		replica.ok(a, new CreateGroup(1, "group", GroupPolicy.ROUND_ROBIN));
		replica.ok(a, new CreateGroup(2, LONGEST_NAME, GroupPolicy.BROADCAST));
		replica.ok(a, new Open(3, "queue", QueueAttributes.transientQueue(), "group"));
		replica.ok(b, new Open(4, "名前 ✓", QueueAttributes.persistentQueue(Duration.ofMinutes(1)).withPrefetch(1), ""));
		replica.ok(b, new Open(5, LONGEST_NAME, QueueAttributes.persistentQueue(Duration.ZERO), LONGEST_NAME));
		replica.ok(b, new Close(6, LONGEST_NAME));
		for (int priority = 0; priority < QueueAttributes.PRIORITIES; priority++) {
			replica.ok(a, new Send(10 + priority, "queue", false, priority, priority, bytes("payload " + priority)));
		}
		replica.ok(b, new Send(20, "group", true, 0, MessageOperation.WAIT_FOR_ACK, new byte[0]));
		replica.ok(a, new Send(21, LONGEST_NAME, false, 3, 0, new byte[] { 0, (byte) 0xff }));
		return RoundTrips.snapshot(replica.state);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
