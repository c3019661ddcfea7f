package io.corosync4j.engine.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.corosync4j.engine.message.MessageOperation.Ack;
import io.corosync4j.engine.message.MessageOperation.Close;
import io.corosync4j.engine.message.MessageOperation.CreateGroup;
import io.corosync4j.engine.message.MessageOperation.DeleteGroup;
import io.corosync4j.engine.message.MessageOperation.Open;
import io.corosync4j.engine.message.MessageOperation.Reply;
import io.corosync4j.engine.message.MessageOperation.Retire;
import io.corosync4j.engine.message.MessageOperation.Send;
import io.corosync4j.engine.message.MessageState.Message;
import io.corosync4j.engine.message.MessageState.Outcome;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.Retention;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The message state machine on its own: targets chosen by each group policy, capacities per priority,
 * priority then send order, acknowledgements, and where a queue's messages go when its consumer leaves —
 * moved within the group, kept in a persistent queue, returned to the sender — and the snapshot.
 */
class MessageStateTests {

	static final Member A = new Member(1, 100);

	static final Member B = new Member(2, 200);

	static final Member C = new Member(3, 300);

	static final QueueAttributes TRANSIENT = QueueAttributes.transientQueue();

	static final QueueAttributes PERSISTENT = QueueAttributes.persistentQueue(Duration.ofSeconds(10));

	@Test
	void messagesAreHandedInPriorityThenSendOrder() {
		Replica r = new Replica();
		r.ok(A, new Open(1, "q", TRANSIENT, ""));
		r.send(B, "q", false, 2, "low-1");
		r.send(B, "q", false, 0, "high-1");
		r.send(C, "q", false, 2, "low-2");
		r.send(B, "q", false, 0, "high-2");
		assertThat(r.payloads(r.state.next("q", 10, Set.of()))).containsExactly("high-1", "high-2", "low-1", "low-2");
		assertThat(r.state.next("q", 2, Set.of())).hasSize(2);
	}

	@Test
	void aFullPriorityIsRefusedByName() {
		Replica r = new Replica();
		r.ok(A, new Open(1, "q", TRANSIENT.withCapacity(1, 1, 100), ""));
		r.send(B, "q", false, 1, "one");
		Outcome full = r.apply(B, new Send(9, "q", false, 1, 0, bytes("two")));
		assertThat(full.error()).isEqualTo(MessageError.QUEUE_FULL);
		assertThat(full.detail()).contains("queue 'q'").contains("priority 1");
		// another priority still has room
		r.send(B, "q", false, 2, "three");
		Outcome bytesFull = r.apply(B, new Send(9, "q", false, 1, 0, new byte[200]));
		assertThat(bytesFull.error()).isEqualTo(MessageError.QUEUE_FULL);
	}

	@Test
	void opensAreExclusiveAndCheckTheirArguments() {
		Replica r = new Replica();
		r.ok(A, new Open(1, "q", TRANSIENT, ""));
		assertThat(r.apply(B, new Open(2, "q", TRANSIENT, "")).error()).isEqualTo(MessageError.EXISTS);
		assertThat(r.apply(B, new Open(2, "p", TRANSIENT, "nope")).error()).isEqualTo(MessageError.NOT_FOUND);
		assertThat(r.apply(B, new Send(3, "nope", false, 0, 0, bytes("x"))).error()).isEqualTo(MessageError.NOT_FOUND);
		assertThat(r.apply(B, new Close(4, "q")).error()).isEqualTo(MessageError.CLOSED);
		r.ok(A, new CreateGroup(5, "g", GroupPolicy.ROUND_ROBIN));
		assertThat(r.apply(B, new CreateGroup(6, "g", GroupPolicy.BROADCAST)).error()).isEqualTo(MessageError.EXISTS);
		assertThat(r.apply(B, new Send(7, "g", true, 0, 0, bytes("x"))).error()).isEqualTo(MessageError.NOT_FOUND);
	}

	@Test
	void roundRobinTakesTheGroupsQueuesInTurn() {
		Replica r = groupOfThree(GroupPolicy.ROUND_ROBIN);
		for (int i = 0; i < 6; i++) {
			r.send(C, "g", true, 0, "m" + i);
		}
		assertThat(r.payloads(r.state.next("qa", 10, Set.of()))).containsExactly("m0", "m3");
		assertThat(r.payloads(r.state.next("qb", 10, Set.of()))).containsExactly("m1", "m4");
		assertThat(r.payloads(r.state.next("qc", 10, Set.of()))).containsExactly("m2", "m5");
	}

