package io.corosync4j.engine.cluster;

import java.time.Instant;
import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;

/**
 * The cluster membership's announcement ({@link NodeAnnouncement#decode}), an {@code IllegalArgumentException}
 * on reject.
 */
public final class ClusterFuzzTargets {

	private ClusterFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		List<byte[]> seeds = List.of(new NodeAnnouncement(3, Instant.parse("2025-06-01T08:30:00.5Z"), "gamma").encode(),
				new NodeAnnouncement(0xffff_ffffL, Instant.EPOCH, "").encode(),
				new NodeAnnouncement(12, Instant.parse("2030-01-01T00:00:00Z"), "nœud-ü.example.com").encode());
		return List.of(FuzzTarget.of("clm",
				"NodeAnnouncement.decode(byte[]): an announcement or IllegalArgumentException", seeds,
				ClusterFuzzTargets::decode));
	}

	private static boolean decode(byte[] input) {
		try {
			NodeAnnouncement.decode(input);
			return true;
		}
		catch (IllegalArgumentException rejected) {
			return false;
		}
	}

}
