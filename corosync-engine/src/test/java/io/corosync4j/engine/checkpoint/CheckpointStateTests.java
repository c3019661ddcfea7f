package io.corosync4j.engine.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import io.corosync4j.engine.checkpoint.CheckpointOperation.Close;
import io.corosync4j.engine.checkpoint.CheckpointOperation.CreateSection;
import io.corosync4j.engine.checkpoint.CheckpointOperation.DeleteSection;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Expire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Open;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Overwrite;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Retire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Synchronize;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Unlink;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Write;
import io.corosync4j.engine.checkpoint.CheckpointState.Outcome;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.Retention;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The checkpoint state machine driven by hand in one agreed order: AIS open semantics, limits refused
 * with the limit named and nothing partly applied, retention and expiry as operations, openers leaving
 * with their members, and snapshots; then random runs in which two replicas fed the same operations
 * (one of them through a snapshot half way) end equal.
 */
class CheckpointStateTests {

	private static final Member A = new Member(1, 101);

	private static final Member B = new Member(2, 202);

	private static final CheckpointAttributes SMALL = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
		.withMaxSize(100)
		.withMaxSections(3)
		.withMaxSectionSize(40)
		.withMaxSectionIdSize(8)
		.withRetention(Duration.ofSeconds(5));

	private final Replica replica = new Replica();

	private long request;

	@Test
	void openCreatesFindsOrRefusesAsAisDoes() {
		Outcome created = apply(A, new Open(++this.request, 1, "orders", SMALL));
		assertThat(created.error()).isNull();
		assertThat(created.attributes()).isEqualTo(SMALL);
		Outcome same = apply(B, new Open(++this.request, 1, "orders", SMALL));
		assertThat(same.error()).isNull();
		assertThat(same.checkpoint()).isEqualTo(created.checkpoint());
		assertThat(apply(B, new Open(++this.request, 2, "orders", null)).error()).isNull();
		Outcome other = apply(B, new Open(++this.request, 3, "orders", SMALL.withMaxSize(99)));
		assertThat(other.error()).isEqualTo(CheckpointError.EXISTS);
		assertThat(other.detail()).contains("other attributes");
		assertThat(apply(A, new Open(++this.request, 4, "missing", null)).error()).isEqualTo(CheckpointError.NOT_FOUND);
		assertThat(apply(A, new Open(++this.request, 1, "orders", null)).error()).as("the same handle twice")
			.isEqualTo(CheckpointError.INVALID);
		Outcome invalid = apply(A, new Open(++this.request, 5, "bad", SMALL.withMaxSections(0)));
		assertThat(invalid.error()).isEqualTo(CheckpointError.INVALID);
		assertThat(invalid.detail()).contains("maxSections");
		assertThat(this.replica.state.checkpoints()).singleElement()
			.satisfies((status) -> assertThat(status.openers()).isEqualTo(3));
	}

	@Test
	void sectionLimitsAreRefusedNamingTheLimit() {
		long id = open(A, 1, "c", SMALL);
		assertThat(create(A, id, 1, "s1", new byte[41]).detail()).contains("maxSectionSize 40");
		assertThat(create(A, id, 1, "longer-than-8", new byte[1]).detail()).contains("maxSectionIdSize 8");
		assertThat(create(A, id, 1, "s1", new byte[40]).error()).isNull();
		assertThat(create(A, id, 1, "s1", new byte[1]).error()).isEqualTo(CheckpointError.EXISTS);
		assertThat(create(A, id, 1, "s2", new byte[40]).error()).isNull();
		Outcome full = create(A, id, 1, "s3", new byte[21]);
		assertThat(full.error()).isEqualTo(CheckpointError.NO_SPACE);
		assertThat(full.detail()).contains("maxSize 100");
		assertThat(create(A, id, 1, "s3", new byte[20]).error()).isNull();
		Outcome many = create(A, id, 1, "s4", new byte[0]);
		assertThat(many.error()).isEqualTo(CheckpointError.NO_SPACE);
		assertThat(many.detail()).contains("maxSections 3");
		assertThat(create(B, id, 1, "s5", new byte[0]).error()).as("B has no handle").isEqualTo(CheckpointError.CLOSED);
		assertThat(status(id).bytes()).isEqualTo(100);
	}

