package io.corosync4j.engine.replica;

import java.util.Arrays;
import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.replica.ReplicaMessage.Chunk;
import io.corosync4j.engine.replica.ReplicaMessage.Operation;
import io.corosync4j.engine.replica.ReplicaMessage.Settle;
import io.corosync4j.engine.replica.ReplicaMessage.SyncRequest;
import io.corosync4j.engine.replica.ReplicaMessage.Target;

/**
 * The replicated groups' messages ({@link ReplicaCodec#decode}): a message, or {@code null} for bytes
 * that are not one; whatever it returns must encode back to the same bytes.
 */
public final class ReplicaFuzzTargets {

	private ReplicaFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		List<byte[]> seeds = List.of(ReplicaCodec.encode(new Operation(new byte[] { 1, 1, 0, 0, 0, 7 })),
				ReplicaCodec.encode(new Settle(42, 8, -5)), ReplicaCodec.encode(new SyncRequest(3, 42, 1L << 40, 17, -9)),
				ReplicaCodec.encode(new Chunk(9, 0, false, List.of(new Target(new Member(2, 1002), 3)), new byte[] { 5, 6 })),
				ReplicaCodec.encode(new Chunk(9, 1, true,
						List.of(new Target(new Member(2, 1002), 3), new Target(new Member(0xffff_ffffL, 4), 1)),
						new byte[0])));
		return List.of(FuzzTarget.of("replica", "ReplicaCodec.decode(byte[]): a replica message that encodes back, or null",
				seeds, ReplicaFuzzTargets::decode));
	}

	private static boolean decode(byte[] input) {
		ReplicaMessage message = ReplicaCodec.decode(input);
		if (message == null) {
			return false;
		}
		if (!Arrays.equals(ReplicaCodec.encode(message), input)) {
			throw new AssertionError("decoded " + message + " but it encodes differently");
		}
		return true;
	}

}
