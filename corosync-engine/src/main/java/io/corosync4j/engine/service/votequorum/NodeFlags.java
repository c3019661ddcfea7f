package io.corosync4j.engine.service.votequorum;

import java.util.ArrayList;
import java.util.List;

/** The nodeinfo flag bits ({@code NODE_FLAGS_*}), as they travel on the wire. */
public final class NodeFlags {

	public static final int QUORATE = 1;

	public static final int LEAVING = 2;

	public static final int WAIT_FOR_ALL_STATUS = 4;

	/** Set until the node has been in a ring with others. */
	public static final int FIRST = 8;

	public static final int QDEVICE_REGISTERED = 16;

	public static final int QDEVICE_ALIVE = 32;

	public static final int QDEVICE_CAST_VOTE = 64;

	public static final int QDEVICE_MASTER_WINS = 128;

	private static final String[] NAMES = { "Quorate", "Leaving", "WaitForAll", "First", "Qdevice", "QdeviceAlive",
			"QdeviceCastVote", "QdeviceMasterWins" };

	private NodeFlags() {
	}

	/** The names of the bits set in {@code flags}, for logs and endpoints. */
	public static List<String> names(int flags) {
		List<String> names = new ArrayList<>();
		for (int bit = 0; bit < NAMES.length; bit++) {
			if ((flags & (1 << bit)) != 0) {
				names.add(NAMES[bit]);
			}
		}
		return names;
	}

}
