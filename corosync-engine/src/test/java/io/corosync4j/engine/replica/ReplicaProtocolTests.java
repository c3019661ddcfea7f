package io.corosync4j.engine.replica;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replica protocol around a state that only appends what it is told (operations, departures), so
 * any difference in what two members applied, or in what a joiner received, shows in their logs.
 */
class ReplicaProtocolTests {

	@Test
	void aJoinerReceivesAStateOfManyChunksWhileOtherTrafficGoesOn() {
		ReplicaTestGroup group = new ReplicaTestGroup();
		ReplicaTestGroup.Node a = group.join(1, Log::new);
		ReplicaTestGroup.Node b = group.join(2, Log::new);
		group.run(() -> {
		});
		for (int i = 0; i < 12; i++) {
			a.send(payload(i, 256 * 1024));
		}
		group.run(() -> {
		});
		ReplicaTestGroup.Node c = group.join(3, Log::new);
		int chunks = 0;
		int othersBetweenChunks = 0;
		int deliveries = 0;
		while (!c.holdsState) {
			// b keeps sending small messages all along
			b.send(payload(100 + deliveries, 10));
			boolean chunk = group.nextIsChunk();
			assertThat(group.step()).isTrue();
			deliveries++;
			if (chunk) {
				chunks++;
			}
			else if (chunks > 0) {
				othersBetweenChunks++;
			}
			assertThat(deliveries).isLessThan(10_000);
		}
		group.run(() -> {
		});
		// 3 MiB and more: more than ten chunks, never more than the window on their way at once
		assertThat(chunks).isGreaterThan(12);
		assertThat(othersBetweenChunks).isGreaterThan(chunks / ReplicaProtocol.WINDOW - 2);
		assertThat(((Log) c.state).entries).hasSameSizeAs(((Log) a.state).entries);
		group.assertAgreement();
	}

	@Test
	void aTransferCutShortByAChangeIsAskedForAgain() {
		ReplicaTestGroup group = new ReplicaTestGroup();
		ReplicaTestGroup.Node a = group.join(1, Log::new);
		ReplicaTestGroup.Node b = group.join(2, Log::new);
		group.run(() -> {
		});
		for (int i = 0; i < 8; i++) {
			a.send(payload(i, 256 * 1024));
		}
		group.run(() -> {
		});
		ReplicaTestGroup.Node c = group.join(3, Log::new);
		while (!group.nextIsChunk()) {
			assertThat(group.step()).isTrue();
		}
		group.step();
		group.step();
		// the sender's node goes: the transfer ends there, and the next lowest member sends the state again
		group.leave(a, true);
		group.run(() -> {
		});
		assertThat(c.holdsState).isTrue();
		assertThat(c.view().coordinator()).isFalse();
		assertThat(b.view().coordinator()).isTrue();
		group.assertAgreement();
	}

	@Test
	void anOperationDeliveredWhileAChangeSettlesIsAppliedWhenItSettles() {
		ReplicaTestGroup group = new ReplicaTestGroup();
		ReplicaTestGroup.Node a = group.join(1, Log::new);
		ReplicaTestGroup.Node b = group.join(2, Log::new);
		group.run(() -> {
		});
		int before = ((Log) b.state).entries.size();
		a.send(payload(7, 10));
		ReplicaTestGroup.Node c = group.join(3, Log::new);
		// the operation comes first, then the statuses of the change
		assertThat(group.step()).isTrue();
		assertThat(a.view().settled()).isFalse();
		assertThat(a.ownDelivered).isEmpty();
		assertThat(((Log) b.state).entries).hasSize(before + 1);
		group.run(() -> {
		});
		assertThat(a.ownDelivered).containsExactly(true);
		List<byte[]> entries = ((Log) b.state).entries;
		assertThat(new String(entries.get(before))).startsWith("change");
		assertThat(ByteBuffer.wrap(entries.get(before + 1)).getInt()).isEqualTo(7);
		assertThat(c.holdsState).isTrue();
		group.assertAgreement();
	}

	@Test
	void aStatusForAnEarlierChangeDoesNotSettleAMergeWithTheSameMembers() {
		ReplicaTestGroup group = new ReplicaTestGroup();
		ReplicaTestGroup.Node a = group.join(1, Log::new);
		ReplicaTestGroup.Node b = group.join(2, Log::new);
		ReplicaTestGroup.Node c = group.join(3, Log::new);
		group.run(() -> {
		});
		// statuses for the change that brought c, still on their way when the ring splits and merges: the
		// merge has the same members and nobody left, as that change had
		a.poke();
		b.poke();
		c.poke();
		group.splitAndMerge(Set.of(c));
		group.run(() -> {
		});
		// each side applied the other's departure: c's history is the minority's, so c took the state again
		assertThat(c.synchronizations).isEqualTo(2);
		assertThat(a.synchronizations).isEqualTo(1);
		assertThat(List.of(a.holdsState, b.holdsState, c.holdsState)).containsOnly(true);
		group.assertAgreement();
	}