	@Test
	void generatedSectionIdsAreUniqueEightByteCounters() {
		long id = open(A, 1, "c", SMALL);
		Outcome first = apply(A, new CreateSection(++this.request, id, 1, null, CheckpointState.NEVER, new byte[1]));
		Outcome second = apply(A, new CreateSection(++this.request, id, 1, null, CheckpointState.NEVER, new byte[1]));
		assertThat(first.section().bytes()).hasSize(8);
		assertThat(second.section()).isNotEqualTo(first.section());
		long narrow = open(A, 2, "narrow", SMALL.withMaxSectionIdSize(4));
		Outcome refused = apply(A, new CreateSection(++this.request, narrow, 2, null, CheckpointState.NEVER, new byte[0]));
		assertThat(refused.error()).isEqualTo(CheckpointError.INVALID);
	}

	@Test
	void aCheckpointOfOneSectionHasTheDefaultSection() throws Exception {
		long id = open(A, 1, "one", SMALL.withMaxSections(1));
		assertThat(sections(id, SectionFilter.any())).extracting(SectionDescriptor::id).containsExactly(SectionId.DEFAULT);
		assertThat(apply(A, new Overwrite(++this.request, id, 1, SectionId.DEFAULT, bytes("hello"))).error()).isNull();
		assertThat(read(id, SectionId.DEFAULT, 0, 100)).isEqualTo(bytes("hello"));
		assertThat(apply(A, new DeleteSection(++this.request, id, 1, SectionId.DEFAULT)).error())
			.isEqualTo(CheckpointError.INVALID);
		assertThat(create(A, id, 1, "x", new byte[0]).error()).isEqualTo(CheckpointError.NO_SPACE);
	}

