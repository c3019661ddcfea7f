package io.corosync4j.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ConfigOrigin;
import io.corosync4j.engine.config.ValueType;

/** Totem's counters as the {@code stats.srp.*} keys of Corosync's stats map, typed as {@code exec/stats.c} types them. */
final class SrpStatsKeys {

	private static final Set<String> UINT32 = Set.of("continuous_gather", "continuous_sendmsg_failures", "mtt_rx_token",
			"avg_token_workload", "avg_backlog_calc");

	private SrpStatsKeys() {
	}

	static List<ConfigEntry> entries(Map<String, Long> snapshot) {
		List<ConfigEntry> entries = new ArrayList<>(snapshot.size());
		snapshot.forEach((name, value) -> {
			ValueType type = UINT32.contains(name) ? ValueType.UINT32
					: name.equals("firewall_enabled_or_nic_failure") ? ValueType.UINT8 : ValueType.UINT64;
			entries.add(ConfigEntry.ofNumber("stats.srp." + name, type, value, ConfigOrigin.DEFAULT));
		});
		return entries;
	}

}
