package io.corosync4j.engine.totem.pg;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReassemblerTests {

	private final Reassembler reassembler = new Reassembler();

	private final List<byte[]> delivered = new ArrayList<>();

	@Test
	void whatTheFragmenterCutsComesBackWholeAndInOrder() {
		SplittableRandom random = new SplittableRandom(42);
		for (int netMtu : new int[] { 58, 200, 1410, 65446 }) {
			Fragmenter fragmenter = new Fragmenter(netMtu);
			List<byte[]> frames = new ArrayList<>();
			List<byte[]> sent = new ArrayList<>();
			for (int i = 0; i < 400; i++) {
				int size = random.nextInt(10) == 0 ? random.nextInt(1, 300_000) : random.nextInt(1, 3 * netMtu);
				List<byte[]> pieces = new ArrayList<>();
				int left = size;
				while (left > 0) {
					int piece = Math.min(left, random.nextInt(0, 2) == 0 ? left : random.nextInt(0, left + 1));
					pieces.add(bytes(random, piece));
					left -= piece;
				}
				sent.add(concat(pieces));
				fragmenter.add(pieces, frames::add);
				if (random.nextInt(4) == 0) {
					byte[] frame = fragmenter.flush();
					if (frame != null) {
						frames.add(frame);
					}
				}
			}
			byte[] last = fragmenter.flush();
			if (last != null) {
				frames.add(last);
			}
			this.delivered.clear();
			frames.forEach((frame) -> receive(7, frame));
			assertThat(this.delivered).as("net_mtu %d", netMtu).hasSize(sent.size());
			for (int i = 0; i < sent.size(); i++) {
				assertThat(this.delivered.get(i)).isEqualTo(sent.get(i));
			}
		}
	}

	@Test
	void aNodeThatMissedTheStartOfAChainThrowsItAwayLikeCorosync() {
		Fragmenter fragmenter = new Fragmenter(58);
		List<byte[]> frames = new ArrayList<>();
		fragmenter.add(List.of(filled(120, 1)), frames::add);
		fragmenter.add(List.of(filled(5, 2)), frames::add);
		fragmenter.add(List.of(filled(6, 3)), frames::add);
		frames.add(fragmenter.flush());
		fragmenter.add(List.of(filled(7, 4)), frames::add);
		frames.add(fragmenter.flush());
		// frames: 120 = 48 + 48 + 24 (the last at once), then [5, 6], then [7]
		assertThat(frames).hasSize(5);
		frames.subList(1, frames.size()).forEach((frame) -> receive(3, frame));
		// the middle of the chain is thrown away and so is the frame that ends it; later frames are normal
		assertThat(this.delivered).extracting((message) -> message.length).containsExactly(5, 6, 7);
	}

	@Test
	void theFrameThatEndsAThrownAwayChainIsDroppedWhole() {
		List<byte[]> frames = aChainEndingInAPackedFrame();
		receive(4, frames.get(1));
		receive(4, frames.get(2));
		assertThat(this.delivered).extracting((message) -> message.length).containsExactly(7);
	}

	@Test
	void underTheAgreedRuleAnOrphanedChunkIsDroppedAloneAndWhatIsPackedBehindItDelivered() {
		this.reassembler.synchronizationCompleted(true);
		List<byte[]> frames = aChainEndingInAPackedFrame();
		// Corosync drops the 10 with the orphan
		receive(4, frames.get(1));
		receive(4, frames.get(2));
		assertThat(this.delivered).extracting((message) -> message.length).containsExactly(10, 7);
		assertThat(this.reassembler.drops(Reassembler.Drop.ORPHANED)).isEqualTo(1);
	}

	@Test
	void underTheAgreedRuleAMiddleOfAChainWithoutItsStartIsDroppedUntilANewMessageStarts() {
		this.reassembler.synchronizationCompleted(true);
		Fragmenter fragmenter = new Fragmenter(58);
		List<byte[]> frames = new ArrayList<>();
		fragmenter.add(List.of(filled(120, 1)), frames::add);
		fragmenter.add(List.of(filled(5, 2)), frames::add);
		fragmenter.add(List.of(filled(60, 3)), frames::add);
		byte[] last = fragmenter.flush();
		if (last != null) {
			frames.add(last);
		}
		frames.subList(1, frames.size()).forEach((frame) -> receive(3, frame));
		assertThat(this.delivered).extracting((message) -> message.length).containsExactly(5, 60);
	}

	@Test
	void completingSynchronizationUnderTheAgreedRuleForgetsPartialMessagesEverywhere() {
		Fragmenter fragmenter = new Fragmenter(58);
		List<byte[]> frames = new ArrayList<>();
		fragmenter.add(List.of(filled(100, 1)), frames::add);
		receive(5, frames.get(0));
		this.reassembler.synchronizationCompleted(true);
		receive(5, frames.get(1));
		receive(5, frames.get(2));
		// a node that joined now never saw the start: neither delivers the message
		assertThat(this.delivered).isEmpty();
		assertThat(this.reassembler.drops(Reassembler.Drop.ORPHANED)).isEqualTo(3);
		// with a Corosync member in the ring the partial message is kept, as Corosync keeps it
		this.reassembler.synchronizationCompleted(false);
		receive(5, frames.get(0));
		this.reassembler.synchronizationCompleted(false);
		receive(5, frames.get(1));
		receive(5, frames.get(2));
		assertThat(this.delivered).extracting((message) -> message.length).containsExactly(100);
	}

	@Test
	void malformedFramesAreCountedNotThrown() {
		receive(1, new byte[3]);
		receive(1, new byte[] { 0, 0, 0, 0, 0, 0, 2, 0, 5, 0 });
		receive(1, new byte[] { 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 9, 9 });
		assertThat(this.reassembler.drops(Reassembler.Drop.MALFORMED)).isEqualTo(3);
		assertThat(this.delivered).isEmpty();
	}

	@Test
	void aChainBiggerThanTheAssemblyBufferIsDroppedAndCounted() {
		Fragmenter fragmenter = new Fragmenter(65446);
		List<byte[]> frames = new ArrayList<>();
		fragmenter.add(List.of(new byte[Reassembler.ASSEMBLY_CAPACITY + 10]), frames::add);
		frames.forEach((frame) -> receive(2, frame));
		assertThat(this.reassembler.drops(Reassembler.Drop.TOO_LARGE)).isEqualTo(1);
		assertThat(this.delivered).isEmpty();
	}

	@Test
	void nodesThatLeftAreForgottenAndSynchronizationUsesItsOwnAssemblies() {
		Fragmenter fragmenter = new Fragmenter(58);
		List<byte[]> frames = new ArrayList<>();
		fragmenter.add(List.of(filled(100, 1)), frames::add);
		receive(5, frames.get(0));
		this.reassembler.waitingTransAck(true);
		receive(5, frames.get(1));
		receive(5, frames.get(2));
		// the chain started in normal operation does not continue in the synchronization set
		assertThat(this.delivered).isEmpty();
		this.reassembler.waitingTransAck(false);
		this.reassembler.forget(List.of(5L));
		receive(5, frames.get(1));
		receive(5, frames.get(2));
		assertThat(this.delivered).isEmpty();
	}

	/** [30, 16 of 40] tag 1; [the other 24, 10] ending the chain; [7]. */
	private static List<byte[]> aChainEndingInAPackedFrame() {
		Fragmenter fragmenter = new Fragmenter(58);
		List<byte[]> frames = new ArrayList<>();
		fragmenter.add(List.of(filled(30, 1)), frames::add);
		fragmenter.add(List.of(filled(40, 2)), frames::add);
		fragmenter.add(List.of(filled(10, 3)), frames::add);
		frames.add(fragmenter.flush());
		fragmenter.add(List.of(filled(7, 4)), frames::add);
		frames.add(fragmenter.flush());
		assertThat(frames).hasSize(3);
		return frames;
	}

	private void receive(long nodeid, byte[] frame) {
		this.reassembler.receive(nodeid, frame, false, (from, buffer, offset, length, bigEndian) -> this.delivered
			.add(java.util.Arrays.copyOfRange(buffer, offset, offset + length)));
	}

	private static byte[] filled(int length, int value) {
		byte[] bytes = new byte[length];
		java.util.Arrays.fill(bytes, (byte) value);
		return bytes;
	}

	private static byte[] bytes(SplittableRandom random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private static byte[] concat(List<byte[]> pieces) {
		int total = pieces.stream().mapToInt((piece) -> piece.length).sum();
		byte[] all = new byte[total];
		int at = 0;
		for (byte[] piece : pieces) {
			System.arraycopy(piece, 0, all, at, piece.length);
			at += piece.length;
		}
		return all;
	}

	@Test
	void aFrameWithoutChunksThatSaysItContinuesIsDroppedAsMalformed() {
		// found by FuzzMain (seed 20261205, totempg input 517490): fragmented 2, continuation 0, no chunks
		byte[] frame = { 0, 0, (byte) 0x90, 1, 2, 0, 0, 0 };
		for (boolean agreed : new boolean[] { false, true }) {
			Reassembler reassembler = new Reassembler();
			reassembler.synchronizationCompleted(agreed);
			List<Integer> delivered = new ArrayList<>();
			reassembler.receive(2, frame, false, (nodeid, buffer, offset, length, bigEndian) -> delivered.add(length));
			assertThat(delivered).isEmpty();
			assertThat(reassembler.drops(Reassembler.Drop.MALFORMED)).isEqualTo(1);
		}
	}

}