	@Test
	void localPoliciesPreferTheSendersNode() {
		Replica rr = groupOfThree(GroupPolicy.LOCAL_ROUND_ROBIN);
		rr.send(new Member(2, 999), "g", true, 0, "local");
		assertThat(rr.payloads(rr.state.next("qb", 10, Set.of()))).containsExactly("local");
		rr.send(new Member(9, 1), "g", true, 0, "anywhere");
		assertThat(rr.state.messageCount()).isEqualTo(2);

		Replica best = groupOfThree(GroupPolicy.LOCAL_BEST_QUEUE);
		best.send(new Member(9, 1), "g", true, 0, "x");
		// no local queue: the one with the most room, the first by name on a tie
		assertThat(best.state.next("qa", 10, Set.of())).hasSize(1);
		best.send(new Member(9, 1), "g", true, 0, "y");
		assertThat(best.state.next("qb", 10, Set.of())).hasSize(1);
		best.send(new Member(1, 5), "g", true, 0, "z");
		assertThat(best.state.next("qa", 10, Set.of())).hasSize(2);
	}

	@Test
	void broadcastCopiesToEveryQueueWithOwnIds() {
		Replica r = groupOfThree(GroupPolicy.BROADCAST);
		Outcome sent = r.apply(C, new Send(9, "g", true, 1, 0, bytes("all")));
		assertThat(sent.ids()).hasSize(3).doesNotHaveDuplicates();
		for (String q : List.of("qa", "qb", "qc")) {
			assertThat(r.payloads(r.state.next(q, 10, Set.of()))).containsExactly("all");
		}
	}

	@Test
	void acknowledgedMessagesAreGoneAndCannotBeAcknowledgedTwice() {
		Replica r = new Replica();
		r.ok(A, new Open(1, "q", TRANSIENT, ""));
		long id = r.send(B, "q", false, 0, "once");
		assertThat(r.apply(B, new Ack(2, "q", id)).error()).as("only the consumer acknowledges").isEqualTo(MessageError.CLOSED);
		r.ok(A, new Ack(3, "q", id));
		assertThat(r.acknowledged).extracting(Message::id).containsExactly(id);
		assertThat(r.apply(A, new Ack(4, "q", id)).error()).isEqualTo(MessageError.NOT_FOUND);
		assertThat(r.state.next("q", 10, Set.of())).isEmpty();
	}

	@Test
	void aReplyAcknowledgesAndAnswers() {
		Replica r = new Replica();
		r.ok(A, new Open(1, "q", TRANSIENT, ""));
		long id = r.send(B, "q", false, 0, "question", MessageOperation.WANTS_REPLY);
		r.ok(A, new Reply(2, "q", id, bytes("answer")));
		assertThat(r.replies).containsExactly("answer");
	}

