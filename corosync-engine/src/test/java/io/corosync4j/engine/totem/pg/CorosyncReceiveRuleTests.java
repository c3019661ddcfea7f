package io.corosync4j.engine.totem.pg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reassembler's Corosync mode decides what to deliver exactly as Corosync 3.1.7's
 * {@code totempg_deliver_fn} does: the same frames delivered, the same number of messages from each,
 * through throw-away, assembly resets, nodes leaving, and the switches between the synchronization and
 * the normal assemblies. The model below restates Corosync's steps (including the ones that keep wrong
 * bytes, which is why only where and how many are compared, not the bytes).
 */
class CorosyncReceiveRuleTests {

	@Test
	void decisionsMatchCorosyncsOnRandomStreams() {
		for (long seed = 1; seed <= 300; seed++) {
			compare(seed);
		}
	}

	private static void compare(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		Reassembler ours = new Reassembler();
		Model corosync = new Model();
		List<String> oursLog = new ArrayList<>();
		List<String> theirLog = new ArrayList<>();
		int[] frameNumber = new int[1];
		Map<Long, Fragmenter> senders = new HashMap<>();
		List<String> events = new ArrayList<>();
		for (int step = 0; step < 3000; step++) {
			int what = random.nextInt(100);
			if (what < 2) {
				long gone = random.nextInt(1, 4);
				ours.forget(List.of(gone));
				corosync.forget(gone);
				events.add("forget " + gone);
				continue;
			}
			if (what < 4) {
				boolean waiting = random.nextBoolean();
				ours.waitingTransAck(waiting);
				corosync.waiting = waiting;
				events.add("waiting " + waiting);
				continue;
			}
			long nodeid = random.nextInt(1, 4);
			Fragmenter fragmenter = senders.computeIfAbsent(nodeid, (n) -> new Fragmenter(200 + random.nextInt(1200)));
			List<byte[]> frames = new ArrayList<>();
			if (what < 10) {
				// a sender that restarts: a new fragmenter, its chain numbering from scratch
				senders.put(nodeid, new Fragmenter(200 + random.nextInt(1200)));
				events.add("restart " + nodeid);
				continue;
			}
			int size = random.nextInt(10) == 0 ? random.nextInt(1, 20_000) : random.nextInt(1, 600);
			fragmenter.add(List.of(new byte[size]), frames::add);
			if (random.nextInt(5) == 0) {
				byte[] flushed = fragmenter.flush();
				if (flushed != null) {
					frames.add(flushed);
				}
			}
			for (byte[] frame : frames) {
				if (random.nextInt(25) == 0) {
					// lost to this receiver (it was not in that ring)
					events.add("skip a frame of " + nodeid);
					continue;
				}
				int at = frameNumber[0]++;
				ours.receive(nodeid, frame, false, (node, buffer, offset, length, bigEndian) -> oursLog.add(at + ":" + node));
				corosync.receive(nodeid, frame, (node) -> theirLog.add(at + ":" + node));
				if (!oursLog.equals(theirLog)) {
					int last = Math.max(0, events.size() - 12);
					assertThat(oursLog).as("seed %d, frame %d of node %d; last events %s", seed, at, nodeid,
							events.subList(last, events.size())).isEqualTo(theirLog);
				}
				events.add("frame " + at + " of " + nodeid);
			}
		}
	}

	/** Corosync 3.1.7's receiving steps ({@code assembly_ref}, {@code totempg_deliver_fn}), restated. */
	private static final class Model {

		interface Sink {

			void delivered(long nodeid);

		}

		private static final class Assembly {

			final byte[] data = new byte[Reassembler.ASSEMBLY_CAPACITY];

			int index;

			int lastFragment;

			boolean throwAway;

		}

		private final Map<Long, Assembly> normal = new HashMap<>();

		private final Map<Long, Assembly> transitional = new HashMap<>();

		boolean waiting;

		void forget(long nodeid) {
			this.normal.remove(nodeid);
			this.transitional.remove(nodeid);
		}

		void receive(long nodeid, byte[] payload, Sink sink) {
			Map<Long, Assembly> set = this.waiting ? this.transitional : this.normal;
			// assembly_ref: an assembly in use, else a fresh one
			Assembly assembly = set.computeIfAbsent(nodeid, (n) -> new Assembly());
			PgFrame frame = PgFrame.decode(payload, false);
			if (frame == null) {
				return;
			}
			int[] lengths = frame.lengths();
			System.arraycopy(frame.data(), frame.dataOffset(), assembly.data, assembly.index, frame.dataLength());
			int complete = (frame.fragmented() != 0) ? frame.count() - 1 : frame.count();
			if (assembly.throwAway) {
				if (frame.fragmented() == 0 || frame.fragmented() == 1) {
					assembly.throwAway = false;
					// the first block is skipped and nothing of this frame is delivered
					assembly.index += lengths[0];
				}
			}
			else if (frame.continuation() == assembly.lastFragment) {
				assembly.lastFragment = frame.fragmented();
				for (int i = 0; i < complete; i++) {
					sink.delivered(nodeid);
					assembly.index += lengths[i];
				}
			}
			else {
				assembly.throwAway = true;
			}
			if (frame.fragmented() == 0) {
				// assembly_deref: the next frame of this node gets a fresh assembly
				set.remove(nodeid);
			}
			else {
				if (frame.count() > 1) {
					assembly.index = 0;
				}
				assembly.index += lengths[complete];
				if (assembly.index >= assembly.data.length / 2) {
					// Corosync keeps adding here while it throws away; only the bytes suffer, not the decisions
					assembly.index = lengths[complete];
				}
			}
		}

	}

}
