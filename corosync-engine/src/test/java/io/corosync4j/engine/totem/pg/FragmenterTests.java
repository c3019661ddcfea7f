package io.corosync4j.engine.totem.pg;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the fragmenter cuts, worked out from {@code mcast_msg} by hand for a 50-byte frame
 * ({@code net_mtu} 58): a lone message has 48 bytes of room, and stays staged only while it leaves
 * two bytes spare. Whether a piece "fits" compares its whole length, so the rest of a piece that was
 * cut never fits and leaves at once.
 */
class FragmenterTests {

	private final Fragmenter fragmenter = new Fragmenter(58);

	private final List<PgFrame> sent = new ArrayList<>();

	@Test
	void smallMessagesWaitForTheTokenAndLeaveTogether() {
		add(bytes(10));
		add(bytes(20));
		assertThat(this.sent).isEmpty();
		PgFrame frame = flush();
		assertThat(frame.lengths()).containsExactly(10, 20);
		assertThat(frame.fragmented()).isZero();
		assertThat(frame.continuation()).isZero();
		assertThat(this.fragmenter.flush()).isNull();
	}

	@Test
	void aMessageWithoutTwoBytesSpareLeavesAtOnceWhole() {
		add(bytes(45));
		assertThat(this.sent).isEmpty();
		flush();
		add(bytes(46));
		assertThat(this.sent).singleElement().satisfies((frame) -> {
			assertThat(frame.lengths()).containsExactly(46);
			assertThat(frame.fragmented()).isZero();
		});
		assertThat(this.fragmenter.isEmpty()).isTrue();
	}

	@Test
	void aLargeMessageIsCutAndItsTailLeavesAtOnce() {
		add(bytes(49));
		assertThat(this.sent).hasSize(2);
		assertThat(this.sent.get(0).lengths()).containsExactly(48);
		assertThat(this.sent.get(0).fragmented()).isEqualTo(1);
		assertThat(this.sent.get(0).continuation()).isZero();
		assertThat(this.sent.get(1).lengths()).containsExactly(1);
		assertThat(this.sent.get(1).continuation()).isEqualTo(1);
		assertThat(this.sent.get(1).fragmented()).isZero();
		assertThat(this.fragmenter.isEmpty()).isTrue();
	}

	@Test
	void aCutPieceFollowedBySmallPiecesLeavesTheirTailForTheToken() {
		this.fragmenter.add(List.of(bytes(60), bytes(3)), (frame) -> this.sent.add(decode(frame)));
		// 48 bytes, then the piece's last 12 bytes at once (still fragmented: a piece follows)
		assertThat(this.sent).extracting(PgFrame::fragmented).containsExactly(1, 2);
		assertThat(this.sent.get(1).lengths()).containsExactly(12);
		PgFrame tail = flush();
		assertThat(tail.lengths()).containsExactly(3);
		assertThat(tail.continuation()).isEqualTo(2);
	}

	@Test
	void aCutAtAPieceBoundaryStillContinuesInTheNextFrame() {
		// header piece staged, then a piece that exactly fills the frame: the message goes on
		this.fragmenter.add(List.of(bytes(4), bytes(44), bytes(3)), (frame) -> this.sent.add(decode(frame)));
		assertThat(this.sent).singleElement().satisfies((frame) -> {
			assertThat(frame.lengths()).containsExactly(48);
			assertThat(frame.fragmented()).isEqualTo(1);
		});
		assertThat(flush().lengths()).containsExactly(3);
	}

	@Test
	void messagesAlreadyStagedShareTheFirstFrameOfACut() {
		add(bytes(10));
		add(bytes(60));
		// 50 − 2 × 2 = 46 bytes of room: 10 staged, 36 of the new message; then the other 24 at once
		assertThat(this.sent).hasSize(2);
		assertThat(this.sent.get(0).lengths()).containsExactly(10, 36);
		assertThat(this.sent.get(0).fragmented()).isEqualTo(1);
		assertThat(this.sent.get(1).lengths()).containsExactly(24);
		assertThat(this.sent.get(1).continuation()).isEqualTo(1);
	}

	@Test
	void tagsCountUpWithinAChainRestartAfterAWholeMessageAndSkipZero() {
		add(bytes(48 * 300));
		List<Integer> tags = this.sent.stream().map(PgFrame::fragmented).toList();
		assertThat(tags.subList(0, 3)).containsExactly(1, 2, 3);
		assertThat(tags.get(254)).isEqualTo(255);
		assertThat(tags.get(255)).isEqualTo(1);
		assertThat(tags.subList(0, tags.size() - 1)).doesNotContain(0);
		assertThat(tags.get(tags.size() - 1)).isZero();
		for (int i = 1; i < this.sent.size(); i++) {
			assertThat(this.sent.get(i).continuation()).isEqualTo(tags.get(i - 1));
		}
		this.sent.clear();
		add(bytes(5));
		add(bytes(100));
		assertThat(this.sent.get(0).fragmented()).isEqualTo(1);
	}

	private void add(byte[] message) {
		this.fragmenter.add(List.of(message), (frame) -> this.sent.add(decode(frame)));
	}

	private PgFrame flush() {
		byte[] frame = this.fragmenter.flush();
		assertThat(frame).isNotNull();
		return decode(frame);
	}

	private static PgFrame decode(byte[] frame) {
		PgFrame decoded = PgFrame.decode(frame, false);
		assertThat(decoded).isNotNull();
		return decoded;
	}

	private static byte[] bytes(int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (i * 7 + length);
		}
		return bytes;
	}

}
