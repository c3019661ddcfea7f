package io.corosync4j.engine.ipc;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.cmap.Cmap;

/**
 * The daemon's access rule: a client that is not root may connect when its uid or gid is allowed in the
 * node's CMAP at the moment it connects, by one of {@code uidgid.uid.<uid>}, {@code uidgid.config.uid.<uid>},
 * {@code uidgid.gid.<gid>} or {@code uidgid.config.gid.<gid>} holding the {@code u8} value 1. The
 * {@code config} keys come from {@code uidgid} sections and {@code uidgid.d} and change on a reload;
 * the others are set at run time ({@code corosync-cmapctl -s uidgid.uid.1000 u8 1}) and admit at once.
 * A key of another type or value admits nobody, as the daemon reads these keys only as {@code u8}.
 */
public final class CmapIpcAccess implements IpcAccess {

	private final Cmap cmap;

	public CmapIpcAccess(Cmap cmap) {
		this.cmap = cmap;
	}

	@Override
	public boolean admits(int uid, int gid) {
		// ids are unsigned in the key names, as the daemon prints them with %u
		String user = Integer.toUnsignedString(uid);
		String group = Integer.toUnsignedString(gid);
		return allows("uidgid.uid." + user) || allows("uidgid.config.uid." + user) || allows("uidgid.gid." + group)
				|| allows("uidgid.config.gid." + group);
	}

	private boolean allows(String key) {
		return this.cmap.get(key).filter((entry) -> entry.type() == ValueType.UINT8).map(ConfigEntry::longValue)
			.filter((value) -> value == 1).isPresent();
	}

}
