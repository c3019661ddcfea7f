package io.corosync4j.engine.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.NodeConfig;
import io.corosync4j.engine.service.cmap.Cmap;
import org.jspecify.annotations.Nullable;

/**
 * A nodelist entry as the view shows it.
 *
 * @param nodeid its node id, configured or (udp, udpu) generated from {@code ring0_addr}
 * @param name {@code name}, else {@code ring0_addr}, else {@code null}
 * @param addresses {@code ringN_addr} by link number, as written
 */
record ConfiguredNode(long nodeid, @Nullable String name, Map<Integer, String> addresses) {

	ConfiguredNode {
		addresses = Map.copyOf(addresses);
	}

	/**
	 * The nodelist's entries that have a node id; generated ids are read from {@code cmap}, where the
	 * running node put them ({@code nodelist.node.<position>.nodeid}).
	 */
	static List<ConfiguredNode> of(CorosyncConfig config, Cmap cmap) {
		List<ConfiguredNode> nodes = new ArrayList<>();
		for (NodeConfig node : config.nodes()) {
			Long nodeid = node.nodeid();
			if (nodeid == null || nodeid == 0) {
				nodeid = cmap.getLong("nodelist.node." + node.position() + ".nodeid").orElse(null);
			}
			if (nodeid == null || nodeid == 0) {
				continue;
			}
			String name = (node.name() != null) ? node.name() : node.ring0Address();
			nodes.add(new ConfiguredNode(nodeid, name, node.addresses()));
		}
		return nodes;
	}

}
