package io.corosync4j.engine.lock;

import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.lock.LockMessage.Entry;
import io.corosync4j.engine.lock.LockMessage.LockTableState;
import io.corosync4j.engine.lock.LockMessage.PendingSync;
import io.corosync4j.engine.lock.LockMessage.Request;
import io.corosync4j.engine.lock.LockMessage.ResourceState;
import io.corosync4j.engine.lock.LockMessage.Settle;
import io.corosync4j.engine.lock.LockMessage.Snapshot;
import io.corosync4j.engine.lock.LockMessage.Status;
import io.corosync4j.engine.lock.LockMessage.SyncRequest;

/**
 * The lock service's messages ({@link LockCodec#decode}): a message, or {@code null} for bytes that are
 * not one; whatever it returns must encode back to the same bytes.
 */
public final class LockFuzzTargets {

	private LockFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		Member a = new Member(1, 1001);
		Member b = new Member(0xffff_ffffL, 7);
		Entry held = new Entry(a, 3, 9, LockMode.EXCLUSIVE, LockMessage.ORPHAN, 1500, 1L << 26, false, 0);
		Entry waiting = new Entry(b, 4, 0, LockMode.SHARED, 0, 0, 0, false, 0);
		LockTableState state = new LockTableState(List.of(a, b), List.of(a), List.of(new PendingSync(b, 2, 0)),
				List.of(new Status(a, 8, 77)), false, 8, (1L << 26) + 3, 2,
				List.of(new ResourceState("orders", List.of(held), List.of(waiting))));
		List<byte[]> seeds = List.of(
				LockCodec.encode(new Request(1, 7, "orders", LockMode.EXCLUSIVE, LockMessage.DETECT_DEADLOCK, 2000)),
				LockCodec.encode(new Settle(42, 8, -5)), LockCodec.encode(new SyncRequest(3, 42, 0)),
				LockCodec.encode(new Snapshot(b, 2, state)));
		return List.of(FuzzTarget.of("lck", "LockCodec.decode(byte[]): a lock message that encodes back, or null",
				seeds, LockFuzzTargets::decode));
	}

	private static boolean decode(byte[] input) {
		LockMessage message = LockCodec.decode(input);
		if (message == null) {
			return false;
		}
		if (!java.util.Arrays.equals(LockCodec.encode(message), input)) {
			throw new AssertionError("decoded " + message + " but it encodes differently");
		}
		return true;
	}

}
