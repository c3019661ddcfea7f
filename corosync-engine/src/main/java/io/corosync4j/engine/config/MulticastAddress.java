package io.corosync4j.engine.config;

import java.nio.charset.StandardCharsets;

/**
 * The multicast address the udp transport derives from the cluster name when {@code mcastaddr} is not
 * configured ({@code get_cluster_mcast_addr} in {@code exec/totemconfig.c}).
 */
final class MulticastAddress {

	private MulticastAddress() {
	}

	/**
	 * @param clusterName {@code totem.cluster_name}
	 * @param link the link number, added to the name's hash
	 * @param ipv6 whether the link's addresses are IPv6
	 * @return {@code 239.192.<id / 256>.<id % 255>} or {@code ff15::<id hex>}
	 */
	static String forCluster(String clusterName, int link, boolean ipv6) {
		int value = 0;
		// Corosync shifts and adds the name's bytes as (signed) chars.
		for (byte b : clusterName.getBytes(StandardCharsets.UTF_8)) {
			value = (value << 1) + b;
		}
		int clusterId = ((value & 0xFFFF) + link) & 0xFFFF;
		// "% 0xFF" (not "& 0xFF") is Corosync's arithmetic, kept so the address is the same.
		return ipv6 ? "ff15::" + Integer.toHexString(clusterId) : "239.192." + (clusterId >> 8) + "." + (clusterId % 0xFF);
	}

}
