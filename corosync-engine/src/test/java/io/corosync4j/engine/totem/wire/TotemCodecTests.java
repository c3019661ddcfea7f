package io.corosync4j.engine.totem.wire;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import io.corosync4j.engine.fixtures.CapturedPackets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.fail;

/**
 * Golden bytes from the wire reference, byte-order detection, and the rejections of malformed input.
 */
class TotemCodecTests {

	private static final HexFormat HEX = HexFormat.of();

	@Test
	void joinOfNode1() {
		byte[] bytes = HEX.parseHex("70c00303000100000000000000" + "01000000" + "02000000" + "00000000"
				+ "0500000000000000" + "01000000" + "02000000");
		MembJoin join = new MembJoin(1, 0, 1, List.of(1L, 2L), List.of(), 5);
		assertThat(decode(bytes)).isEqualTo(join);
		assertThat(TotemCodec.encode(join)).isEqualTo(bytes);
		assertThat(join.isLeave()).isFalse();
	}

	@Test
	void leaveOfNode1() {
		byte[] bytes = HEX.parseHex("70c00303000000000000000000" + "010000000000000001000000" + "050000000000000001000000");
		MembJoin leave = (MembJoin) decode(bytes);
		assertThat(leave.isLeave()).isTrue();
		assertThat(leave.failedList()).containsExactly(1L);
		assertThat(TotemCodec.encode(leave)).isEqualTo(bytes);
	}

	@Test
	void commitTokenOverKnet() {
		byte[] bytes = HEX.parseHex("70c00304000100000002000000" + "01000000" + "010000000900000000000000"
				+ "00000000" + "01000000" + "02000000" + "01000000" + "02000000" + "010000000500000000000000"
				+ "060000000600000001000000" + "00".repeat(24));
		MembCommitToken token = new MembCommitToken(1, 2, 1, new RingId(1, 9), 0, 1, List.of(1L, 2L),
				List.of(new MembEntry(new RingId(1, 5), 6, 6, 1), MembEntry.EMPTY));
		assertThat(bytes).hasSize(97);
		assertThat(decode(bytes)).isEqualTo(token);
		assertThat(TotemCodec.encode(token)).isEqualTo(bytes);
	}

	@Test
	void mergeDetectAndHoldCancel() {
		byte[] merge = HEX.parseHex("70c00302000100000000000000" + "01000000" + "010000000500000000000000");
		assertThat(decode(merge)).isEqualTo(new MembMergeDetect(1, 0, 1, new RingId(1, 5)));
		byte[] cancel = HEX.parseHex("70c00305000100000000000000" + "010000000d00000000000000");
		assertThat(decode(cancel)).isEqualTo(new TokenHoldCancel(1, 0, new RingId(1, 0xd)));
		assertThat(new RingId(1, 0xd)).hasToString("1.d");
	}

	@Test
	void bigEndianSenderIsDecoded() {
		OrfToken token = new OrfToken(3, 0, 10, 77, 9, 2, new RingId(1, 0x1a), 4, 5, 1,
				List.of(new RtrItem(new RingId(1, 0x1a), 10)));
		byte[] little = TotemCodec.encode(token);
		ByteBuf big = Unpooled.buffer();
		big.writeShort(0xC070).writeByte(3).writeByte(0).writeByte(0).writeInt(3).writeInt(0);
		big.writeInt(10).writeInt(77).writeInt(9).writeInt(2).writeInt(1).writeLong(0x1a).writeInt(4).writeInt(5)
			.writeInt(1).writeInt(1).writeInt(1).writeLong(0x1a).writeInt(10);
		assertThat(big.readableBytes()).isEqualTo(little.length);
		assertThat(TotemCodec.decode(big)).isEqualTo(token);
		MembJoin join = new MembJoin(2, 0, 2, List.of(1L, 2L), List.of(3L), 0x16);
		ByteBuf bigJoin = Unpooled.buffer();
		bigJoin.writeShort(0xC070).writeByte(3).writeByte(3).writeByte(0).writeInt(2).writeInt(0).writeInt(2)
			.writeInt(2).writeInt(1).writeLong(0x16).writeInt(1).writeInt(2).writeInt(3);
		assertThat(TotemCodec.decode(bigJoin)).isEqualTo(join);
	}

