package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * The CMAP keys a configuration publishes, named and typed as Corosync 3.1.7 names them: the keys as
 * written, the effective totem values under {@code runtime.config.totem.*} (all {@code u32} except the
 * knet compression level and model), and for udp the derived multicast address and port.
 */
final class CmapView {

	private static final String RUNTIME = "runtime.config.totem.";

	private CmapView() {
	}

	static ConfigMap of(CorosyncConfig config) {
		return of(config, null);
	}

	static ConfigMap of(CorosyncConfig config, @Nullable ClusterAddresses addresses) {
		ConfigMap.Builder cmap = config.keys().toBuilder();
		TotemConfig totem = config.totem();
		TotemTimers timers = totem.timers();
		ConfigOrigin origin = ConfigOrigin.DEFAULT;
		u32(cmap, "block_unlisted_ips", totem.blockUnlistedIps() ? 1 : 0);
		u32(cmap, "cancel_token_hold_on_retransmit", totem.cancelTokenHoldOnRetransmit() ? 1 : 0);
		u32(cmap, "consensus", timers.consensus());
		u32(cmap, "downcheck", timers.downcheck());
		u32(cmap, "fail_recv_const", timers.failRecvConst());
		u32(cmap, "heartbeat_failures_allowed", timers.heartbeatFailuresAllowed());
		u32(cmap, "hold", timers.hold());
		for (InterfaceConfig link : totem.interfaces()) {
			u32(cmap, "interface." + link.linknumber() + ".knet_ping_interval", link.knetPingInterval());
			u32(cmap, "interface." + link.linknumber() + ".knet_ping_timeout", link.knetPingTimeout());
			if (totem.transport() == Transport.UDP) {
				String prefix = "totem.interface." + link.linknumber() + ".";
				if (link.mcastaddr() != null && !cmap.contains(prefix + "mcastaddr")) {
					cmap.putString(prefix + "mcastaddr", link.mcastaddr(), origin);
				}
				if (!cmap.contains(prefix + "mcastport")) {
					cmap.putNumber(prefix + "mcastport", ValueType.UINT16, link.mcastport(), origin);
				}
			}
		}
		u32(cmap, "join", timers.join());
		cmap.putNumber(RUNTIME + "knet_compression_level", ValueType.INT32, totem.knetCompressionLevel(), origin);
		cmap.putString(RUNTIME + "knet_compression_model",
				config.keys().string("totem.knet_compression_model").orElse("none"), origin);
		u32(cmap, "knet_compression_threshold", totem.knetCompressionThreshold());
		u32(cmap, "knet_mtu", totem.knetMtu());
		u32(cmap, "knet_pmtud_interval", totem.knetPmtudInterval());
		u32(cmap, "max_messages", timers.maxMessages());
		u32(cmap, "max_network_delay", timers.maxNetworkDelay());
		u32(cmap, "merge", timers.merge());
		u32(cmap, "miss_count_const", timers.missCountConst());
		u32(cmap, "send_join", timers.sendJoin());
		u32(cmap, "seqno_unchanged_const", timers.seqnoUnchangedConst());
		u32(cmap, "token", timers.token());
		u32(cmap, "token_retransmit", timers.tokenRetransmit());
		u32(cmap, "token_retransmits_before_loss_const", timers.tokenRetransmitsBeforeLossConst());
		u32(cmap, "token_warning", timers.tokenWarning());
		u32(cmap, "window_size", timers.windowSize());
		if (addresses != null) {
			addresses.addCmapKeys(cmap);
		}
		return cmap.build();
	}

	private static void u32(ConfigMap.Builder cmap, String name, long value) {
		cmap.putNumber(RUNTIME + name, ValueType.UINT32, value, ConfigOrigin.DEFAULT);
	}

}
