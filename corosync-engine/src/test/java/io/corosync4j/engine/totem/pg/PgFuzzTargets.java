package io.corosync4j.engine.totem.pg;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.Records;
import io.corosync4j.engine.totem.wire.Mcast;

/**
 * totempg: a frame alone ({@link PgFrame#decode}, {@code null} on reject), and frames in sequence through
 * {@link Totempg#deliver} (the {@link Reassembler} and the group header), which counts what it drops.
 */
public final class PgFuzzTargets {

	/** In a record's first byte: the frame is big-endian. */
	private static final int BIG_ENDIAN = 0x80;

	/** In a record's first byte: Totem switches assembly sets before this frame. */
	private static final int TOGGLE_WAITING = 0x40;

	/** In a record's first byte: synchronization completes before this frame, corosync4j-only when 0x10 is set too. */
	private static final int SYNCHRONIZED = 0x20;

	private static final int COROSYNC4J_ONLY = 0x10;

	private PgFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		List<Mcast> frames = new ArrayList<>();
		for (String scenario : List.of("udpu-3node-lifecycle", "udpu-recovery-encapsulated")) {
			frames.addAll(CapturedServiceMessages.agreedOrder(scenario));
		}
		List<byte[]> payloads = new ArrayList<>();
		frames.forEach((frame) -> payloads.add(frame.payload()));
		payloads.addAll(fragmented());
		return List.of(
				FuzzTarget.of("totempg-frame", "PgFrame.decode(byte[], boolean): a frame or null", payloads,
						PgFuzzTargets::decodeFrame),
				FuzzTarget.of("totempg", "Totempg.deliver: frames reassembled and routed; drops are counted",
						sequences(frames), PgFuzzTargets::deliver));
	}

	private static boolean decodeFrame(byte[] input) {
		PgFrame little = PgFrame.decode(input, false);
		PgFrame big = PgFrame.decode(input, true);
		return little != null || big != null;
	}

	/** Consecutive captured frames, eight per seed, and one long message cut into fragments. */
	private static List<byte[]> sequences(List<Mcast> frames) {
		List<byte[]> seeds = new ArrayList<>();
		for (int start = 0; start < frames.size(); start += 8) {
			List<byte[]> records = new ArrayList<>();
			for (Mcast frame : frames.subList(start, Math.min(frames.size(), start + 8))) {
				records.add(record((int) (frame.nodeid() & 0x0F) | (frame.bigEndian() ? BIG_ENDIAN : 0), frame.payload()));
			}
			seeds.add(Records.join(0, records));
		}
		List<byte[]> cut = new ArrayList<>();
		int first = 1;
		for (byte[] frame : fragmented()) {
			cut.add(record(first, frame));
			first = 1;
		}
		seeds.add(Records.join(0, cut));
		List<byte[]> agreed = new ArrayList<>(cut);
		agreed.set(0, record(1 | SYNCHRONIZED | COROSYNC4J_ONLY, fragmented().get(0)));
		seeds.add(Records.join(0, agreed));
		return seeds;
	}

	/** A 3000-byte message to group "a" cut by a small MTU, as a node sends it. */
	private static List<byte[]> fragmented() {
		Fragmenter fragmenter = new Fragmenter(1000);
		List<byte[]> out = new ArrayList<>();
		byte[] header = { 1, 0, 1, 0, 'a' };
		byte[] body = new byte[3000];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) i;
		}
		fragmenter.add(List.of(header, body), out::add);
		byte[] last = fragmenter.flush();
		if (last != null) {
			out.add(last);
		}
		return out;
	}

	private static byte[] record(int control, byte[] frame) {
		byte[] record = new byte[frame.length + 1];
		record[0] = (byte) control;
		System.arraycopy(frame, 0, record, 1, frame.length);
		return record;
	}

	private static boolean deliver(byte[] input) {
		Totempg totempg = new Totempg(1400, 64);
		long[] delivered = new long[1];
		Totempg.GroupListener listener = new Totempg.GroupListener() {

			@Override
			public void deliver(long nodeid, byte[] message, boolean bigEndian) {
				delivered[0] += message.length;
			}

			@Override
			public void deliver(long nodeid, byte[] buffer, int offset, int length, boolean bigEndian) {
				// what a listener may read: every byte of the view
				for (int i = offset; i < offset + length; i++) {
					delivered[0] += buffer[i];
				}
			}

		};
		totempg.register(listener).join(Group.SERVICES, Group.SYNC);
		totempg.register((nodeid, message, bigEndian) -> delivered[0]++).join(Group.COROSYNC4J);
		boolean waiting = (Records.flags(input) & 1) != 0;
		totempg.waitingTransAck(waiting);
		for (byte[] record : Records.split(input)) {
			if (record.length == 0) {
				continue;
			}
			int control = record[0] & 0xFF;
			if ((control & TOGGLE_WAITING) != 0) {
				waiting = !waiting;
				totempg.waitingTransAck(waiting);
			}
			if ((control & SYNCHRONIZED) != 0) {
				totempg.synchronizationCompleted((control & COROSYNC4J_ONLY) != 0, false);
			}
			byte[] payload = new byte[record.length - 1];
			System.arraycopy(record, 1, payload, 0, payload.length);
			totempg.deliver(control & 0x0F, payload, (control & BIG_ENDIAN) != 0);
		}
		return totempg.droppedMalformed() == 0 && totempg.droppedUnknownGroup() == 0;
	}

}