	@Test
	void aLeavingConsumersMessagesMoveToTheGroupsOtherQueuesKeepingTheirIds() {
		Replica r = groupOfThree(GroupPolicy.ROUND_ROBIN);
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			ids.add(r.send(C, "g", true, 0, "m" + i));
		}
		r.state.membersChanged(List.of(A, C), List.of(B), Set.of(B));
		assertThat(r.gone).as("told at the settle").isEmpty();
		r.state.settled(true);
		assertThat(r.gone).containsExactly("qb");
		assertThat(r.state.consumer("qb")).isNull();
		assertThat(r.returned).isEmpty();
		List<Long> held = new ArrayList<>();
		for (String q : List.of("qa", "qc")) {
			List<Message> next = r.state.next(q, 10, Set.of());
			// each queue still holds its messages in send (id) order
			assertThat(next).extracting(Message::id).isSorted();
			next.forEach((m) -> held.add(m.id()));
		}
		assertThat(held).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(r.state.dump()).contains("moved");
	}

	@Test
	void aLoneTransientQueueReturnsItsMessagesAndAPersistentOneKeepsThem() {
		Replica r = new Replica();
		r.ok(A, new Open(1, "t", TRANSIENT, ""));
		r.ok(A, new Open(2, "p", PERSISTENT, ""));
		r.send(B, "t", false, 0, "back");
		long kept = r.send(B, "p", false, 0, "kept");
		r.state.membersChanged(List.of(B), List.of(A), Set.of());
		r.state.settled(true);
		assertThat(r.returned).extracting((m) -> new String(m.payload(), StandardCharsets.UTF_8)).containsExactly("back");
		assertThat(r.state.idle()).extracting(Retention::name).containsExactly("p");
		// a new consumer opens it again and finds the message
		r.ok(C, new Open(3, "p", PERSISTENT, ""));
		assertThat(r.state.next("p", 10, Set.of())).extracting(Message::id).containsExactly(kept);
		assertThat(r.state.idle()).isEmpty();
	}

	@Test
	void whatAChangeTellsIsDroppedWithAStaleState() {
		Replica r = new Replica();
		r.ok(A, new Open(1, "t", TRANSIENT, ""));
		r.send(B, "t", false, 0, "back");
		// a paused member sees everybody leave; the settle then finds its state stale
		r.state.membersChanged(List.of(B), List.of(A, C), Set.of(A, C));
		r.state.lost();
		assertThat(r.returned).isEmpty();
		assertThat(r.gone).isEmpty();
	}

	@Test
	void retentionRetiresOnlyTheGenerationItWasTimedFor() {
		Replica r = new Replica();
		r.ok(A, new Open(1, "p", PERSISTENT, ""));
		r.send(B, "p", false, 0, "old");
		r.ok(A, new Close(2, "p"));
		long generation = r.state.idle().get(0).generation();
		r.ok(C, new Open(3, "p", PERSISTENT, ""));
		r.ok(C, new Close(4, "p"));
		r.ok(A, new Retire(0, "p", generation));
		assertThat(r.state.next("p", 10, Set.of())).hasSize(1);
		r.ok(A, new Retire(0, "p", r.state.idle().get(0).generation()));
		assertThat(r.state.idle()).isEmpty();
		assertThat(r.returned).hasSize(1);
	}

	@Test
	void deletingAGroupLeavesItsQueues() {
		Replica r = groupOfThree(GroupPolicy.ROUND_ROBIN);
		r.ok(A, new DeleteGroup(9, "g"));
		assertThat(r.apply(C, new Send(10, "g", true, 0, 0, bytes("x"))).error()).isEqualTo(MessageError.NOT_FOUND);
		r.send(C, "qa", false, 0, "direct");
	}

	@Test
	void theSnapshotCarriesEverything() throws IOException {
		Replica r = groupOfThree(GroupPolicy.ROUND_ROBIN);
		r.ok(A, new Open(9, "p", PERSISTENT, ""));
		for (int i = 0; i < 5; i++) {
			r.send(C, "g", true, i % 4, "m" + i);
		}
		r.send(C, "p", false, 3, "");
		r.state.membersChanged(List.of(B, C), List.of(A), Set.of(A));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		r.state.writeSnapshot(new DataOutputStream(bytes));
		Replica copy = new Replica();
		copy.state.readSnapshot(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
		assertThat(copy.state.dump()).isEqualTo(r.state.dump());
		// and it goes on the same way
		copy.requests = r.requests;
		r.send(C, "g", true, 0, "after");
		copy.send(C, "g", true, 0, "after");
		assertThat(copy.state.dump()).isEqualTo(r.state.dump());
	}

	@Test
	void aSnapshotIsReadOnlyInTheFormItIsWritten() throws IOException {
		// found by the msg-state fuzz target: a queue's group in bytes writeUTF does not write was read
		// and written back otherwise; so were names and messages out of order, booleans other than 0 or
		// 1 and negative counts
		byte[] a = { 0, 1, 'a' };
		long[][] ordered = { { 0, 1 }, { 0, 2 }, { 1, 1 } };
		Replica r = new Replica();
		r.state.readSnapshot(snapshot(List.of("a", "b"), a, 0, 0, ordered));
		ByteArrayOutputStream written = new ByteArrayOutputStream();
		r.state.writeSnapshot(new DataOutputStream(written));
		assertThat(written.toByteArray()).isEqualTo(snapshot(List.of("a", "b"), a, 0, 0, ordered).readAllBytes());
		assertThatExceptionOfType(IOException.class).as("groups out of order")
			.isThrownBy(() -> r.state.readSnapshot(snapshot(List.of("b", "a"), a, 0, 0, ordered)));
		assertThatExceptionOfType(IOException.class).as("a group twice")
			.isThrownBy(() -> r.state.readSnapshot(snapshot(List.of("a", "a"), a, 0, 0, ordered)));
		assertThatExceptionOfType(IOException.class).as("'a' overlong")
			.isThrownBy(() -> r.state.readSnapshot(snapshot(List.of("a"), new byte[] { 0, 2, (byte) 0xc1, (byte) 0xa1 },
					0, 3, ordered)));
		assertThatExceptionOfType(IOException.class).as("a NUL of one byte")
			.isThrownBy(() -> r.state.readSnapshot(snapshot(List.of("a"), new byte[] { 0, 1, 0 }, 0, 0, ordered)));
		assertThatExceptionOfType(IOException.class).as("a consumer flag of 2")
			.isThrownBy(() -> r.state.readSnapshot(snapshot(List.of("a"), a, 2, 0, ordered)));
		assertThatExceptionOfType(IOException.class).as("messages out of order")
			.isThrownBy(() -> r.state.readSnapshot(snapshot(List.of("a"), a, 0, 0, new long[][] { { 0, 2 }, { 0, 1 } })));
		assertThatExceptionOfType(IOException.class).as("priorities out of order")
			.isThrownBy(() -> r.state.readSnapshot(snapshot(List.of("a"), a, 0, 0, new long[][] { { 1, 1 }, { 0, 2 } })));
		assertThatExceptionOfType(IOException.class).as("a negative count")
			.isThrownBy(() -> r.state.readSnapshot(snapshot(List.of("a"), a, 0, 0, new long[][] { { -1, -1 } })));
		assertThatExceptionOfType(IOException.class).as("moved 3")
			.isThrownBy(() -> r.state.readSnapshot(snapshot(List.of("a"), a, 0, 3, new long[][] { { 0, 1 } })));
	}

	/**
	 * A snapshot of these groups and one queue "q" of group {@code group} (as written), its consumer flag,
	 * and messages {priority, id} ({-1, -1}: a count of -1), their moved flag {@code moved}.
	 */
	private static DataInputStream snapshot(List<String> groups, byte[] group, int consumer, int moved,
			long[][] messages) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		out.writeLong(10);
		out.writeInt(groups.size());
		for (String name : groups) {
			MessageCodec.writeName(out, name);
			out.writeByte(0);
			out.writeLong(0);
		}
		out.writeInt(1);
		MessageCodec.writeName(out, "q");
		MessageCodec.writeAttributes(out, TRANSIENT);
		out.write(group);
		out.writeByte(consumer);
		if (consumer != 0) {
			out.writeLong(1);
			out.writeLong(100);
		}
		out.writeLong(0);
		out.writeInt((messages.length == 1 && messages[0][0] < 0) ? -1 : messages.length);
		for (long[] message : messages) {
			if (message[0] < 0) {
				break;
			}
			out.writeLong(message[1]);
			out.writeByte((int) message[0]);
			out.writeLong(1);
			out.writeLong(100);
			out.writeLong(0);
			out.writeByte(0);
			out.writeByte(moved);
			MessageCodec.writeBytes(out, new byte[] { 1 });
		}
		return new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
	}

	@Test
	void malformedOperationsAreCountedAndIgnored() {
		Replica r = new Replica();
		r.state.apply(A, new byte[] { 99, 1, 2 });
		assertThat(r.state.malformed()).isEqualTo(1);
	}

	static Replica groupOfThree(GroupPolicy policy) {
		Replica r = new Replica();
		r.ok(A, new CreateGroup(1, "g", policy));
		r.ok(A, new Open(2, "qa", TRANSIENT, "g"));
		r.ok(B, new Open(3, "qb", TRANSIENT, "g"));
		r.ok(C, new Open(4, "qc", TRANSIENT, "g"));
		return r;
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** One replica, its view and its listener. */
	static final class Replica implements ReplicaView, MessageState.Listener {

		final MessageState state = new MessageState(this, this);

		@Nullable Outcome last;

		long requests = 100;

		final List<Message> acknowledged = new ArrayList<>();

		final List<String> replies = new ArrayList<>();

		final List<Message> returned = new ArrayList<>();

		final List<String> gone = new ArrayList<>();

		Outcome apply(Member from, MessageOperation operation) {
			this.last = null;
			Member previous = this.self;
			this.self = from;
			try {
				this.state.apply(from, MessageCodec.encode(operation));
			}
			finally {
				this.self = previous;
			}
			return (this.last != null) ? this.last : Outcome.OK;
		}

		void ok(Member from, MessageOperation operation) {
			Outcome outcome = apply(from, operation);
			assertThat(outcome.error()).as(operation + ": " + outcome.detail()).isNull();
		}

		long send(Member from, String target, boolean group, int priority, String payload) {
			return send(from, target, group, priority, payload, 0);
		}

		long send(Member from, String target, boolean group, int priority, String payload, int flags) {
			Outcome outcome = apply(from, new Send(++this.requests, target, group, priority, flags, bytes(payload)));
			assertThat(outcome.error()).as(outcome.detail()).isNull();
			return outcome.ids()[0];
		}

		List<String> payloads(List<Message> messages) {
			return messages.stream().map((m) -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
		}

		Member self = A;

		@Override
		public Member self() {
			return this.self;
		}

		@Override
		public List<Member> members() {
			return List.of(A, B, C);
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
			return true;
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
		public void acknowledged(Message message, byte @Nullable [] reply) {
			this.acknowledged.add(message);
			if (reply != null) {
				this.replies.add(new String(reply, StandardCharsets.UTF_8));
			}
		}

		@Override
		public void returned(Message message, String reason) {
			this.returned.add(message);
		}

		@Override
		public void consumerGone(String queue, Member consumer) {
			this.gone.add(queue);
		}

		@Override
		public void settled(boolean coordinator) {
		}

		@Override
		public void lost() {
		}

	}

}
