package io.corosync4j.engine.sync;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.ServiceSeeds;
import io.corosync4j.engine.totem.wire.RingId;

/** The sync messages ({@link SyncMessage#decode}) and the corosync4j announcement, both {@code null} on reject. */
public final class SyncFuzzTargets {

	private SyncFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		List<byte[]> messages = new ArrayList<>(ServiceSeeds.of("sync", -1));
		RingId ring = new RingId(3, 0x1234);
		messages.add(SyncMessage.barrier(ring).encode());
		messages.add(SyncMessage.serviceBuild(ring, new int[] { 0, 1, 2, 5 }).encode());
		return List.of(
				FuzzTarget.of("sync", "SyncMessage.decode(byte[]): a barrier or service_build, or null", messages,
						(input) -> SyncMessage.decode(input) != null),
				FuzzTarget.of("sync-announcement", "Announcement.decode(byte[], int, int): an announcement or null",
						List.of(new Announcement(ring).encode()), SyncFuzzTargets::decodeAnnouncement));
	}

	private static boolean decodeAnnouncement(byte[] input) {
		// inside a larger frame, as totempg delivers it
		byte[] frame = new byte[input.length + 7];
		System.arraycopy(input, 0, frame, 3, input.length);
		return Announcement.decode(frame, 3, input.length) != null;
	}

}
