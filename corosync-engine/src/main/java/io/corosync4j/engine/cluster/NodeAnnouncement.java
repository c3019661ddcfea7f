package io.corosync4j.engine.cluster;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * What a corosync4j node multicasts about itself in {@value ClusterMembership#GROUP_NAME}. The format is
 * corosync4j's own, big-endian:
 *
 * <pre>
 * u8  version (1)
 * u8  type (1: announcement)
 * u32 node id
 * i64 boot time, seconds since the epoch
 * i32 boot time, nanoseconds (0 to 999,999,999)
 * u16 name length, then the name in UTF-8
 * </pre>
 *
 * A reader drops, and counts, a message of another version or type, of another length than its name
 * says, or that names another node than its sender.
 *
 * @param nodeid the announcing node
 * @param bootTime when it started
 * @param name its name, or empty
 */
record NodeAnnouncement(long nodeid, Instant bootTime, String name) {

	static final int VERSION = 1;

	static final int TYPE_ANNOUNCE = 1;

	static final int HEADER = 20;

	static final int MAX_NAME = 0xffff;

	byte[] encode() {
		byte[] text = this.name.getBytes(StandardCharsets.UTF_8);
		if (text.length > MAX_NAME) {
			text = new byte[0];
		}
		ByteBuffer out = ByteBuffer.allocate(HEADER + text.length);
		out.put((byte) VERSION).put((byte) TYPE_ANNOUNCE).putInt((int) this.nodeid);
		out.putLong(this.bootTime.getEpochSecond()).putInt(this.bootTime.getNano());
		out.putShort((short) text.length).put(text);
		return out.array();
	}

	/**
	 * Reads an announcement.
	 * @throws IllegalArgumentException naming what is wrong with it
	 */
	static NodeAnnouncement decode(byte[] message) {
		if (message.length < 2) {
			throw new IllegalArgumentException("a message of " + message.length + " bytes");
		}
		ByteBuffer in = ByteBuffer.wrap(message);
		int version = Byte.toUnsignedInt(in.get());
		int type = Byte.toUnsignedInt(in.get());
		if (version != VERSION) {
			throw new IllegalArgumentException("version " + version + ", not " + VERSION);
		}
		if (type != TYPE_ANNOUNCE) {
			throw new IllegalArgumentException("unknown type " + type);
		}
		if (message.length < HEADER) {
			throw new IllegalArgumentException("an announcement of " + message.length + " bytes, shorter than "
					+ HEADER);
		}
		long nodeid = Integer.toUnsignedLong(in.getInt());
		long seconds = in.getLong();
		int nanos = in.getInt();
		int length = Short.toUnsignedInt(in.getShort());
		if (length != in.remaining()) {
			throw new IllegalArgumentException("a name of " + length + " bytes in " + in.remaining());
		}
		if (nanos < 0 || nanos > 999_999_999) {
			throw new IllegalArgumentException("boot time nanoseconds " + nanos);
		}
		Instant bootTime;
		try {
			bootTime = Instant.ofEpochSecond(seconds, nanos);
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("boot time " + seconds + " s out of range");
		}
		CharBuffer name;
		try {
			name = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(in);
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("a name that is not UTF-8");
		}
		return new NodeAnnouncement(nodeid, bootTime, name.toString());
	}

}
