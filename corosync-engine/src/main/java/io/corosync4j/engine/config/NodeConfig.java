package io.corosync4j.engine.config;

import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * One {@code nodelist.node} entry.
 *
 * @param position the entry's 0-based position in the nodelist ({@code nodelist.node.<position>})
 * @param nodeid the configured node id, or {@code null} when absent (or 0 on udp/udpu, where Corosync
 * derives the id from the IPv4 ring0 address at start)
 * @param name {@code name}, used to find the local node, or {@code null}
 * @param addresses {@code ringN_addr} by link number, as written (address or host name)
 * @param quorumVotes votequorum votes of this node
 * @param origin where the entry is
 */
public record NodeConfig(int position, @Nullable Long nodeid, @Nullable String name, Map<Integer, String> addresses,
		long quorumVotes, ConfigOrigin origin) {

	public NodeConfig {
		addresses = Map.copyOf(addresses);
	}

	/** {@code ring0_addr}, or {@code null} when the entry has none (Totem then skips it). */
	public @Nullable String ring0Address() {
		return this.addresses.get(0);
	}

	/** The addresses ordered by link number. */
	public Map<Integer, String> addressesByLink() {
		return new TreeMap<>(this.addresses);
	}

}
