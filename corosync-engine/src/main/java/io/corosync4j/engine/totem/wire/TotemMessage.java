package io.corosync4j.engine.totem.wire;

import io.netty.buffer.ByteBuf;

/**
 * A Totem SRP message. Every message starts with the 13-byte header: magic, version, type,
 * encapsulation flag, the sender's node id and the target node id.
 */
public sealed interface TotemMessage extends DecodeResult permits OrfToken, Mcast, MembMergeDetect, MembJoin, MembCommitToken,
		TokenHoldCancel {

	MessageType type();

	/** Header {@code nodeid}: the sender (rewritten by every forwarder of a token); 0 marks a leave. */
	long nodeid();

	/**
	 * Header {@code target_nodeid}: on knet the only receiver of a token (0 = everyone); udp/udpu do not
	 * use it and Corosync leaves it uninitialised there, so it may hold anything.
	 */
	long targetNodeid();

	/** The encoded size in bytes. */
	int encodedLength();

	/** Writes the message, little-endian, as Corosync on x86-64 does. */
	void encode(ByteBuf out);

}
