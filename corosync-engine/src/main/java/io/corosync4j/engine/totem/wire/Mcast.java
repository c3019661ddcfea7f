package io.corosync4j.engine.totem.wire;

import java.util.Arrays;
import java.util.HexFormat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;


/**
 * A multicast message ({@code struct mcast}): 45 bytes of header, then the payload — totempg data, or
 * for an encapsulated (recovery) message a whole MCAST of the old ring.
 *
 * @param nodeid the originator (the sender id applications see)
 * @param targetNodeid unused (may hold anything on udp/udpu)
 * @param encapsulation {@link #ENCAPSULATED} for a recovery copy of an old-ring message, else {@link #REGULAR}
 * @param systemFrom the originator, used for foreign-ring and EVS filtering
 * @param seq the ring sequence number
 * @param thisSeqno the sender's own running counter (informational)
 * @param ringId the ring the message was sent in
 * @param nodeIdField {@code node_id}: always 0 in Corosync 3
 * @param guarantee 0 agreed, 1 safe (carried, never acted upon)
 * @param payload the bytes after the header
 * @param bigEndian whether the originator wrote it in big-endian order: the payload (totempg data, or
 * an encapsulated message) stays in that order, and re-encoding keeps it so, as Corosync's recovery
 * copies a message's bytes unchanged
 */
public record Mcast(long nodeid, long targetNodeid, int encapsulation, long systemFrom, long seq, long thisSeqno,
		RingId ringId, long nodeIdField, long guarantee, byte[] payload, boolean bigEndian) implements TotemMessage {

	public static final int HEADER_SIZE = 45;

	/** {@code MESSAGE_ENCAPSULATED}. */
	public static final int ENCAPSULATED = 1;

	/** {@code MESSAGE_NOT_ENCAPSULATED}. */
	public static final int REGULAR = 2;

	public Mcast {
		Wire.checkU32(nodeid, "nodeid");
		Wire.checkU32(targetNodeid, "targetNodeid");
		Wire.checkU32(systemFrom, "systemFrom");
		Wire.checkU32(seq, "seq");
		Wire.checkU32(thisSeqno, "thisSeqno");
		Wire.checkU32(nodeIdField, "nodeIdField");
		Wire.checkU32(guarantee, "guarantee");
		if (encapsulation < 0 || encapsulation > 255) {
			throw new IllegalArgumentException("encapsulation " + encapsulation + " is not a byte");
		}
	}

	/** A message in little-endian order, as corosync4j sends. */
	public Mcast(long nodeid, long targetNodeid, int encapsulation, long systemFrom, long seq, long thisSeqno,
			RingId ringId, long nodeIdField, long guarantee, byte[] payload) {
		this(nodeid, targetNodeid, encapsulation, systemFrom, seq, thisSeqno, ringId, nodeIdField, guarantee, payload,
				false);
	}

	public boolean isEncapsulated() {
		return this.encapsulation == ENCAPSULATED;
	}

	/**
	 * The old-ring message an encapsulated MCAST carries.
	 * @throws IllegalStateException when this message is not encapsulated
	 */
	public Mcast inner() {
		if (!isEncapsulated()) {
			throw new IllegalStateException("not an encapsulated message");
		}
		DecodeResult result = TotemCodec.decode(Unpooled.wrappedBuffer(this.payload));
		if (!(result instanceof Mcast mcast)) {
			throw new IllegalStateException("the encapsulated payload is not an MCAST: " + result);
		}
		return mcast;
	}

	@Override
	public MessageType type() {
		return MessageType.MCAST;
	}

	@Override
	public int encodedLength() {
		return HEADER_SIZE + this.payload.length;
	}

	@Override
	public void encode(ByteBuf out) {
		if (this.bigEndian) {
			Wire.writeHeader(out, MessageType.MCAST, this.encapsulation, this.nodeid, this.targetNodeid, true);
			out.writeInt((int) this.systemFrom);
			out.writeInt((int) this.seq);
			out.writeInt((int) this.thisSeqno);
			out.writeInt((int) this.ringId.rep());
			out.writeLong(this.ringId.seq());
			out.writeInt((int) this.nodeIdField);
			out.writeInt((int) this.guarantee);
		}
		else {
			Wire.writeHeader(out, MessageType.MCAST, this.encapsulation, this.nodeid, this.targetNodeid);
			out.writeIntLE((int) this.systemFrom);
			out.writeIntLE((int) this.seq);
			out.writeIntLE((int) this.thisSeqno);
			this.ringId.encode(out);
			out.writeIntLE((int) this.nodeIdField);
			out.writeIntLE((int) this.guarantee);
		}
		out.writeBytes(this.payload);
	}

	static DecodeResult decode(WireReader in) {
		if (in.length() < HEADER_SIZE) {
			return Rejection.TRUNCATED;
		}
		int encapsulation = in.u8(4);
		byte[] payload = in.bytes(HEADER_SIZE, in.length() - HEADER_SIZE);
		if (encapsulation == ENCAPSULATED) {
			// the copy keeps its originator's byte order, which may differ from the carrier's
			DecodeResult result = TotemCodec.decode(Unpooled.wrappedBuffer(payload));
			if (!(result instanceof Mcast mcast) || mcast.isEncapsulated()) {
				return Rejection.BAD_ENCAPSULATION;
			}
		}
		return new Mcast(in.u32(5), in.u32(9), encapsulation, in.u32(13), in.u32(17), in.u32(21), RingId.decode(in, 25),
				in.u32(37), in.u32(41), payload, in.bigEndian());
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof Mcast mcast) && this.nodeid == mcast.nodeid && this.targetNodeid == mcast.targetNodeid
				&& this.encapsulation == mcast.encapsulation && this.systemFrom == mcast.systemFrom
				&& this.seq == mcast.seq && this.thisSeqno == mcast.thisSeqno && this.ringId.equals(mcast.ringId)
				&& this.nodeIdField == mcast.nodeIdField && this.guarantee == mcast.guarantee
				&& this.bigEndian == mcast.bigEndian && Arrays.equals(this.payload, mcast.payload);
	}

	@Override
	public int hashCode() {
		return 31 * Long.hashCode(this.seq) + 17 * this.ringId.hashCode() + Arrays.hashCode(this.payload);
	}

	@Override
	public String toString() {
		String head = HexFormat.of().formatHex(this.payload, 0, Math.min(this.payload.length, 16));
		return "Mcast[nodeid=" + this.nodeid + ", encapsulation=" + this.encapsulation + ", systemFrom="
				+ this.systemFrom + ", seq=" + this.seq + ", thisSeqno=" + this.thisSeqno + ", ringId=" + this.ringId
				+ ", payload=" + this.payload.length + " bytes " + head + ((this.payload.length > 16) ? "…" : "") + "]";
	}

}
