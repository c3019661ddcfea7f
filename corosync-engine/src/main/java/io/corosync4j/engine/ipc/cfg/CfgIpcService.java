package io.corosync4j.engine.ipc.cfg;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.corosync4j.engine.config.Transport;
import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcService;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.ipc.cfg.CfgCodec.LinkState;
import io.corosync4j.engine.ipc.cfg.CfgCodec.NodeAddresses;
import io.corosync4j.engine.ipc.cfg.CfgCodec.NodeStatus;
import io.corosync4j.engine.ipc.cfg.CfgCodec.RingStatus;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.service.cfg.CfgService;
import io.corosync4j.engine.service.cfg.LinkStatus;
import io.corosync4j.engine.transport.knet.KnetLinkStats;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cfg} IPC service of a node ({@code libcfg}), on the node's {@link CfgService} and its links:
 * udp and udpu report link 0 the way Corosync's totemudpu does, knet each link from this node's link
 * statistics.
 */
public final class CfgIpcService implements IpcService {

	/** Totem's {@code net_mtu} on udp and udpu: {@code netmtu} less the UDP/IP headers and two mcast headers. */
	private static final long UDP_NET_MTU_OVERHEAD = 90;

	/** What knet reports for the loopback link of the node's own host. */
	private static final long LOOPBACK_MTU = 65535;

	/**
	 * The knet onwire versions a node status reports: Debian's Corosync 3.1.7 is built without
	 * {@code HAVE_KNET_ONWIRE_VER}, so it leaves them 0, and so does this node.
	 */
	private static final int KNET_ONWIRE_VERSION = 0;

	private static final int AF_INET = 2;

	private static final int AF_INET6 = 10;

	private final CorosyncNode node;

	public CfgIpcService(CorosyncNode node) {
		this.node = node;
	}

	@Override
	public String name() {
		return "cfg";
	}

	@Override
	public IpcSession connected(IpcConnection connection) {
		return new CfgSession(this, connection);
	}

	CfgService cfg() {
		return this.node.cfg();
	}

	long localNodeid() {
		return this.node.nodeId();
	}

	private boolean knet() {
		return this.node.config().totem().transport() == Transport.KNET;
	}

	/** This node's interfaces; blocks briefly on the node's loop for the link statistics. */
	RingStatus ringStatus() {
		List<LinkStatus> links = this.node.cfg().linkStatus();
		List<String> names = new ArrayList<>();
		List<String> statuses = new ArrayList<>();
		if (!knet()) {
			for (LinkStatus link : links) {
				names.add(link.linkId() + " " + link.localAddress());
				statuses.add("OK");
			}
			return new RingStatus(names, statuses, CsError.OK);
		}
		Map<String, KnetLinkStats> stats = knetStats();
		TreeSet<Long> hosts = new TreeSet<>();
		links.forEach((link) -> link.nodes().forEach((node) -> hosts.add(node.nodeid())));
		for (LinkStatus link : links) {
			names.add(link.linkId() + " " + link.localAddress());
			StringBuilder status = new StringBuilder();
			for (long host : hosts) {
				KnetLinkStats remote = stats.get(host + "/" + link.linkId());
				if (host == localNodeid()) {
					status.append('n');
				}
				else if (remote == null) {
					status.append('d');
				}
				else {
					status.append((char) ('0' + (remote.enabled() ? 1 : 0) + (remote.connected() ? 2 : 0)));
				}
			}
			statuses.add(status.toString());
		}
		return new RingStatus(names, statuses, CsError.OK);
	}

	/**
	 * A node's status, or null when knet does not know the node (Corosync's
	 * {@code CS_ERR_FAILED_OPERATION}); blocks briefly on the node's loop.
	 */
	@Nullable NodeStatus nodeStatus(long nodeid) {
		List<LinkStatus> links = this.node.cfg().linkStatus();
		boolean member = this.node.membership().contains(nodeid);
		List<LinkState> states = new ArrayList<>();
		if (!knet()) {
			// totemudpu reports the node's own address as the source, and whether it is in the ring
			for (LinkStatus link : links) {
				for (LinkStatus.Node entry : link.nodes()) {
					if (entry.nodeid() == nodeid) {
						states.add(new LinkState(link.linkId(), true, member, false,
								this.node.config().totem().netmtu() - UDP_NET_MTU_OVERHEAD, entry.address(), ""));
					}
				}
			}
			return new NodeStatus(nodeid, member, false, false, 0, 0, 0, states);
		}
		boolean known = false;
		boolean reachable = nodeid == localNodeid();
		Map<String, KnetLinkStats> stats = knetStats();
		for (LinkStatus link : links) {
			for (LinkStatus.Node entry : link.nodes()) {
				if (entry.nodeid() != nodeid) {
					continue;
				}
				known = true;
				if (entry.local()) {
					states.add(new LinkState(link.linkId(), true, true, false, LOOPBACK_MTU, link.localAddress(),
							link.localAddress()));
					continue;
				}
				KnetLinkStats remote = stats.get(nodeid + "/" + link.linkId());
				if (remote != null) {
					reachable |= remote.connected();
					states.add(new LinkState(link.linkId(), remote.enabled(), remote.connected(), false, remote.mtu(),
							link.localAddress(), remote.address()));
				}
			}
		}
		if (!known) {
			return null;
		}
		return new NodeStatus(nodeid, reachable, false, false, KNET_ONWIRE_VERSION, KNET_ONWIRE_VERSION,
				KNET_ONWIRE_VERSION, states);
	}

	/** A node's address on each of its links (0 for this node); blocks briefly on the node's loop. */
	NodeAddresses addresses(long nodeid) {
		long wanted = (nodeid == 0) ? localNodeid() : nodeid;
		int family = 0;
		List<byte[]> addresses = new ArrayList<>();
		for (LinkStatus link : this.node.cfg().linkStatus()) {
			for (LinkStatus.Node entry : link.nodes()) {
				if (entry.nodeid() != wanted) {
					continue;
				}
				byte[] address = literal(entry.address());
				if (family == 0) {
					family = (address.length == 4) ? AF_INET : AF_INET6;
				}
				// Corosync skips an address whose first two bytes, read as a sockaddr's family, are zero
				if (address[0] != 0 || address[1] != 0) {
					addresses.add(address);
				}
			}
		}
		return new NodeAddresses(family, addresses);
	}

	private Map<String, KnetLinkStats> knetStats() {
		Map<String, KnetLinkStats> stats = new LinkedHashMap<>();
		for (KnetLinkStats link : this.node.knetLinks()) {
			stats.put(link.nodeid() + "/" + link.link(), link);
		}
		return stats;
	}

	private static byte[] literal(String address) {
		try {
			// an address literal: no lookup happens
			return InetAddress.getByName(address).getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("not an address literal: " + address, ex);
		}
	}

}
