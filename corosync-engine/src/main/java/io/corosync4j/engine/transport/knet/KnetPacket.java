package io.corosync4j.engine.transport.knet;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * A knet onwire v1 packet ({@code corosync-wire.md} §14), before encryption: a 6-byte header (version 1,
 * type, big-endian source host id, two pad bytes), then the type's fields. Codecs are symmetric:
 * {@code decode(encode(p))} equals {@code p}, and {@code encode(decode(b))} is {@code b} for every packet
 * libknet 1.x sends.
 */
public sealed interface KnetPacket permits KnetPacket.Data, KnetPacket.Ping, KnetPacket.Pmtud {

	int VERSION = 1;

	int HEADER = 6;

	int TYPE_DATA = 0x00;

	int TYPE_PING = 0x81;

	int TYPE_PONG = 0x82;

	int TYPE_PMTUD = 0x83;

	int TYPE_PMTUD_REPLY = 0x84;

	/** The sending host (the Corosync node id, 16 bits on the wire). */
	int node();

	byte[] encode();

	/**
	 * DATA: one Totem message, or a fragment of one.
	 *
	 * @param node the sender
	 * @param seq the sender's data sequence number (1…65535, 0 reserved)
	 * @param broadcast whether it went to every reachable host
	 * @param fragments how many fragments the message was cut into (1 = whole)
	 * @param fragment which one this is (0 when whole, else 1…fragments)
	 * @param channel the datafd channel (Corosync's Totem is 0)
	 * @param payload the message bytes
	 */
	record Data(int node, int seq, boolean broadcast, int fragments, int fragment, int channel, byte[] payload)
			implements KnetPacket {

		public static final int SIZE = 14;

		@Override
		public byte[] encode() {
			ByteBuf out = Unpooled.buffer(SIZE + this.payload.length);
			writeData(out, this.node, this.seq, this.broadcast, this.fragments, this.fragment, this.channel);
			out.writeBytes(this.payload);
			return out.array();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Data data && data.node == this.node && data.seq == this.seq
					&& data.broadcast == this.broadcast && data.fragments == this.fragments
					&& data.fragment == this.fragment && data.channel == this.channel
					&& Arrays.equals(data.payload, this.payload);
		}

		@Override
		public int hashCode() {
			return 31 * this.seq + Arrays.hashCode(this.payload);
		}

		@Override
		public String toString() {
			return "Data[node=" + this.node + ", seq=" + this.seq + ", broadcast=" + this.broadcast + ", fragment="
					+ this.fragment + "/" + this.fragments + ", channel=" + this.channel + ", " + this.payload.length
					+ " bytes]";
		}

	}

	/**
	 * PING, or the PONG that echoes it (type and node changed, the rest as received).
	 *
	 * @param pong whether this is the answer
	 * @param node the sender
	 * @param link the pinging sender's link id
	 * @param time the pinger's timestamp, 16 opaque bytes echoed back
	 * @param seq the pinger's current data sequence number (0 tells the receiver to clear its window)
	 * @param timed 1 for a periodic ping, 0 for a forced one
	 */
	record Ping(boolean pong, int node, int link, byte[] time, int seq, int timed) implements KnetPacket {

		public static final int SIZE = 26;

		/** The PONG a host {@code responder} sends back. */
		public Ping answer(int responder) {
			return new Ping(true, responder, this.link, this.time, this.seq, this.timed);
		}

		@Override
		public byte[] encode() {
			ByteBuf out = Unpooled.buffer(SIZE);
			writeHeader(out, this.pong ? TYPE_PONG : TYPE_PING, this.node);
			out.writeByte(this.link);
			out.writeBytes(this.time, 0, 16);
			out.writeShort(this.seq);
			out.writeByte(this.timed);
			return out.array();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Ping ping && ping.pong == this.pong && ping.node == this.node
					&& ping.link == this.link && Arrays.equals(ping.time, this.time) && ping.seq == this.seq
					&& ping.timed == this.timed;
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.time) + this.seq;
		}

