package io.corosync4j.engine.service.cmap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.ServiceHeader;
import org.jspecify.annotations.Nullable;

/**
 * CMAP's one wire message ({@code struct req_exec_cmap_mcast}): a reason and items, each a key with its
 * typed value, 8-aligned. Corosync only ever sends {@code totem.config_version}: a {@code u64} item
 * (336 bytes in all) or, when the key is absent, an item of type 0 (328 bytes).
 */
final class CmapMessages {

	static final int MCAST = 0;

	static final int REASON_SYNC = 0;

	static final int REASON_NEW_CONFIG_VERSION = 1;

	static final String CONFIG_VERSION = "totem.config_version";

	private static final int HEADER_SIZE = 48;

	private static final int ITEM_VALUE_OFFSET = 280;

	/** {@code CS_MAX_NAME_LENGTH}. */
	private static final int NAME_LENGTH = 256;

	private static final int TYPE_NOT_EXIST = 0;

	private static final int TYPE_UINT64 = 8;

	/** {@code MAX_REQ_EXEC_CMAP_MCAST_ITEMS}. */
	private static final int MAX_ITEMS = 32;

	private CmapMessages() {
	}

	/** The config-version message; {@code version} empty when the key is absent. */
	static byte[] configVersion(int reason, OptionalLong version) {
		int valueLength = version.isPresent() ? 8 : 0;
		int size = HEADER_SIZE + ITEM_VALUE_OFFSET + valueLength;
		ByteBuffer out = ServiceHeader.allocate(ServiceEngine.CMAP, MCAST, size);
		out.put(16, (byte) reason);
		out.put(24, (byte) 1);
		byte[] key = CONFIG_VERSION.getBytes(StandardCharsets.US_ASCII);
		out.putShort(HEADER_SIZE, (short) key.length);
		out.put(HEADER_SIZE + 8, key);
		out.put(HEADER_SIZE + 264, (byte) (version.isPresent() ? TYPE_UINT64 : TYPE_NOT_EXIST));
		out.putLong(HEADER_SIZE + 272, valueLength);
		if (version.isPresent()) {
			out.putLong(HEADER_SIZE + ITEM_VALUE_OFFSET, version.getAsLong());
		}
		return out.array();
	}

	/** A decoded message: its reason and the config version it carries (0 when absent). */
	record ConfigVersion(int reason, long version) {
	}

	/**
	 * Reads the reason and {@code totem.config_version} from a message in its sender's byte order.
	 * @return {@code null} when the message is truncated or its items run past its end
	 */
	static @Nullable ConfigVersion decode(byte[] message, boolean bigEndian) {
		if (message.length < HEADER_SIZE) {
			return null;
		}
		ByteBuffer in = ServiceHeader.read(message, bigEndian);
		int reason = in.get(16) & 0xFF;
		int items = Math.min(in.get(24) & 0xFF, MAX_ITEMS);
		int at = HEADER_SIZE;
		long version = 0;
		for (int i = 0; i < items; i++) {
			if (at + ITEM_VALUE_OFFSET > message.length) {
				return null;
			}
			int keyLength = Math.min(in.getShort(at) & 0xFFFF, NAME_LENGTH);
			String key = new String(message, at + 8, keyLength, StandardCharsets.US_ASCII);
			int type = in.get(at + 264) & 0xFF;
			long valueLength = in.getLong(at + 272);
			if (valueLength < 0 || valueLength > message.length - at - ITEM_VALUE_OFFSET) {
				return null;
			}
			if (key.equals(CONFIG_VERSION) && type == TYPE_UINT64 && valueLength == 8) {
				version = in.getLong(at + ITEM_VALUE_OFFSET);
			}
			at += align8(ITEM_VALUE_OFFSET + (int) valueLength);
		}
		return new ConfigVersion(reason, version);
	}

	private static int align8(int length) {
		return (length + 7) & ~7;
	}

}
