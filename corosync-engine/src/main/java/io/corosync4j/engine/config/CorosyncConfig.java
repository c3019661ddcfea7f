package io.corosync4j.engine.config;

import java.util.List;

/**
 * A whole, validated Corosync configuration: the typed sections with every default and derived value
 * applied, the keys they came from, and the warnings found while reading them.
 *
 * @param totem the {@code totem} section
 * @param nodes the {@code nodelist}, in file order
 * @param quorum the {@code quorum} section
 * @param logging the {@code logging} section
 * @param system the {@code system} section
 * @param resources the {@code resources} section
 * @param keys the configuration keys as written (the icmap after parsing)
 * @param warnings what was accepted but deserves the operator's attention
 */
public record CorosyncConfig(TotemConfig totem, List<NodeConfig> nodes, QuorumConfig quorum, LoggingConfig logging,
		SystemConfig system, ResourcesConfig resources, ConfigMap keys, List<ConfigWarning> warnings) {

	public CorosyncConfig {
		nodes = List.copyOf(nodes);
		warnings = List.copyOf(warnings);
	}

	/** Nodelist entries that Totem uses: those with a {@code ring0_addr}. */
	public List<NodeConfig> totemNodes() {
		return this.nodes.stream().filter((node) -> node.ring0Address() != null).toList();
	}

	/**
	 * The CMAP view of this configuration as a node publishes it: the keys as written plus the
	 * effective values under {@code runtime.config.totem.*} and the derived {@code totem.interface}
	 * keys of the udp transport.
	 */
	public ConfigMap toCmap() {
		return CmapView.of(this);
	}

	/**
	 * The CMAP view once the configuration is bound to a host: as {@link #toCmap()}, plus
	 * {@code nodelist.local_node_pos}, generated node ids and the links' {@code bindnetaddr}.
	 * @param addresses the configuration resolved on this host
	 */
	public ConfigMap toCmap(ClusterAddresses addresses) {
		return CmapView.of(this, addresses);
	}

}