	@Test
	void aWriteIsDurableOnlyOnceASecondNodeHoldsTheState() {
		ReplicaTestGroup group = new ReplicaTestGroup();
		ReplicaTestGroup.Node a = group.join(1, Log::new);
		group.run(() -> {
		});
		assertThat(a.view().durable()).as("alone in the group").isTrue();
		for (int i = 0; i < 4; i++) {
			a.send(payload(i, 256 * 1024));
		}
		group.run(() -> {
		});
		ReplicaTestGroup.Node b = group.join(2, Log::new);
		while (!group.nextIsChunk()) {
			assertThat(group.step()).isTrue();
		}
		// b is receiving: what a applied lives on a's node only
		assertThat(a.view().durable()).isFalse();
		group.run(() -> {
		});
		assertThat(b.holdsState).isTrue();
		assertThat(a.view().durable()).isTrue();
	}

	@Test
	void aChunkOutOfOrderMakesTheReceiverAskAgainInsteadOfStopping() {
		ReplicaTestGroup group = new ReplicaTestGroup();
		ReplicaTestGroup.Node a = group.join(1, Log::new);
		group.run(() -> {
		});
		ReplicaTestGroup.Node b = group.join(2, Log::new);
		// b's request, then a forged transfer that skips a chunk, before a's real one
		assertThat(group.step()).isTrue();
		group.inject(a.member, new ReplicaMessage.Chunk(99, 0, false,
				List.of(new ReplicaMessage.Target(b.member, 1)), new byte[] { 1 }));
		group.inject(a.member, new ReplicaMessage.Chunk(99, 5, true,
				List.of(new ReplicaMessage.Target(b.member, 1)), new byte[] { 2 }));
		group.run(() -> {
		});
		assertThat(b.holdsState).isTrue();
		group.assertAgreement();
	}

	@Test
	void anOperationFromAMemberWithoutTheStateIsNotApplied() {
		ReplicaTestGroup group = new ReplicaTestGroup();
		ReplicaTestGroup.Node a = group.join(1, Log::new);
		group.run(() -> {
		});
		ReplicaTestGroup.Node b = group.join(2, Log::new);
		b.send(payload(1, 10));
		a.send(payload(2, 10));
		group.run(() -> {
		});
		assertThat(b.holdsState).isTrue();
		assertThat(b.ownDelivered).containsExactly(false);
		assertThat(a.ownDelivered).containsExactly(true);
		group.assertAgreement();
	}

	@Test
	void aRecoverableStateComesBackWhenQuorumReturnsToAGroupThatLostItEverywhere() {
		ReplicaTestGroup group = new ReplicaTestGroup();
		ReplicaTestGroup.Node a = group.join(1, Recoverable::new);
		ReplicaTestGroup.Node b = group.join(2, Recoverable::new);
		group.run(() -> {
		});
		a.send(payload(1, 300_000));
		b.send(payload(2, 10));
		group.run(() -> {
		});
		List<byte[]> before = List.copyOf(((Log) a.state).entries);
		group.primary = false;
		a.poke();
		group.run(() -> {
		});
		assertThat(a.holdsState).isFalse();
		assertThat(((Log) b.state).entries).isEmpty();
		// b's process goes while nobody is primary; a new one joins
		group.leave(b, false);
		ReplicaTestGroup.Node c = group.join(3, Recoverable::new);
		group.primary = true;
		a.poke();
		group.run(() -> {
		});
		assertThat(a.holdsState).isTrue();
		assertThat(c.holdsState).isTrue();
		List<byte[]> after = ((Log) c.state).entries;
		assertThat(after.subList(0, before.size())).containsExactlyElementsOf(before);
		// every member told its callers it lost the state: what each held in it goes, then who left
		assertThat(after.subList(before.size(), before.size() + 3)).extracting(String::new)
			.containsExactly("dropped 1/1", "dropped 2/2", "change [1/1, 3/3] left [2/2] down [2/2]");
		group.assertAgreement();
	}

	@Test
	void aStateThatIsNotRecoverableStartsEmptyAfterQuorumWentEverywhere() {
		ReplicaTestGroup group = new ReplicaTestGroup();
		ReplicaTestGroup.Node a = group.join(1, Log::new);
		group.run(() -> {
		});
		a.send(payload(1, 10));
		group.run(() -> {
		});
		group.primary = false;
		a.poke();
		group.run(() -> {
		});
		group.primary = true;
		a.poke();
		group.run(() -> {
		});
		assertThat(a.holdsState).isTrue();
		assertThat(((Log) a.state).entries).singleElement().satisfies((entry) -> assertThat(new String(entry)).startsWith("fresh"));
	}

	static Stream<Long> seeds() {
		return LongStream.rangeClosed(1, Long.getLong("corosync4j.replica.seeds", 150)).boxed();
	}

