package io.corosync4j.engine.service.votequorum;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.ServiceHeader;
import org.jspecify.annotations.Nullable;

/**
 * votequorum's wire messages ({@code struct req_exec_quorum_*}): packed after the 16-byte header,
 * little-endian on send, read in the sender's order. nodeinfo and reconfigure are 32 bytes, qdevice
 * registration 280, qdevice rename 528.
 */
final class VotequorumMessages {

	static final int NODEINFO = 0;

	static final int RECONFIGURE = 1;

	static final int QDEVICE_REG = 2;

	static final int QDEVICE_RECONFIGURE = 3;

	static final int NODEINFO_SIZE = 32;

	static final int RECONFIGURE_SIZE = 32;

	/** {@code VOTEQUORUM_QDEVICE_MAX_NAME_LEN}. */
	static final int QDEVICE_NAME_LENGTH = 255;

	static final int QDEVICE_REG_SIZE = 16 + 4 + QDEVICE_NAME_LENGTH + 5;

	static final int QDEVICE_RECONFIGURE_SIZE = 16 + 2 * QDEVICE_NAME_LENGTH + 2;

	/** Reconfigure parameters. */
	static final int PARAM_EXPECTED_VOTES = 1;

	static final int PARAM_NODE_VOTES = 2;

	static final int PARAM_CANCEL_WAIT_FOR_ALL = 3;

	static final int QDEVICE_UNREGISTER = 0;

	static final int QDEVICE_REGISTER = 1;

	private VotequorumMessages() {
	}

	/** {@code struct req_exec_quorum_nodeinfo}: one node's (or, for node id 0, the quorum device's) votes. */
	record NodeInfo(long nodeid, long votes, long expectedVotes, int flags) {

		byte[] encode() {
			ByteBuffer out = ServiceHeader.allocate(ServiceEngine.VOTEQUORUM, NODEINFO, NODEINFO_SIZE);
			out.putInt(16, (int) this.nodeid);
			out.putInt(20, (int) this.votes);
			out.putInt(24, (int) this.expectedVotes);
			out.putInt(28, this.flags);
			return out.array();
		}

		static @Nullable NodeInfo decode(byte[] message, boolean bigEndian) {
			if (message.length < NODEINFO_SIZE) {
				return null;
			}
			ByteBuffer in = ServiceHeader.read(message, bigEndian);
			return new NodeInfo(Integer.toUnsignedLong(in.getInt(16)), Integer.toUnsignedLong(in.getInt(20)),
					Integer.toUnsignedLong(in.getInt(24)), in.getInt(28));
		}

	}

	/** {@code struct req_exec_quorum_reconfigure}: a runtime change every node applies. */
	record Reconfigure(long nodeid, long value, int param) {

		byte[] encode() {
			ByteBuffer out = ServiceHeader.allocate(ServiceEngine.VOTEQUORUM, RECONFIGURE, RECONFIGURE_SIZE);
			out.putInt(16, (int) this.nodeid);
			out.putInt(20, (int) this.value);
			out.put(24, (byte) this.param);
			return out.array();
		}

		static @Nullable Reconfigure decode(byte[] message, boolean bigEndian) {
			if (message.length < 25) {
				return null;
			}
			ByteBuffer in = ServiceHeader.read(message, bigEndian);
			return new Reconfigure(Integer.toUnsignedLong(in.getInt(16)), Integer.toUnsignedLong(in.getInt(20)),
					in.get(24) & 0xFF);
		}

	}

	/** {@code struct req_exec_quorum_qdevice_reg}: a node's quorum device (un)registered. */
	record QdeviceRegistration(int operation, String name) {

		byte[] encode() {
			ByteBuffer out = ServiceHeader.allocate(ServiceEngine.VOTEQUORUM, QDEVICE_REG, QDEVICE_REG_SIZE);
			out.putInt(16, this.operation);
			writeName(out, 20, this.name);
			return out.array();
		}

		static @Nullable QdeviceRegistration decode(byte[] message, boolean bigEndian) {
			if (message.length < 20 + QDEVICE_NAME_LENGTH) {
				return null;
			}
			ByteBuffer in = ServiceHeader.read(message, bigEndian);
			return new QdeviceRegistration(in.getInt(16), readName(message, 20));
		}

	}

	/** {@code struct req_exec_quorum_qdevice_reconfigure}: a registered device renamed. */
	record QdeviceRename(String oldName, String newName) {

		static @Nullable QdeviceRename decode(byte[] message) {
			if (message.length < 16 + 2 * QDEVICE_NAME_LENGTH) {
				return null;
			}
			return new QdeviceRename(readName(message, 16), readName(message, 16 + QDEVICE_NAME_LENGTH));
		}

	}

	private static void writeName(ByteBuffer out, int offset, String name) {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		out.put(offset, bytes, 0, Math.min(bytes.length, QDEVICE_NAME_LENGTH - 1));
	}

	private static String readName(byte[] message, int offset) {
		int end = offset;
		while (end < offset + QDEVICE_NAME_LENGTH && message[end] != 0) {
			end++;
		}
		return new String(message, offset, end - offset, StandardCharsets.UTF_8);
	}

}
