package io.corosync4j.engine.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One Totem link ({@code totem.interface} block, or implied by the nodelist's {@code ringN_addr}),
 * with Corosync's defaults applied.
 *
 * @param linknumber the link, 0 to 7
 * @param bindnetaddr {@code bindnetaddr} as configured (udp only), or {@code null}
 * @param mcastaddr the multicast address: configured, or (udp) derived from the cluster name; {@code null} for other transports
 * @param broadcast udp only: use 255.255.255.255
 * @param mcastport the UDP port: configured, or 5405 + link (5405 + 2 × link with broadcast)
 * @param ttl the multicast TTL (udp only; 1 elsewhere)
 * @param knetLinkPriority passive-mode priority, higher wins
 * @param knetPingInterval effective heartbeat period, ms: configured or {@code token / (2 × pong count)}
 * @param knetPingTimeout effective link-down timeout, ms: configured or {@code token / pong count}
 * @param knetPingPrecision latency averaging window, samples
 * @param knetPongCount pongs needed before the link counts as up
 * @param knetTransport the knet link protocol, {@code udp} or {@code sctp}
 * @param members 2.x-style {@code member { memberaddr }} entries, ignored when a nodelist exists
 */
public record InterfaceConfig(int linknumber, @Nullable String bindnetaddr, @Nullable String mcastaddr,
		boolean broadcast, int mcastport, int ttl, int knetLinkPriority, long knetPingInterval, long knetPingTimeout,
		long knetPingPrecision, long knetPongCount, String knetTransport, List<String> members) {

	public static final int DEFAULT_PORT = 5405;

	public static final int MAX_LINKS = 8;

	public InterfaceConfig {
		members = List.copyOf(members);
	}

}
