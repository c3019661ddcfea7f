package io.corosync4j.engine.totem.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * Constants and helpers shared by the message codecs.
 */
final class Wire {

	/** {@code TOTEM_MH_MAGIC}, written little-endian as {@code 70 c0}. */
	static final int MAGIC = 0xC070;

	/** {@code TOTEM_MH_VERSION}. */
	static final int VERSION = 3;

	/** {@code struct totem_message_header}. */
	static final int HEADER_SIZE = 13;

	/** {@code PROCESSOR_COUNT_MAX}: the most members, proc or failed entries a message may list. */
	static final int PROCESSOR_COUNT_MAX = 384;

	/** {@code RETRANSMIT_ENTRIES_MAX}: the most rtr entries in a token. */
	static final int RETRANSMIT_ENTRIES_MAX = 30;

	private Wire() {
	}

	static void writeHeader(ByteBuf out, MessageType type, int encapsulated, long nodeid, long targetNodeid) {
		writeHeader(out, type, encapsulated, nodeid, targetNodeid, false);
	}

	/** The header in either byte order (a big-endian one only for re-sent recovery copies). */
	static void writeHeader(ByteBuf out, MessageType type, int encapsulated, long nodeid, long targetNodeid,
			boolean bigEndian) {
		out.writeShort(bigEndian ? MAGIC : Short.reverseBytes((short) MAGIC));
		out.writeByte(VERSION);
		out.writeByte(type.code());
		out.writeByte(encapsulated);
		out.writeInt(bigEndian ? (int) nodeid : Integer.reverseBytes((int) nodeid));
		out.writeInt(bigEndian ? (int) targetNodeid : Integer.reverseBytes((int) targetNodeid));
	}

	static void writeNodeids(ByteBuf out, List<Long> nodeids) {
		for (long nodeid : nodeids) {
			out.writeIntLE((int) nodeid);
		}
	}

	static long checkU32(long value, String name) {
		if (value < 0 || value > 0xFFFFFFFFL) {
			throw new IllegalArgumentException(name + " " + value + " is not an unsigned 32-bit value");
		}
		return value;
	}

	static List<Long> checkNodeids(List<Long> nodeids, String name) {
		if (nodeids.size() > PROCESSOR_COUNT_MAX) {
			throw new IllegalArgumentException(name + " has " + nodeids.size() + " entries, at most "
					+ PROCESSOR_COUNT_MAX + " are allowed");
		}
		nodeids.forEach((nodeid) -> checkU32(nodeid, name));
		return List.copyOf(nodeids);
	}

}
