package io.corosync4j.engine.service.cfg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.ServiceHeader;
import org.jspecify.annotations.Nullable;

/**
 * CFG's wire messages ({@code struct req_exec_cfg_*}): ringreenable and reload_config (32 bytes: the
 * source node and an opaque connection pointer), killnode (288: the victim and a {@code mar_name_t}
 * reason), shutdown (the 16-byte header alone) and crypto_reconfig (24: the phase).
 */
final class CfgMessages {

	static final int RINGREENABLE = 0;

	static final int KILLNODE = 1;

	static final int SHUTDOWN = 2;

	static final int RELOAD_CONFIG = 3;

	static final int CRYPTO_RECONFIG = 4;

	static final int KILLNODE_SIZE = 288;

	static final int SOURCE_SIZE = 32;

	/** {@code CS_MAX_NAME_LENGTH}: the reason's room, its terminating zero included. */
	static final int REASON_LENGTH = 256;

	private CfgMessages() {
	}

	static byte[] killNode(long nodeid, String reason) {
		ByteBuffer out = ServiceHeader.allocate(ServiceEngine.CFG, KILLNODE, KILLNODE_SIZE);
		out.putInt(16, (int) nodeid);
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		int length = Math.min(text.length, REASON_LENGTH - 1);
		out.putShort(24, (short) length);
		out.put(32, text, 0, length);
		return out.array();
	}

	/** A decoded killnode: who is to exit, and why. */
	record KillNode(long nodeid, String reason) {
	}

	static @Nullable KillNode decodeKillNode(byte[] message, boolean bigEndian) {
		if (message.length < KILLNODE_SIZE) {
			return null;
		}
		ByteBuffer in = ServiceHeader.read(message, bigEndian);
		int length = Math.min(in.getShort(24) & 0xFFFF, REASON_LENGTH);
		int end = 32;
		while (end < 32 + length && message[end] != 0) {
			end++;
		}
		return new KillNode(Integer.toUnsignedLong(in.getInt(16)), new String(message, 32, end - 32, StandardCharsets.UTF_8));
	}

	static byte[] shutdown() {
		return ServiceHeader.allocate(ServiceEngine.CFG, SHUTDOWN, ServiceHeader.SIZE).array();
	}

	static byte[] reloadConfig(long nodeid) {
		ByteBuffer out = ServiceHeader.allocate(ServiceEngine.CFG, RELOAD_CONFIG, SOURCE_SIZE);
		out.putInt(16, (int) nodeid);
		return out.array();
	}

}
