package io.corosync4j.engine.transport.knet;

import java.util.Arrays;

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
			byte[] out = new byte[SIZE + this.payload.length];
			header(out, this.node, this.seq, this.broadcast, this.fragments, this.fragment, this.channel);
			System.arraycopy(this.payload, 0, out, SIZE, this.payload.length);
			return out;
		}

		/** Writes a DATA header into the first {@link #SIZE} bytes of {@code out}, the payload follows. */
		static void header(byte[] out, int node, int seq, boolean broadcast, int fragments, int fragment, int channel) {
			KnetPacket.header(out, TYPE_DATA, node);
			out[6] = (byte) (seq >>> 8);
			out[7] = (byte) seq;
			out[10] = (byte) (broadcast ? 1 : 0);
			out[11] = (byte) fragments;
			out[12] = (byte) fragment;
			out[13] = (byte) channel;
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
			byte[] out = new byte[SIZE];
			header(out, this.pong ? TYPE_PONG : TYPE_PING, this.node);
			out[6] = (byte) this.link;
			System.arraycopy(this.time, 0, out, 7, 16);
			out[23] = (byte) (this.seq >>> 8);
			out[24] = (byte) this.seq;
			out[25] = (byte) this.timed;
			return out;
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
			byte[] out = new byte[this.length];
			header(out, this.reply ? TYPE_PMTUD_REPLY : TYPE_PMTUD, this.node);
			out[6] = (byte) this.link;
			out[7] = (byte) this.size;
			out[8] = (byte) (this.size >>> 8);
			return out;
		}

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
		return (rejection(bytes) != null) ? null : read(bytes);
	}

	/** Why {@link #decode} refuses {@code bytes}, or {@code null} when it accepts them. */
	static @Nullable Rejection rejection(byte[] bytes) {
		if (bytes.length < HEADER + 1) {
			return Rejection.TRUNCATED;
		}
		if ((bytes[0] & 0xFF) != VERSION) {
			return Rejection.VERSION;
		}
		int type = bytes[1] & 0xFF;
		int minimum = switch (type) {
			case TYPE_DATA -> Data.SIZE;
			case TYPE_PING, TYPE_PONG -> Ping.SIZE;
			case TYPE_PMTUD, TYPE_PMTUD_REPLY -> Pmtud.SIZE;
			default -> -1;
		};
		if (minimum < 0) {
			return Rejection.TYPE;
		}
		return (bytes.length < minimum) ? Rejection.TRUNCATED : null;
	}

	private static KnetPacket read(byte[] bytes) {
		int type = bytes[1] & 0xFF;
		int node = ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
		return switch (type) {
			case TYPE_DATA -> new Data(node, ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF), bytes[10] != 0,
					bytes[11] & 0xFF, bytes[12] & 0xFF, bytes[13], Arrays.copyOfRange(bytes, Data.SIZE, bytes.length));
			case TYPE_PING, TYPE_PONG -> new Ping(type == TYPE_PONG, node, bytes[6] & 0xFF,
					Arrays.copyOfRange(bytes, 7, 23), ((bytes[23] & 0xFF) << 8) | (bytes[24] & 0xFF), bytes[25] & 0xFF);
			default -> new Pmtud(type == TYPE_PMTUD_REPLY, node, bytes[6] & 0xFF,
					(bytes[7] & 0xFF) | ((bytes[8] & 0xFF) << 8), bytes.length);
		};
	}

	private static void header(byte[] out, int type, int node) {
		out[0] = VERSION;
		out[1] = (byte) type;
		out[2] = (byte) (node >>> 8);
		out[3] = (byte) node;
	}

}