		@Override
		public String toString() {
			return (this.pong ? "Pong" : "Ping") + "[node=" + this.node + ", link=" + this.link + ", seq=" + this.seq
					+ ", timed=" + this.timed + "]";
		}

	}

	/**
	 * PMTUD probe, or its reply (the probe's first 9 bytes with the type and node changed).
	 *
	 * @param reply whether this is the reply
	 * @param node the sender
	 * @param link the prober's link id
	 * @param size the probed IP packet size (host order on the wire, little-endian)
	 * @param length the packet's whole length (the probe is padded to it; a reply has 9)
	 */
	record Pmtud(boolean reply, int node, int link, int size, int length) implements KnetPacket {

		public static final int SIZE = 9;

		public Pmtud answer(int responder) {
			return new Pmtud(true, responder, this.link, this.size, SIZE);
		}

		@Override
		public byte[] encode() {
			ByteBuf out = Unpooled.buffer(this.length);
			writeHeader(out, this.reply ? TYPE_PMTUD_REPLY : TYPE_PMTUD, this.node);
			out.writeByte(this.link);
			out.writeShortLE(this.size);
			out.writeZero(this.length - SIZE);
			return out.array();
		}

	}

	// ---------------------------------------------------------------------------------------------
	// In place, on a buffer holding one plain packet from its reader index: what the transport uses,
	// so that no packet object is made per datagram

	/** Why {@code packet} is not a knet packet, or {@code null} when it is one. */
	static @Nullable Rejection rejection(ByteBuf packet) {
		int length = packet.readableBytes();
		if (length < HEADER + 1) {
			return Rejection.TRUNCATED;
		}
		int at = packet.readerIndex();
		if (packet.getUnsignedByte(at) != VERSION) {
			return Rejection.VERSION;
		}
		int minimum = switch (packet.getUnsignedByte(at + 1)) {
			case TYPE_DATA -> Data.SIZE;
			case TYPE_PING, TYPE_PONG -> Ping.SIZE;
			case TYPE_PMTUD, TYPE_PMTUD_REPLY -> Pmtud.SIZE;
			default -> -1;
		};
		if (minimum < 0) {
			return Rejection.TYPE;
		}
		return (length < minimum) ? Rejection.TRUNCATED : null;
	}

	static int type(ByteBuf packet) {
		return packet.getUnsignedByte(packet.readerIndex() + 1);
	}

	static int node(ByteBuf packet) {
		return packet.getUnsignedShort(packet.readerIndex() + 2);
	}

	/** Turns a PING into its PONG, or a PMTUD probe into its reply, in place: type and sender change. */
	static void answer(ByteBuf packet, int responder) {
		int at = packet.readerIndex();
		int type = packet.getUnsignedByte(at + 1);
		packet.setByte(at + 1, (type == TYPE_PING) ? TYPE_PONG : TYPE_PMTUD_REPLY);
		packet.setShort(at + 2, responder);
	}

	static int dataSeq(ByteBuf data) {
		return data.getUnsignedShort(data.readerIndex() + 6);
	}

	static boolean dataBroadcast(ByteBuf data) {
		return data.getByte(data.readerIndex() + 10) != 0;
	}

	static int dataFragments(ByteBuf data) {
		return data.getUnsignedByte(data.readerIndex() + 11);
	}

	static int dataFragment(ByteBuf data) {
		return data.getUnsignedByte(data.readerIndex() + 12);
	}

	static int dataChannel(ByteBuf data) {
		return data.getUnsignedByte(data.readerIndex() + 13);
	}

	/** Appends a DATA header; the payload follows. */
	static void writeData(ByteBuf out, int node, int seq, boolean broadcast, int fragments, int fragment,
			int channel) {
		writeHeader(out, TYPE_DATA, node);
		out.writeShort(seq);
		out.writeShort(0);
		out.writeByte(broadcast ? 1 : 0);
		out.writeByte(fragments);
		out.writeByte(fragment);
		out.writeByte(channel);
	}

	static int pingLink(ByteBuf ping) {
		return ping.getUnsignedByte(ping.readerIndex() + 6);
	}

	/** The first 8 of the 16 time bytes, little-endian: what this side put there (the peer echoes them). */
	static long pingTime(ByteBuf ping) {
		return ping.getLongLE(ping.readerIndex() + 7);
	}

	static int pingSeq(ByteBuf ping) {
		return ping.getUnsignedShort(ping.readerIndex() + 23);
	}

	static int pingTimed(ByteBuf ping) {
		return ping.getUnsignedByte(ping.readerIndex() + 25);
	}

	/** Appends a PING with {@code time} in its first 8 time bytes. */
	static void writePing(ByteBuf out, int node, int link, long time, int seq, boolean timed) {
		writeHeader(out, TYPE_PING, node);
		out.writeByte(link);
		out.writeLongLE(time);
		out.writeLong(0);
		out.writeShort(seq);
		out.writeByte(timed ? 1 : 0);
	}

	static boolean pmtudReply(ByteBuf pmtud) {
		return type(pmtud) == TYPE_PMTUD_REPLY;
	}

	private static void writeHeader(ByteBuf out, int type, int node) {
		out.writeByte(VERSION);
		out.writeByte(type);
		out.writeShort(node);
		out.writeShort(0);
	}

	/** Why a datagram is not a knet packet. */
	enum Rejection {

		TRUNCATED, VERSION, TYPE

	}

	/**
	 * Reads a plain (decrypted) packet.
	 * @return the packet, or {@code null} when it is not one (see {@link #rejection})
	 */
	static @Nullable KnetPacket decode(byte[] bytes) {
		ByteBuf in = Unpooled.wrappedBuffer(bytes);
		if (rejection(in) != null) {
			return null;
		}
		int node = node(in);
		return switch (type(in)) {
			case TYPE_DATA -> new Data(node, dataSeq(in), dataBroadcast(in), dataFragments(in), dataFragment(in),
					dataChannel(in), Arrays.copyOfRange(bytes, Data.SIZE, bytes.length));
			case TYPE_PING, TYPE_PONG -> new Ping(type(in) == TYPE_PONG, node, pingLink(in),
					Arrays.copyOfRange(bytes, 7, 23), pingSeq(in), pingTimed(in));
			default -> new Pmtud(pmtudReply(in), node, in.getUnsignedByte(6), in.getUnsignedShortLE(7), bytes.length);
		};
	}

	/** Why {@link #decode} refuses {@code bytes}, or {@code null} when it accepts them. */
	static @Nullable Rejection rejection(byte[] bytes) {
		return rejection(Unpooled.wrappedBuffer(bytes));
	}

}
