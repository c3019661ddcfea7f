package io.corosync4j.engine.runtime;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ConfigOrigin;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.transport.knet.KnetLinkStats;

/** knet's links as the {@code stats.knet.node<N>.link<L>.*} keys, typed as Corosync's {@code exec/stats.c} types them. */
final class KnetStatsKeys {

	/** knet's loopback link to this node reports the largest MTU. */
	private static final long LOOPBACK_MTU = 65535;

	/**
	 * One of this node's own links (Corosync lists them under the local node id, always connected while
	 * enabled).
	 */
	record LocalLink(int link, boolean enabled) {
	}

	private KnetStatsKeys() {
	}

	static List<ConfigEntry> entries(long localNodeid, List<LocalLink> local, List<KnetLinkStats> links) {
		List<ConfigEntry> entries = new ArrayList<>();
		for (LocalLink link : local) {
			String prefix = "stats.knet.node" + localNodeid + ".link" + link.link() + ".";
			entries.add(entry(prefix, "enabled", link.enabled() ? 1 : 0));
			entries.add(entry(prefix, "connected", link.enabled() ? 1 : 0));
			entries.add(entry(prefix, "mtu", LOOPBACK_MTU));
		}
		for (KnetLinkStats link : links) {
			String prefix = "stats.knet.node" + link.nodeid() + ".link" + link.link() + ".";
			link.values().forEach((name, value) -> entries.add(entry(prefix, name, value)));
		}
		return entries;
	}

	private static ConfigEntry entry(String prefix, String name, long value) {
		return ConfigEntry.ofNumber(prefix + name, type(name), value, ConfigOrigin.DEFAULT);
	}

	static ValueType type(String name) {
		if (name.equals("enabled") || name.equals("connected")) {
			return ValueType.UINT8;
		}
		if (name.startsWith("latency_") || name.equals("mtu") || name.endsWith("_count")
				|| (name.startsWith("tx_") && (name.endsWith("_errors") || name.endsWith("_retries"))
						&& !name.startsWith("tx_total_"))) {
			return ValueType.UINT32;
		}
		return ValueType.UINT64;
	}

}
