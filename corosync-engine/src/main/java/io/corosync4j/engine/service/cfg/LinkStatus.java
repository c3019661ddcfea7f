package io.corosync4j.engine.service.cfg;

import java.util.List;

/**
 * One link as {@code corosync-cfgtool -s} shows it.
 *
 * @param linkId the link number
 * @param transport {@code udpu}, {@code udp} or {@code knet}
 * @param localAddress this node's address on the link
 * @param mtu the frame size Totem uses on it
 * @param nodes every nodelist node on the link, ascending
 */
public record LinkStatus(int linkId, String transport, String localAddress, long mtu, List<Node> nodes) {

	public LinkStatus {
		nodes = List.copyOf(nodes);
	}

	/**
	 * A node on the link.
	 *
	 * @param nodeid the node
	 * @param address its address on the link
	 * @param local whether it is this node
	 * @param connected whether it is a member of the current ring (udp and udpu have no per-link heartbeat)
	 */
	public record Node(long nodeid, String address, boolean local, boolean connected) {
	}

}
