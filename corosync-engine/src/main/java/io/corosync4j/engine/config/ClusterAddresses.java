package io.corosync4j.engine.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The nodelist bound to this host: every node's addresses resolved with {@code totem.ip_version},
 * node ids generated where udp/udpu allow it, and the local node found — the checks of Corosync's
 * {@code totem_config_read}/{@code totem_config_validate} that need the host, done through an
 * injectable {@link HostNetwork}.
 *
 * @param nodes the Totem nodes (entries with a {@code ring0_addr}), in nodelist order
 * @param localNode the local node
 * @param bindAddresses per link, the local address to bind (udp: {@code bindnetaddr}, else the local node's)
 * @param bindAddressTexts per link, the local node's {@code ringN_addr} as written, which Corosync
 * publishes as {@code totem.interface.N.bindnetaddr}
 */
public record ClusterAddresses(List<ResolvedNode> nodes, ResolvedNode localNode,
		Map<Integer, InetAddress> bindAddresses, Map<Integer, String> bindAddressTexts) {

	public ClusterAddresses {
		nodes = List.copyOf(nodes);
		bindAddresses = Map.copyOf(bindAddresses);
		bindAddressTexts = Map.copyOf(bindAddressTexts);
	}

	/**
	 * A node with its effective id and resolved addresses.
	 *
	 * @param position the position in the nodelist
	 * @param nodeid the configured id, or (udp/udpu) the id generated from the IPv4 {@code ring0_addr}
	 * @param nodeidGenerated whether {@code nodeid} was generated
	 * @param name the node's name, or {@code null}
	 * @param addresses resolved addresses by link number
	 */
	public record ResolvedNode(int position, long nodeid, boolean nodeidGenerated, @Nullable String name,
			Map<Integer, InetAddress> addresses) {

		public ResolvedNode {
			addresses = Map.copyOf(addresses);
		}

	}

	/**
	 * Resolves a configuration against a host.
	 * @param config the validated configuration
	 * @param host the host
	 * @return the resolved nodes and the local node
	 * @throws ConfigException when an address does not resolve, the local node is not in the nodelist,
	 * or node ids clash
	 */
	public static ClusterAddresses resolve(CorosyncConfig config, HostNetwork host) {
		return new Resolution(config, host).run();
	}

	/** The CMAP keys a running node adds for the host: local node position, generated ids, bind addresses. */
	public void addCmapKeys(ConfigMap.Builder cmap) {
		cmap.putNumber("nodelist.local_node_pos", ValueType.UINT32, this.localNode.position(), ConfigOrigin.DEFAULT);
		for (ResolvedNode node : this.nodes) {
			if (node.nodeidGenerated()) {
				cmap.putNumber("nodelist.node." + node.position() + ".nodeid", ValueType.UINT32, node.nodeid(),
						ConfigOrigin.DEFAULT);
			}
		}
		// config_convert_nodelist_to_interface: the local node's addresses replace any bindnetaddr
		this.bindAddressTexts.forEach((link, text) -> cmap.putString("totem.interface." + link + ".bindnetaddr", text,
				ConfigOrigin.DEFAULT));
	}

	private static final class Resolution {

		private final CorosyncConfig config;

		private final HostNetwork host;

		private final ConfigMap keys;

		private final List<ConfigProblem> problems = new ArrayList<>();

		Resolution(CorosyncConfig config, HostNetwork host) {
			this.config = config;
			this.host = host;
			this.keys = config.keys();
		}

		ClusterAddresses run() {
			TotemConfig totem = this.config.totem();
			boolean udp = totem.transport() != Transport.KNET;
			List<NodeConfig> totemNodes = this.config.totemNodes();
			NodeConfig local = findLocalNode();

			// Corosync parses the local node's addresses first, as the links' bind addresses.
			Map<Integer, InetAddress> bindAddresses = new TreeMap<>();
			if (local != null) {
				local.addressesByLink().forEach((link, text) -> {
					InetAddress address = parse(text, totem.ipVersion());
					if (address == null) {
						fail("nodelist.node." + local.position() + ".ring" + link + "_addr",
								"failed to parse bindnet address '" + text + "'", ipVersionFix(text));
					}
					else {
						bindAddresses.put(link, address);
					}
				});
			}
			if (totem.transport() == Transport.UDP) {
				for (InterfaceConfig link : totem.interfaces()) {
					if (link.bindnetaddr() != null && !bindAddresses.containsKey(link.linknumber())) {
						InetAddress address = parse(link.bindnetaddr(), totem.ipVersion());
						if (address == null) {
							fail("totem.interface." + link.linknumber() + ".bindnetaddr",
									"failed to parse bindnet address '" + link.bindnetaddr() + "'", ipVersionFix(link.bindnetaddr()));
						}
						else {
							bindAddresses.put(link.linknumber(), address);
						}
					}
				}
			}
			for (InterfaceConfig link : totem.interfaces()) {
				// Corosync parses a configured mcastaddr for every transport
				if (link.mcastaddr() != null && !link.broadcast() && parse(link.mcastaddr(), totem.ipVersion()) == null) {
					fail("totem.interface." + link.linknumber() + ".mcastaddr",
							"failed to parse mcast address '" + link.mcastaddr() + "'", "use a multicast address literal");
				}
			}
			if (local != null && local.ring0Address() == null) {
				fail("nodelist.node." + local.position() + ".ring0_addr", "the local node (nodelist.node."
						+ local.position() + ") has no ring0_addr, so it cannot be a member of the ring",
						"add 'ring0_addr: ADDRESS' to this node");
			}
			if (!this.problems.isEmpty()) {
				throw new ConfigException(this.problems);
			}

			List<ResolvedNode> nodes = new ArrayList<>();
			for (NodeConfig node : totemNodes) {
				Long nodeid = node.nodeid();
				boolean generated = false;
				if (nodeid == null && udp) {
					nodeid = generateNodeid(Objects.requireNonNull(node.ring0Address()), totem.clearNodeHighBit());
					generated = true;
					if (nodeid == null) {
						fail("nodelist.node." + node.position() + ".nodeid",
								(node == local) ? "An IPV6 network requires that a node ID be specified"
										: "An IPV6 network requires that a node ID be specified for address '"
												+ node.ring0Address() + "'.",
								"add 'nodeid: N' to every node");
						continue;
					}
				}
				Map<Integer, InetAddress> addresses = new LinkedHashMap<>();
				node.addressesByLink().forEach((link, text) -> {
					InetAddress address = (node == local) ? bindAddresses.get(link) : parse(text, totem.ipVersion());
					if (address == null) {
						fail("nodelist.node." + node.position() + ".ring" + link + "_addr",
								"failed to parse node address '" + text + "'", ipVersionFix(text));
					}
					else {
						addresses.put(link, address);
					}
				});
				nodes.add(new ResolvedNode(node.position(), (nodeid != null) ? nodeid : 0, generated, node.name(),
						addresses));
			}
			if (!this.problems.isEmpty()) {
				throw new ConfigException(this.problems);
			}

			if (local == null) {
				fail("nodelist", "No valid name found for local host",
						"add this host (name " + this.host.hostname() + ") to the nodelist, with 'name:' set to its "
								+ "host name or ring0_addr set to one of its addresses");
			}
			if (totem.transport() == Transport.UDP) {
				checkMulticast(totem, bindAddresses);
			}
			checkFamilies(totem, nodes);
			checkGeneratedDuplicates(nodes);
			if (!this.problems.isEmpty()) {
				throw new ConfigException(this.problems);
			}
			ResolvedNode localNode = nodes.stream().filter((node) -> node.position() == local.position()).findFirst()
				.orElseThrow();
			Map<Integer, String> bindTexts = (local != null) ? local.addressesByLink() : Map.of();
			return new ClusterAddresses(nodes, localNode, bindAddresses, bindTexts);
		}

		/** {@code find_local_node}: by host name, shorter host names, interface names and addresses, then by resolving. */
		private @Nullable NodeConfig findLocalNode() {
			String hostname = this.host.hostname();
			NodeConfig found = byName(hostname, false);
			String shorter = hostname;
			while (found == null && shorter.lastIndexOf('.') > 0) {
				shorter = shorter.substring(0, shorter.lastIndexOf('.'));
				found = byName(shorter, false);
			}
			if (found == null) {
				found = byName(shorter, true);
			}
			List<InetAddress> localAddresses = this.host.localAddresses();
			for (int i = 0; found == null && i < localAddresses.size(); i++) {
				InetAddress address = localAddresses.get(i);
				String name = this.host.reverseLookup(address);
				if (name != null) {
					found = byName(name, false);
					if (found == null && name.indexOf('.') > 0) {
						found = byName(name.substring(0, name.indexOf('.')), false);
					}
				}
				if (found == null) {
					found = byName(AddressFormat.format(address), false);
				}
			}
			for (int i = 0; found == null && i < this.config.nodes().size(); i++) {
				NodeConfig node = this.config.nodes().get(i);
				for (String candidate : new String[] { node.name(), node.ring0Address() }) {
					if (candidate != null && found == null && resolvesToLocal(candidate, localAddresses)) {
						found = node;
					}
				}
			}
			return found;
		}

		private @Nullable NodeConfig byName(String name, boolean stripDomain) {
			for (NodeConfig node : this.config.nodes()) {
				for (String candidate : new String[] { node.name(), node.ring0Address() }) {
					if (candidate == null) {
						continue;
					}
					String compared = (stripDomain && candidate.indexOf('.') >= 0)
							? candidate.substring(0, candidate.indexOf('.')) : candidate;
					if (compared.equals(name)) {
						return node;
					}
				}
			}
			return null;
		}

		private boolean resolvesToLocal(String name, List<InetAddress> localAddresses) {
			try {
				for (InetAddress address : this.host.resolve(name)) {
					if (localAddresses.contains(address)) {
						return true;
					}
				}
			}
			catch (UnknownHostException ex) {
				// not this one
			}
			return false;
		}

		/** {@code totemip_parse}: a literal, or a name resolved and filtered by the ip_version preference. */
		private @Nullable InetAddress parse(String text, IpVersion ipVersion) {
			if (text.isBlank()) {
				return null;
			}
			List<InetAddress> candidates;
			try {
				candidates = this.host.resolve(text);
			}
			catch (UnknownHostException ex) {
				return null;
			}
			InetAddress ipv4 = candidates.stream().filter(Inet4Address.class::isInstance).findFirst().orElse(null);
			InetAddress ipv6 = candidates.stream().filter(Inet6Address.class::isInstance).findFirst().orElse(null);
			return switch (ipVersion) {
				case IPV4 -> ipv4;
				case IPV6 -> ipv6;
				case IPV4_6 -> (ipv4 != null) ? ipv4 : ipv6;
				case IPV6_4 -> (ipv6 != null) ? ipv6 : ipv4;
			};
		}

		private String ipVersionFix(String text) {
			return "use an address or resolvable host name"
					+ (text.indexOf(':') >= 0 || text.indexOf('.') >= 0 ? " of the family totem.ip_version allows" : "")
					+ " (ip_version is " + this.config.totem().ipVersion() + ")";
		}

		/** Node id of udp/udpu nodes without one: the IPv4 address as a big-endian number. */
		private @Nullable Long generateNodeid(String ring0, boolean clearHighBit) {
			InetAddress address = parse(ring0, IpVersion.IPV4);
			if (address == null) {
				return null;
			}
			byte[] bytes = address.getAddress();
			long id = ((bytes[0] & 0xFFL) << 24) | ((bytes[1] & 0xFFL) << 16) | ((bytes[2] & 0xFFL) << 8) | (bytes[3] & 0xFFL);
			return clearHighBit ? (id & 0x7FFFFFFFL) : id;
		}

		private void checkMulticast(TotemConfig totem, Map<Integer, InetAddress> bindAddresses) {
			for (InterfaceConfig link : totem.interfaces()) {
				if (link.broadcast() || link.mcastaddr() == null) {
					continue;
				}
				String key = "totem.interface." + link.linknumber() + ".mcastaddr";
				InetAddress mcast = Objects.requireNonNull(parse(link.mcastaddr(), totem.ipVersion()));
				InetAddress bind = bindAddresses.get(link.linknumber());
				if (bind != null && bind.getClass() != mcast.getClass()) {
					fail(key, "Multicast address family does not match bind address family for interface "
							+ link.linknumber(), "use an IPv4 multicast address for IPv4 nodes, IPv6 for IPv6");
				}
				else if (!mcast.isMulticastAddress()) {
					fail(key, "mcastaddr is not a correct multicast address for interface " + link.linknumber(),
							"use an address in 224.0.0.0/4 (IPv4) or ff00::/8 (IPv6)");
				}
			}
		}

		private void checkFamilies(TotemConfig totem, List<ResolvedNode> nodes) {
			for (InterfaceConfig link : totem.interfaces()) {
				InetAddress first = null;
				for (ResolvedNode node : nodes) {
					InetAddress address = node.addresses().get(link.linknumber());
					if (address == null) {
						continue;
					}
					if (first == null) {
						first = address;
					}
					else if (first.getClass() != address.getClass()) {
						fail("nodelist.node." + node.position() + ".ring" + link.linknumber() + "_addr",
								"Nodes for link " + link.linknumber() + " have different IP families (compared "
										+ AddressFormat.format(address) + " with " + AddressFormat.format(first) + ")",
								"use only IPv4 or only IPv6 addresses on one link");
						return;
					}
				}
			}
		}

		private void checkGeneratedDuplicates(List<ResolvedNode> nodes) {
			Map<Long, ResolvedNode> seen = new HashMap<>();
			for (ResolvedNode node : nodes) {
				ResolvedNode first = seen.putIfAbsent(node.nodeid(), node);
				if (first != null && (node.nodeidGenerated() || first.nodeidGenerated())) {
					String from = node.nodeidGenerated()
							? "(autogenerated from " + AddressFormat.format(node.addresses().get(0)) + ")" : "";
					fail("nodelist.node." + node.position() + ".nodeid",
							"Nodeid " + node.nodeid() + from + " appears twice in corosync.conf",
							"give the nodes explicit, distinct nodeids");
				}
			}
		}

		private void fail(String key, String message, @Nullable String fix) {
			this.problems.add(new ConfigProblem(ConfigStage.TOTEM,
					this.keys.originOf(key, ConfigOrigin.of(this.keys.source())),
					key, message, fix));
		}

	}

}