	/**
	 * Random operations (some of several chunks), joins, departures, splits that merge again and losses of
	 * quorum: at the end every member holding the state holds the same, every member holds it, and each
	 * member applied a sequence of operations that the others, where they held the state at the same time,
	 * applied too.
	 */
	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void randomRunsAgree(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		ReplicaTestGroup group = new ReplicaTestGroup();
		// odd seeds keep what they dropped and take it up again
		java.util.function.Function<ReplicaView, ReplicatedState> states = (seed % 2 == 1) ? Recoverable::new : Log::new;
		int nextPid = 1;
		for (int i = 0; i < 3; i++) {
			group.join(nextPid++, states);
		}
		for (int step = 0; step < 300; step++) {
			int action = random.nextInt(100);
			List<ReplicaTestGroup.Node> live = new ArrayList<>(group.nodes.values());
			if (action < 70 && !live.isEmpty()) {
				ReplicaTestGroup.Node node = live.get(random.nextInt(live.size()));
				int size = (random.nextInt(20) == 0) ? 200_000 + random.nextInt(400_000) : random.nextInt(64);
				node.send(payload(step, size));
			}
			else if (action < 80) {
				group.join(nextPid++, states);
				if (random.nextInt(4) == 0) {
					// before the join's statuses are delivered: the merge has the join's members and departures
					splitAndMerge(group, random);
				}
			}
			else if (action < 88 && live.size() > 1) {
				group.leave(live.get(random.nextInt(live.size())), random.nextBoolean());
			}
			else if (action < 91 && !live.isEmpty()) {
				group.primary = !group.primary;
				live.get(0).poke();
			}
			else if (action < 94) {
				splitAndMerge(group, random);
			}
			int deliveries = random.nextInt(5);
			for (int i = 0; i < deliveries && group.step(); i++) {
			}
		}
		group.primary = true;
		if (!group.nodes.isEmpty()) {
			group.nodes.values().iterator().next().poke();
		}
		group.run(() -> {
		});
		for (ReplicaTestGroup.Node node : group.nodes.values()) {
			assertThat(node.holdsState).as("seed %d: %s holds the state", seed, node).isTrue();
		}
		group.assertAgreement();
	}

	/** Some members meet the others again in a new ring, each side having seen the other leave. */
	private static void splitAndMerge(ReplicaTestGroup group, SplittableRandom random) {
		Set<ReplicaTestGroup.Node> side = new HashSet<>();
		for (ReplicaTestGroup.Node node : group.nodes.values()) {
			if (random.nextBoolean()) {
				side.add(node);
			}
		}
		if (!side.isEmpty() && side.size() < group.nodes.size()) {
			group.splitAndMerge(side);
		}
	}

	private static byte[] payload(int tag, int size) {
		byte[] bytes = new byte[Math.max(4, size)];
		ByteBuffer.wrap(bytes).putInt(tag);
		Arrays.fill(bytes, 4, bytes.length, (byte) tag);
		return bytes;
	}

	/** A log a member keeps when it drops it, to take up again when the whole group lost it. */
	static final class Recoverable extends Log {

		Recoverable(ReplicaView view) {
			super(view);
		}

		@Override
		public boolean recoverable() {
			return true;
		}

	}

	/** Appends every event it is told; its snapshot is the whole log. */
	static class Log implements ReplicatedState {

		final ReplicaView view;

		final List<byte[]> entries = new ArrayList<>();

		Log(ReplicaView view) {
			this.view = view;
		}

		@Override
		public void membersChanged(List<Member> members, List<Member> left, Set<Member> nodesDown) {
			this.entries.add(("change " + members + " left " + left + " down " + nodesDown).getBytes());
		}

		@Override
		public void apply(Member from, byte[] operation) {
			byte[] entry = Arrays.copyOf(operation, operation.length + 8);
			ByteBuffer.wrap(entry, operation.length, 8).putInt((int) from.nodeid()).putInt((int) from.pid());
			this.entries.add(entry);
		}

		@Override
		public void memberDropped(Member member) {
			this.entries.add(("dropped " + member).getBytes());
		}

		@Override
		public void settled(boolean coordinator) {
			assertThat(this.view.settled()).isTrue();
			assertThat(coordinator).isEqualTo(this.view.coordinator());
		}

		@Override
		public void lost() {
			this.entries.clear();
		}

		@Override
		public void startFresh(long floor) {
			this.entries.clear();
			this.entries.add(("fresh " + floor).getBytes());
		}

		@Override
		public void writeSnapshot(DataOutput out) throws IOException {
			out.writeInt(this.entries.size());
			for (byte[] entry : this.entries) {
				out.writeInt(entry.length);
				out.write(entry);
			}
		}

		@Override
		public void readSnapshot(DataInput in) throws IOException {
			this.entries.clear();
			int count = in.readInt();
			for (int i = 0; i < count; i++) {
				byte[] entry = new byte[in.readInt()];
				in.readFully(entry);
				this.entries.add(entry);
			}
		}

	}

}
