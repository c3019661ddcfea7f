package io.corosync4j.engine.totem.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Decodes Totem messages as {@code exec/totemsrp.c} receives them: header checks
 * ({@code check_message_header_validity}), then the type's own length and count checks, in the
 * sender's byte order. Anything that is not a well-formed message is a {@link Rejection}.
 */
public final class TotemCodec {

	private TotemCodec() {
	}

	/**
	 * Decodes the readable bytes of {@code in} without moving its reader index.
	 * @param in one datagram's Totem message
	 * @return the message, or why it is not one
	 */
	public static DecodeResult decode(ByteBuf in) {
		int length = in.readableBytes();
		if (length < Wire.HEADER_SIZE) {
			return Rejection.TRUNCATED;
		}
		int first = in.getUnsignedByte(in.readerIndex());
		int second = in.getUnsignedByte(in.readerIndex() + 1);
		boolean bigEndian;
		if (first == 0x70 && second == 0xC0) {
			bigEndian = false;
		}
		else if (first == 0xC0 && second == 0x70) {
			bigEndian = true;
		}
		else {
			return Rejection.BAD_MAGIC;
		}
		return decode(new WireReader(in, in.readerIndex(), length, bigEndian));
	}

	static DecodeResult decode(WireReader in) {
		if (in.length() < Wire.HEADER_SIZE) {
			return Rejection.TRUNCATED;
		}
		// the magic in the sender's order
		if (in.u8(0) != (in.bigEndian() ? 0xC0 : 0x70) || in.u8(1) != (in.bigEndian() ? 0x70 : 0xC0)) {
			return Rejection.BAD_MAGIC;
		}
		if (in.u8(2) != Wire.VERSION) {
			return Rejection.UNSUPPORTED_VERSION;
		}
		MessageType type = MessageType.of(in.u8(3));
		if (type == null) {
			return Rejection.UNKNOWN_TYPE;
		}
		return switch (type) {
			case ORF_TOKEN -> OrfToken.decode(in);
			case MCAST -> Mcast.decode(in);
			case MEMB_MERGE_DETECT -> MembMergeDetect.decode(in);
			case MEMB_JOIN -> MembJoin.decode(in);
			case MEMB_COMMIT_TOKEN -> MembCommitToken.decode(in);
			case TOKEN_HOLD_CANCEL -> TokenHoldCancel.decode(in);
		};
	}

	/**
	 * Encodes a message into a new array; the token path encodes into pooled buffers with
	 * {@link TotemMessage#encode} instead.
	 */
	public static byte[] encode(TotemMessage message) {
		ByteBuf out = Unpooled.buffer(message.encodedLength());
		message.encode(out);
		byte[] bytes = new byte[out.readableBytes()];
		out.readBytes(bytes);
		return bytes;
	}

}
