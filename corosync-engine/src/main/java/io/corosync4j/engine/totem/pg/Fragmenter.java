package io.corosync4j.engine.totem.pg;

import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The sending half of totempg ({@code mcast_msg} and the token callback): messages are staged in one
 * frame-sized buffer; the buffer leaves as one MCAST when the token arrives ({@link #flush}), or at
 * once when a message does not fit, in which case the message is cut and continues in the next frame
 * under a fragment tag. Cut points, tags and lengths follow Corosync exactly, so a frame is
 * byte-identical to the one a Corosync node would send for the same messages.
 */
final class Fragmenter {

	/** {@code TOTEMPG_PACKET_SIZE}: Totem's {@code net_mtu} less the 8-byte totempg header. */
	private final int packetSize;

	private final byte[] staging;

	private final int[] lengths;

	private int count;

	private int staged;

	/** Tag the first chunk of the next frame continues, or 0. */
	private int continuation;

	/** u8 tag counter: never 0 when used, back to 1 whenever a piece fits whole. */
	private int nextFragment = 1;

	/**
	 * @param netMtu Totem's {@code net_mtu} (the transport's {@code netmtu} less 90 bytes)
	 */
	Fragmenter(int netMtu) {
		this.packetSize = netMtu - PgFrame.HEADER_SIZE;
		if (this.packetSize < 16) {
			throw new IllegalArgumentException("net_mtu " + netMtu + " leaves no room for totempg data");
		}
		this.staging = new byte[this.packetSize];
		this.lengths = new int[this.packetSize / 2 + 1];
	}

	/**
	 * Stages one message given as pieces (the group header, the group names, then the service's own
	 * buffers); frames that fill up go to {@code send} at once. The caller has checked that Totem's
	 * queue has room for them ({@link Totempg}).
	 */
	void add(List<byte[]> pieces, Consumer<byte[]> send) {
		int maxPacket = this.packetSize - 2 * (this.count + 1);
		this.lengths[this.count] = 0;
		int base = 0;
		for (int i = 0; i < pieces.size();) {
			byte[] piece = pieces.get(i);
			if (piece.length == 0) {
				i++;
				continue;
			}
			int frameContinuation = this.continuation;
			int copy = piece.length - base;
			// Corosync compares the whole piece, not what is left of it, and keeps two bytes spare
			if (piece.length + this.staged < maxPacket - 2) {
				System.arraycopy(piece, base, this.staging, this.staged, copy);
				this.staged += copy;
				this.lengths[this.count] += copy;
				this.nextFragment = 1;
				base = 0;
				i++;
				continue;
			}
			copy = Math.min(copy, maxPacket - this.staged);
			System.arraycopy(piece, base, this.staging, this.staged, copy);
			this.lengths[this.count] += copy;
			int fragmented = 0;
			if (!isLastPiece(pieces, i) || base + copy < piece.length) {
				if (this.nextFragment == 0) {
					this.nextFragment = 1;
				}
				this.continuation = this.nextFragment;
				fragmented = this.nextFragment;
				this.nextFragment = (this.nextFragment + 1) & 0xFF;
			}
			else {
				this.continuation = 0;
			}
			this.count++;
			send.accept(frame(fragmented, frameContinuation));
			this.count = 0;
			this.lengths[0] = 0;
			this.staged = 0;
			maxPacket = this.packetSize - 2;
			if (base + copy == piece.length) {
				base = 0;
				i++;
			}
			else {
				base += copy;
			}
		}
		if (this.lengths[this.count] != 0) {
			this.count++;
		}
	}

	/** The staged messages as one frame, for the token's arrival; {@code null} when nothing is staged. */
	@Nullable byte[] flush() {
		if (this.count == 0) {
			return null;
		}
		byte[] frame = frame(0, this.continuation);
		this.continuation = 0;
		this.count = 0;
		this.staged = 0;
		return frame;
	}

	/** What {@link #flush} would send now, leaving everything staged. */
	@Nullable byte[] peek() {
		return (this.count == 0) ? null : frame(0, this.continuation);
	}

	boolean isEmpty() {
		return this.count == 0;
	}

	/** Messages staged for the next frame. */
	int count() {
		return this.count;
	}

	private static boolean isLastPiece(List<byte[]> pieces, int index) {
		for (int i = index + 1; i < pieces.size(); i++) {
			if (pieces.get(i).length != 0) {
				return false;
			}
		}
		return true;
	}

	private byte[] frame(int fragmented, int continuation) {
		int[] frameLengths = new int[this.count];
		System.arraycopy(this.lengths, 0, frameLengths, 0, this.count);
		return new PgFrame(fragmented, continuation, frameLengths, this.staging, 0).encode();
	}

}
