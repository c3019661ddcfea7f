package io.corosync4j.engine.totem.srp;

import io.corosync4j.engine.config.TotemConfig;
import io.corosync4j.engine.config.TotemTimers;
import io.corosync4j.engine.config.Transport;

/**
 * What the protocol needs to know about itself: its node id and the effective timers and constants.
 * Times are milliseconds, as in {@code corosync.conf}.
 *
 * @param nodeid this node's id (never 0)
 * @param timers the effective timers and protocol constants
 * @param cancelTokenHoldOnRetransmit forward a held token at once when it carries retransmission requests
 * @param messageQueueCapacity capacity of each send queue ({@code MESSAGE_QUEUE_MAX}:
 * {@code 4 MiB / net_mtu} with {@code net_mtu = netmtu − 90})
 */
public record SrpSettings(long nodeid, TotemTimers timers, boolean cancelTokenHoldOnRetransmit,
		int messageQueueCapacity) {

	/** {@code MESSAGE_SIZE_MAX}: the largest totempg message. */
	static final int MESSAGE_SIZE_MAX = 1024 * 1024;

	/** The two MCAST headers Totem reserves of the transport's frame ({@code totemsrp_net_mtu_adjust}). */
	static final int NET_MTU_ADJUST = 2 * 45;

	/** knet's frame size, which Corosync uses as {@code netmtu} for knet whatever is configured. */
	static final int KNET_MAX_PACKET_SIZE = 65536;

	public SrpSettings {
		if (nodeid <= 0 || nodeid > 0xFFFFFFFFL) {
			throw new IllegalArgumentException("nodeid " + nodeid + " is not a valid Totem node id (1 to 4294967295)");
		}
		if (messageQueueCapacity < 1) {
			throw new IllegalArgumentException("messageQueueCapacity must be positive, was " + messageQueueCapacity);
		}
		if (timers.windowSize() + timers.maxMessages() > SortQueue.SIZE) {
			throw new IllegalArgumentException("totem.window_size (" + timers.windowSize() + ") + totem.max_messages ("
					+ timers.maxMessages() + ") exceeds the " + SortQueue.SIZE
					+ "-message retransmit queue (Corosync aborts on such a ring); lower window_size");
		}
	}

	/** The settings Corosync derives from a totem section for the given local node id. */
	public static SrpSettings of(TotemConfig totem, long nodeid) {
		long frame = (totem.transport() == Transport.KNET) ? KNET_MAX_PACKET_SIZE : totem.netmtu();
		long netMtu = Math.max(1, frame - NET_MTU_ADJUST);
		int capacity = (int) Math.max(1, 4L * MESSAGE_SIZE_MAX / netMtu);
		return new SrpSettings(nodeid, totem.timers(), totem.cancelTokenHoldOnRetransmit(), capacity);
	}

	/** Heartbeat mode's timeout in milliseconds, 0 when off. */
	long heartbeatTimeout() {
		return this.timers.heartbeatTimeout();
	}

}