	@Test
	void bigEndianMcastKeepsItsByteOrderThroughRecovery() {
		ByteBuf big = Unpooled.buffer();
		big.writeShort(0xC070).writeByte(3).writeByte(1).writeByte(Mcast.REGULAR).writeInt(7).writeInt(0);
		big.writeInt(7).writeInt(40).writeInt(12).writeInt(7).writeLong(0x21).writeInt(0).writeInt(0);
		big.writeBytes(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, 0, 5 });
		byte[] wire = new byte[big.readableBytes()];
		big.getBytes(0, wire);
		Mcast decoded = (Mcast) decode(wire);
		assertThat(decoded.bigEndian()).isTrue();
		assertThat(decoded.seq()).isEqualTo(40);
		assertThat(decoded.ringId()).isEqualTo(new RingId(7, 0x21));
		assertThat(TotemCodec.encode(decoded)).isEqualTo(wire);
		// a little-endian node re-sends it in recovery: the copy inside keeps the originator's order
		Mcast carrier = new Mcast(1, 0, Mcast.ENCAPSULATED, 1, 3, 9, new RingId(1, 0x25), 0, 0, wire);
		Mcast received = (Mcast) decode(TotemCodec.encode(carrier));
		assertThat(received.bigEndian()).isFalse();
		assertThat(received.inner()).isEqualTo(decoded);
	}

	@Test
	void encapsulatedMessageCarriesAnOldRingMessage() {
		Mcast inner = new Mcast(2, 0, Mcast.REGULAR, 2, 476, 200, new RingId(1, 0xd), 0, 0, new byte[] { 1, 2, 3 });
		Mcast outer = new Mcast(2, 0, Mcast.ENCAPSULATED, 2, 1, 266, new RingId(1, 0x11), 0, 0,
				TotemCodec.encode(inner));
		Mcast decoded = (Mcast) decode(TotemCodec.encode(outer));
		assertThat(decoded).isEqualTo(outer);
		assertThat(decoded.inner()).isEqualTo(inner);
		byte[] notAnMcast = TotemCodec.encode(new Mcast(2, 0, Mcast.ENCAPSULATED, 2, 1, 266, new RingId(1, 0x11), 0, 0,
				TotemCodec.encode(new TokenHoldCancel(1, 0, new RingId(1, 1)))));
		assertThat(decode(notAnMcast)).isEqualTo(Rejection.BAD_ENCAPSULATION);
		byte[] doubly = TotemCodec.encode(new Mcast(2, 0, Mcast.ENCAPSULATED, 2, 2, 267, new RingId(1, 0x15), 0, 0,
				TotemCodec.encode(outer)));
		assertThat(decode(doubly)).isEqualTo(Rejection.BAD_ENCAPSULATION);
	}

	@Test
	void malformedInputIsRejectedNotThrown() {
		byte[] token = TotemCodec.encode(new OrfToken(1, 0, 5, 6, 5, 0, new RingId(1, 5), 0, 0, 0,
				List.of(new RtrItem(new RingId(1, 5), 4))));
		assertThat(decode(new byte[0])).isEqualTo(Rejection.TRUNCATED);
		assertThat(decode(HEX.parseHex("70c003"))).isEqualTo(Rejection.TRUNCATED);
		assertThat(decode(java.util.Arrays.copyOf(token, token.length - 1))).isEqualTo(Rejection.TRUNCATED);
		assertThat(decode(java.util.Arrays.copyOf(token, token.length + 1))).isEqualTo(Rejection.OVERSIZED);
		assertThat(decode(with(token, 0, 0xFF, 0xFF))).isEqualTo(Rejection.BAD_MAGIC);
		assertThat(decode(with(token, 2, 2))).as("Corosync 2.x version byte").isEqualTo(Rejection.UNSUPPORTED_VERSION);
		assertThat(decode(with(token, 3, 6))).isEqualTo(Rejection.UNKNOWN_TYPE);
		assertThat(decode(with(token, 53, 31, 0, 0, 0))).isEqualTo(Rejection.TOO_MANY_ENTRIES);
		assertThat(decode(with(token, 53, 0xFF, 0xFF, 0xFF, 0xFF))).as("negative count")
			.isEqualTo(Rejection.TOO_MANY_ENTRIES);
		byte[] join = TotemCodec.encode(new MembJoin(1, 0, 1, List.of(1L), List.of(), 1));
		assertThat(decode(with(join, 17, 2, 0, 0, 0))).isEqualTo(Rejection.TRUNCATED);
		assertThat(decode(with(join, 21, 0x81, 1, 0, 0))).isEqualTo(Rejection.TOO_MANY_ENTRIES);
		byte[] commit = TotemCodec.encode(new MembCommitToken(1, 0, 1, new RingId(1, 9), 0, 1, List.of(1L),
				List.of(new MembEntry(new RingId(1, 5), 0, 0, 1))));
		assertThat(decode(with(commit, 33, 2, 0, 0, 0))).isEqualTo(Rejection.INCONSISTENT);
		assertThat(decode(java.util.Arrays.copyOf(commit, 40))).isEqualTo(Rejection.TRUNCATED);
		assertThat(decode(HEX.parseHex("70c00300" + "00".repeat(9)))).isEqualTo(Rejection.TRUNCATED);
	}

	@Test
	void fieldsOutsideTheirWireRangeAreRefusedWhenBuilding() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RingId(-1, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new MembJoin(1L << 32, 0, 1, List.of(), List.of(), 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new OrfToken(1, 0, 0, 0, 0, 0, new RingId(1, 1), 0, 0, 0,
				java.util.Collections.nCopies(31, new RtrItem(new RingId(1, 1), 1))));
		assertThatIllegalArgumentException().isThrownBy(() -> new MembCommitToken(1, 0, 1, new RingId(1, 1), 0, 0,
				List.of(1L, 2L), List.of(MembEntry.EMPTY)));
	}

	@Test
	void decodingLeavesTheReaderIndexAlone() {
		ByteBuf buffer = Unpooled.wrappedBuffer(TotemCodec.encode(new TokenHoldCancel(1, 0, new RingId(1, 1))));
		TotemCodec.decode(buffer);
		assertThat(buffer.readerIndex()).isZero();
	}

	@Test
	void mutatedCapturedPacketsNeverThrow() {
		List<CapturedPackets.Packet> packets = CapturedPackets.load("udpu-3node-lifecycle");
		Random random = new Random(7);
		int rejected = 0;
		for (int round = 0; round < 50_000; round++) {
			byte[] bytes = packets.get(random.nextInt(packets.size())).payload().clone();
			switch (random.nextInt(4)) {
				case 0 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
				case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
				case 2 -> bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
				default -> {
					for (int i = 0; i < 4; i++) {
						bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
					}
				}
			}
			try {
				DecodeResult result = decode(bytes);
				if (result instanceof Rejection) {
					rejected++;
				}
				else {
					TotemCodec.encode((TotemMessage) result);
				}
			}
			catch (RuntimeException ex) {
				fail("round " + round + " threw for " + HEX.formatHex(bytes), ex);
			}
		}
		assertThat(rejected).as("mutations must be caught").isGreaterThan(10_000);
	}

	private static DecodeResult decode(byte[] bytes) {
		return TotemCodec.decode(Unpooled.wrappedBuffer(bytes));
	}

	private static byte[] with(byte[] bytes, int offset, int... values) {
		byte[] copy = bytes.clone();
		for (int i = 0; i < values.length; i++) {
			copy[offset + i] = (byte) values[i];
		}
		return copy;
	}

}
