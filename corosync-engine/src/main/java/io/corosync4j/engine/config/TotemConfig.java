package io.corosync4j.engine.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The {@code totem} section with every default and derived value applied.
 *
 * @param version the config format version; always 2
 * @param clusterName {@code cluster_name}, or {@code null}
 * @param configVersion {@code config_version}; 0 disables the config-version check
 * @param transport the transport
 * @param ipVersion address family preference: configured, or ipv4 for udp and ipv6-4 otherwise
 * @param ipDscp DSCP value for outgoing packets, 0 = off
 * @param clearNodeHighBit clear bit 31 of auto-generated node ids
 * @param netmtu the largest Totem frame: configured, or 1500 (udp, udpu) or 65536 (knet)
 * @param linkMode how knet uses several links
 * @param crypto encryption and authentication
 * @param timers the effective timers and constants
 * @param interfaces the configured links, by ascending link number
 * @param knetMtu fixed knet link MTU, 0 = path MTU discovery
 * @param knetPmtudInterval path MTU re-discovery period, seconds
 * @param knetCompressionThreshold knet: packets up to this size are sent uncompressed
 * @param knetCompressionLevel knet: compressor level
 * @param blockUnlistedIps drop datagrams whose source is not in the nodelist
 * @param cancelTokenHoldOnRetransmit never hold the token while retransmissions are pending
 */
public record TotemConfig(long version, @Nullable String clusterName, long configVersion, Transport transport,
		IpVersion ipVersion, int ipDscp, boolean clearNodeHighBit, long netmtu, LinkMode linkMode,
		CryptoConfig crypto, TotemTimers timers, List<InterfaceConfig> interfaces, long knetMtu,
		long knetPmtudInterval, long knetCompressionThreshold, long knetCompressionLevel, boolean blockUnlistedIps,
		boolean cancelTokenHoldOnRetransmit) {

	public TotemConfig {
		interfaces = List.copyOf(interfaces);
	}

	/** The link with {@code linknumber}, or {@code null} when it is not configured. */
	public @Nullable InterfaceConfig link(int linknumber) {
		for (InterfaceConfig link : this.interfaces) {
			if (link.linknumber() == linknumber) {
				return link;
			}
		}
		return null;
	}

}
