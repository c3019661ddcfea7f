package io.corosync4j.engine.checkpoint;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

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
import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.RoundTrips;
import io.corosync4j.engine.replica.Member;

/**
 * The checkpoint service's operations ({@link CheckpointCodec#decode}) and the state a joining member
 * reads ({@link CheckpointState#readSnapshot}): an operation or a state, or a refusal ({@code null},
 * {@code IOException}) for bytes that are not one; whatever is accepted must encode back to the same
 * bytes.
 */
public final class CheckpointFuzzTargets {

	/** The longest name, 256 bytes: 128 two-byte characters. */
	private static final String LONGEST_NAME = "é".repeat(CheckpointService.MAX_NAME_BYTES / 2);

	private CheckpointFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		return List.of(
				FuzzTarget.of("ckpt", "CheckpointCodec.decode(byte[]): a checkpoint operation that encodes back, or null",
						operations(),
						(input) -> RoundTrips.decodes(input, CheckpointCodec::decode, CheckpointCodec::encode)),
				FuzzTarget.of("ckpt-state",
						"CheckpointState.readSnapshot(DataInput): a checkpoint state that writes back, or IOException",
						List.of(snapshot(), largestLimits()),
						(input) -> RoundTrips.reads(new CheckpointStateTests.Replica().state, input)));
	}

	/**
	 * One encoded operation of every type, with edge values: the longest and unicode names, empty and large
	 * ids and data.
	 */
	static List<byte[]> operations() {
		CheckpointAttributes attributes = new CheckpointAttributes(UpdateMode.SYNCHRONOUS, Long.MAX_VALUE,
				Integer.MIN_VALUE, Integer.MAX_VALUE, -1, Duration.ofMillis(Long.MAX_VALUE));
		SectionId longestId = SectionId.of(new byte[CheckpointService.MAX_SECTION_ID_BYTES]);
		List<CheckpointOperation> operations = List.of(
				new Open(1, 7, "orders", CheckpointAttributes.of(UpdateMode.ASYNCHRONOUS).withRetention(Duration.ZERO)),
				new Open(Long.MAX_VALUE, -1, LONGEST_NAME, attributes), new Open(-1, 0, "x", null),
				new Close(0, Long.MIN_VALUE, Long.MAX_VALUE), new Unlink(2, "名前 ✓ \uD83D\uDE00"),
				new CreateSection(3, 1, 7, null, CheckpointState.NEVER, new byte[0]),
				new CreateSection(4, 1, 7, longestId, Long.MIN_VALUE, new byte[] { 0, (byte) 0xff, 0x7f, (byte) 0x80 }),
				new DeleteSection(5, 1, 7, SectionId.DEFAULT), new DeleteSection(6, 1, 7, SectionId.of("a")),
				new Write(7, 1, 7, List.of(new SectionWrite(SectionId.of("a"), 0, new byte[] { 1, 2, 3 }),
						new SectionWrite(SectionId.DEFAULT, Integer.MAX_VALUE, new byte[0]),
						new SectionWrite(SectionId.of(new byte[] { (byte) 0xff }), 17, new byte[300]))),
				new Overwrite(8, 1, 7, SectionId.of("a"), new byte[1000]), new Synchronize(9, 0, 0),
				new Retire(0, LONGEST_NAME, Long.MIN_VALUE), new Retire(0, "orders", 42), new Expire(0, 0),
				new Expire(0, Long.MAX_VALUE));
		return operations.stream().map(CheckpointCodec::encode).toList();
	}

	/**
	 * A state of every kind of checkpoint: with openers and sections (generated, empty, expiring), with
	 * the default section only, idle (all closed), unlinked but still open, a unicode and a longest name.
	 */
	static byte[] snapshot() {
		Member a = new Member(1, 101);
		Member b = new Member(0xffff_ffffL, Long.MAX_VALUE);
		CheckpointStateTests.Replica replica = new CheckpointStateTests.Replica();
		CheckpointAttributes many = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
			.withMaxSize(1 << 20)
			.withRetention(Duration.ofMillis(Long.MAX_VALUE));
		CheckpointAttributes single = CheckpointAttributes.of(UpdateMode.ASYNCHRONOUS)
			.withMaxSections(1)
			.withMaxSectionIdSize(0)
			.withRetention(Duration.ZERO);
		long orders = ok(replica.apply(a, new Open(1, 7, "orders", many))).checkpoint();
		ok(replica.apply(b, new Open(2, -3, "orders", null)));
		ok(replica.apply(a, new CreateSection(3, orders, 7, SectionId.of("a"), CheckpointState.NEVER,
				new byte[] { 1, 2, 3 })));
		ok(replica.apply(a, new CreateSection(4, orders, 7, null, 1_700_000_000_000L, new byte[0])));
		ok(replica.apply(b, new CreateSection(5, orders, -3, SectionId.of(new byte[] { (byte) 0xff, 0 }), -1,
				new byte[64])));
		long single1 = ok(replica.apply(a, new Open(6, 8, "名前 ✓", single))).checkpoint();
		ok(replica.apply(a, new Overwrite(7, single1, 8, SectionId.DEFAULT, new byte[] { 42 })));
		ok(replica.apply(a, new Close(8, single1, 8)));
		long gone = ok(replica.apply(b, new Open(9, 9, LONGEST_NAME, many))).checkpoint();
		ok(replica.apply(b, new Unlink(10, LONGEST_NAME)));
		ok(replica.apply(a, new Open(11, 10, LONGEST_NAME, many)));
		ok(replica.apply(b, new CreateSection(12, gone, 9, SectionId.of("z"), CheckpointState.NEVER, new byte[0])));
		return RoundTrips.snapshot(replica.state);
	}

	/** A state of one checkpoint with the largest limits the state allows, and a section of each kind. */
	static byte[] largestLimits() {
		Member a = new Member(1, 101);
		CheckpointStateTests.Replica replica = new CheckpointStateTests.Replica();
		CheckpointAttributes largest = new CheckpointAttributes(UpdateMode.SYNCHRONOUS, CheckpointService.MAX_TOTAL_BYTES,
				CheckpointService.MAX_SECTIONS, (int) CheckpointService.MAX_TOTAL_BYTES,
				CheckpointService.MAX_SECTION_ID_BYTES, Duration.ofMillis(Long.MAX_VALUE));
		long id = ok(replica.apply(a, new Open(1, 1, "large", largest))).checkpoint();
		ok(replica.apply(a, new CreateSection(2, id, 1, SectionId.of("s"), CheckpointState.NEVER, new byte[16])));
		ok(replica.apply(a, new CreateSection(3, id, 1, null, 1, new byte[0])));
		return RoundTrips.snapshot(replica.state);
	}

	private static CheckpointState.Outcome ok(CheckpointState.Outcome outcome) {
		if (outcome.error() != null) {
			throw new IllegalStateException("a seed operation failed: " + outcome.detail());
		}
		return outcome;
	}

}