	@Test
	void aWriteOfSeveralSectionsAppliesWhollyOrNotAtAll() throws Exception {
		long id = open(A, 1, "c", SMALL);
		create(A, id, 1, "a", bytes("aaaa"));
		create(A, id, 1, "b", bytes("bbbb"));
		Outcome refused = write(A, id, new SectionWrite(SectionId.of("a"), 4, bytes("AA")),
				new SectionWrite(SectionId.of("b"), 2, new byte[39]));
		assertThat(refused.error()).isEqualTo(CheckpointError.NO_SPACE);
		assertThat(refused.detail()).contains("maxSectionSize 40");
		assertThat(read(id, SectionId.of("a"), 0, 100)).isEqualTo(bytes("aaaa"));
		assertThat(write(A, id, new SectionWrite(SectionId.of("a"), 5, bytes("x"))).error()).as("a hole")
			.isEqualTo(CheckpointError.INVALID);
		assertThat(write(A, id, new SectionWrite(SectionId.of("zz"), 0, bytes("x"))).error())
			.isEqualTo(CheckpointError.NOT_FOUND);
		// the second part starts where the first ends: sizes are counted in order
		assertThat(write(A, id, new SectionWrite(SectionId.of("a"), 4, bytes("AA")),
				new SectionWrite(SectionId.of("a"), 6, bytes("CC")), new SectionWrite(SectionId.of("b"), 0, bytes("B")))
			.error()).isNull();
		assertThat(read(id, SectionId.of("a"), 0, 100)).isEqualTo(bytes("aaaaAACC"));
		assertThat(read(id, SectionId.of("b"), 0, 100)).isEqualTo(bytes("Bbbb"));
		assertThat(read(id, SectionId.of("a"), 6, 100)).isEqualTo(bytes("CC"));
		assertThat(read(id, SectionId.of("a"), 8, 100)).isEmpty();
		assertThatExceptionOfType(CheckpointException.class).isThrownBy(() -> read(id, SectionId.of("a"), 9, 1))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo(CheckpointError.INVALID));
		assertThat(status(id).bytes()).isEqualTo(12);
		assertThat(apply(A, new Overwrite(++this.request, id, 1, SectionId.of("a"), bytes("z"))).error()).isNull();
		assertThat(status(id).bytes()).isEqualTo(5);
	}

	@Test
	void retentionRetiresOnlyTheGenerationItWasTimedFor() {
		long id = open(A, 1, "c", SMALL);
		assertThat(this.replica.state.idle()).isEmpty();
		assertThat(apply(A, new Close(++this.request, id, 1)).error()).isNull();
		assertThat(this.replica.state.idle()).singleElement().satisfies((idle) -> {
			assertThat(idle.name()).isEqualTo("c");
			assertThat(idle.millis()).isEqualTo(5000);
		});
		long generation = this.replica.state.idle().get(0).generation();
		// opened and closed again before the retirement arrives: the old timer's retirement does nothing
		open(B, 7, "c", null);
		apply(B, new Close(++this.request, id, 7));
		apply(A, new Retire(0, "c", generation));
		assertThat(this.replica.state.checkpoints()).hasSize(1);
		long next = this.replica.state.idle().get(0).generation();
		assertThat(next).isGreaterThan(generation);
		apply(A, new Retire(0, "c", next));
		assertThat(this.replica.state.checkpoints()).isEmpty();
		assertThat(apply(A, new Open(++this.request, 1, "c", null)).error()).isEqualTo(CheckpointError.NOT_FOUND);
	}

	@Test
	void openersGoWithTheirMembers() {
		long id = open(A, 1, "c", SMALL);
		open(B, 1, "c", null);
		this.replica.state.membersChanged(List.of(A), List.of(B), Set.of(B));
		assertThat(status(id).openers()).isEqualTo(1);
		this.replica.state.memberDropped(A);
		assertThat(this.replica.state.checkpoints()).singleElement()
			.satisfies((status) -> assertThat(status.openers()).isZero());
		assertThat(this.replica.state.idle()).extracting(Retention::name).containsExactly("c");
	}

	@Test
	void unlinkFreesTheNameAtOnceAndTheDataAtTheLastClose() throws Exception {
		long old = open(A, 1, "c", SMALL);
		create(A, old, 1, "s", bytes("old"));
		assertThat(apply(B, new Unlink(++this.request, "c")).error()).isNull();
		assertThat(apply(B, new Unlink(++this.request, "c")).error()).isEqualTo(CheckpointError.NOT_FOUND);
		assertThat(apply(B, new Open(++this.request, 1, "c", null)).error()).isEqualTo(CheckpointError.NOT_FOUND);
		long fresh = open(B, 2, "c", SMALL.withMaxSize(50));
		assertThat(fresh).isNotEqualTo(old);
		// the unlinked one still serves its opener
		assertThat(read(old, SectionId.of("s"), 0, 10)).isEqualTo(bytes("old"));
		assertThat(this.replica.state.checkpoints()).extracting(CheckpointStatus::unlinked).containsExactly(false, true);
		apply(A, new Close(++this.request, old, 1));
		assertThat(this.replica.state.checkpoints()).singleElement()
			.satisfies((status) -> assertThat(status.attributes().maxSize()).isEqualTo(50));
		assertThat(this.replica.state.totalBytes()).isZero();
		assertThat(this.replica.state.idle()).as("an unlinked checkpoint is not retained").isEmpty();
	}

	@Test
	void expiryRemovesWhatExpiredByTheSentTime() {
		long id = open(A, 1, "c", SMALL);
		apply(A, new CreateSection(++this.request, id, 1, SectionId.of("soon"), 1_000, bytes("1")));
		apply(A, new CreateSection(++this.request, id, 1, SectionId.of("later"), 2_000, bytes("2")));
		create(A, id, 1, "never", bytes("3"));
		assertThat(this.replica.state.nextExpiration()).isEqualTo(1_000);
		assertThat(sections(id, SectionFilter.expiringBefore(Instant.ofEpochMilli(1_500))))
			.extracting(SectionDescriptor::id).containsExactly(SectionId.of("soon"));
		assertThat(sections(id, SectionFilter.expiringAfter(Instant.ofEpochMilli(1_500))))
			.extracting(SectionDescriptor::id).containsExactly(SectionId.of("later"), SectionId.of("never"));
		assertThat(sections(id, SectionFilter.forever())).extracting(SectionDescriptor::id)
			.containsExactly(SectionId.of("never"));
		apply(A, new Expire(0, 1_000));
		assertThat(sections(id, SectionFilter.any())).extracting(SectionDescriptor::id)
			.containsExactly(SectionId.of("later"), SectionId.of("never"));
		assertThat(this.replica.state.nextExpiration()).isEqualTo(2_000);
		apply(A, new Expire(0, 5_000));
		assertThat(this.replica.state.nextExpiration()).isEqualTo(CheckpointState.NEVER);
		assertThat(status(id).bytes()).isEqualTo(1);
	}

	@Test
	void theServiceCapsTheNumberOfCheckpoints() {
		for (int i = 0; i < CheckpointService.MAX_CHECKPOINTS; i++) {
			assertThat(apply(A, new Open(++this.request, i, "c" + i, SMALL)).error()).isNull();
		}
		Outcome refused = apply(A, new Open(++this.request, -1, "one-more", SMALL));
		assertThat(refused.error()).isEqualTo(CheckpointError.NO_SPACE);
		assertThat(refused.detail()).contains("4096 checkpoints");
	}

	@Test
	void droppingTheStateClearsItAndTellsTheService() {
		open(A, 1, "c", SMALL);
		this.replica.state.lost();
		assertThat(this.replica.lost).isTrue();
		assertThat(this.replica.state.checkpoints()).isEmpty();
		open(A, 1, "c", SMALL);
		this.replica.state.startFresh(0);
		assertThat(this.replica.state.checkpoints()).isEmpty();
	}

	@Test
	void aSnapshotCarriesEverythingTheNextOperationsDependOn() throws IOException {
		long id = open(A, 1, "c", SMALL);
		open(B, 3, "c", null);
		apply(A, new CreateSection(++this.request, id, 1, null, 9_000, bytes("generated")));
		long idle = open(A, 2, "idle", SMALL.withMaxSections(1));
		apply(A, new Close(++this.request, idle, 2));
		apply(B, new Unlink(++this.request, "c"));
		Replica copy = new Replica();
		copy.state.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot(this.replica.state))));
		assertThat(copy.state.dump()).isEqualTo(this.replica.state.dump());
		assertThat(copy.state.idle()).isEqualTo(this.replica.state.idle());
		assertThat(copy.state.nextExpiration()).isEqualTo(9_000);
		// both go on alike: generated ids, checkpoint ids, retirements
		for (Replica each : List.of(this.replica, copy)) {
			each.apply(A, new CreateSection(1_000, id, 1, null, CheckpointState.NEVER, new byte[0]));
			each.apply(A, new Open(1_001, 9, "new", SMALL));
			each.apply(A, new Retire(0, "idle", copy.state.idle().get(0).generation()));
		}
		assertThat(copy.state.dump()).isEqualTo(this.replica.state.dump());
		assertThat(copy.state.checkpoints()).extracting(CheckpointStatus::name).containsExactly("new", "c");
	}

	@Test
	void replicasFedTheSameOperationsEndEqualEvenThroughASnapshot() throws IOException {
		for (long seed = 1; seed <= 100; seed++) {
			SplittableRandom random = new SplittableRandom(seed);
			Replica first = new Replica();
			Replica second = new Replica();
			List<Member> members = List.of(A, B, new Member(3, 303));
			int cut = random.nextInt(300);
			for (int step = 0; step < 300; step++) {
				if (step == cut) {
					second = new Replica();
					second.state.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot(first.state))));
				}
				Member from = members.get(random.nextInt(members.size()));
				int event = random.nextInt(20);
				if (event == 0) {
					first.state.membersChanged(members, List.of(from), Set.of());
					if (step >= cut) {
						second.state.membersChanged(members, List.of(from), Set.of());
					}
					continue;
				}
				CheckpointOperation operation = randomOperation(random, from);
				byte[] encoded = CheckpointCodec.encode(operation);
				first.state.apply(from, encoded);
				if (step >= cut) {
					second.state.apply(from, encoded);
				}
			}
			assertThat(second.state.dump()).as("seed " + seed).isEqualTo(first.state.dump());
			assertThat(snapshot(second.state)).as("seed " + seed).isEqualTo(snapshot(first.state));
		}
	}

	private static CheckpointOperation randomOperation(SplittableRandom random, Member from) {
		String name = "c" + random.nextInt(3);
		long checkpoint = 1 + random.nextInt(6);
		long handle = random.nextInt(3);
		SectionId id = SectionId.of("s" + random.nextInt(4));
		byte[] data = new byte[random.nextInt(30)];
		random.nextBytes(data);
		CheckpointAttributes attributes = (random.nextInt(4) == 0) ? SMALL.withMaxSections(1) : SMALL;
		return switch (random.nextInt(11)) {
			case 0 -> new Open(1, handle, name, attributes);
			case 1 -> new Open(1, handle, name, null);
			case 2 -> new Close(1, checkpoint, handle);
			case 3 -> new Unlink(1, name);
			case 4 -> new CreateSection(1, checkpoint, handle, random.nextBoolean() ? id : null,
					random.nextBoolean() ? CheckpointState.NEVER : random.nextInt(1000), data);
			case 5 -> new DeleteSection(1, checkpoint, handle, id);
			case 6 -> new Write(1, checkpoint, handle, List.of(new SectionWrite(id, random.nextInt(10), data),
					new SectionWrite(SectionId.DEFAULT, 0, data)));
			case 7 -> new Overwrite(1, checkpoint, handle, random.nextBoolean() ? id : SectionId.DEFAULT, data);
			case 8 -> new Retire(0, name, random.nextInt(10));
			case 9 -> new Expire(0, random.nextInt(1000));
			default -> new Synchronize(1, checkpoint, handle);
		};
	}

	// ---------------------------------------------------------------------------------------------

	private Outcome apply(Member from, CheckpointOperation operation) {
		return this.replica.apply(from, operation);
	}

	private long open(Member from, long handle, String name, @Nullable CheckpointAttributes attributes) {
		Outcome outcome = apply(from, new Open(++this.request, handle, name, attributes));
		assertThat(outcome.error()).as(outcome.detail()).isNull();
		return outcome.checkpoint();
	}

	private Outcome create(Member from, long checkpoint, long handle, String id, byte[] data) {
		return apply(from, new CreateSection(++this.request, checkpoint, handle, SectionId.of(id), CheckpointState.NEVER,
				data));
	}

	private Outcome write(Member from, long checkpoint, SectionWrite... parts) {
		return apply(from, new Write(++this.request, checkpoint, 1, List.of(parts)));
	}

	/** Reads as the opener A#1 does. */
	private byte[] read(long checkpoint, SectionId id, int offset, int length) throws CheckpointException {
		return this.replica.state.read(checkpoint, A, 1, id, offset, length);
	}

	private List<SectionDescriptor> sections(long checkpoint, SectionFilter filter) {
		try {
			return this.replica.state.sections(checkpoint, A, 1, filter);
		}
		catch (CheckpointException ex) {
			throw new AssertionError(ex);
		}
	}

	private CheckpointStatus status(long checkpoint) {
		try {
			return this.replica.state.status(checkpoint, A, 1);
		}
		catch (CheckpointException ex) {
			throw new AssertionError(ex);
		}
	}

	static byte[] snapshot(CheckpointState state) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		state.writeSnapshot(new DataOutputStream(bytes));
		return bytes.toByteArray();
	}

	static byte[] bytes(String text) {
		return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	static long number(byte[] bytes) {
		return ByteBuffer.wrap(bytes).getLong();
	}

	/** A state with a view whose self is whoever applies next, so every outcome is reported. */
	static final class Replica implements ReplicaView, CheckpointState.Listener {

		final CheckpointState state = new CheckpointState(this, this);

		Member self = A;

		@Nullable Outcome last;

		boolean lost;

		final List<Boolean> settles = new ArrayList<>();

		Outcome apply(Member from, CheckpointOperation operation) {
			this.self = from;
			this.last = null;
			this.state.apply(from, CheckpointCodec.encode(operation));
			Outcome outcome = this.last;
			return (outcome != null) ? outcome : Outcome.OK;
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
		public void settled(boolean coordinator) {
			this.settles.add(coordinator);
		}

		@Override
		public void lost() {
			this.lost = true;
		}

	}

}
