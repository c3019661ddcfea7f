package io.corosync4j.engine.transport.knet;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One host's link as this node sees it: what {@code corosync-cfgtool -s} and the
 * {@code stats.knet.node<N>.link<L>.*} keys report.
 *
 * @param nodeid the remote host
 * @param link the link number
 * @param address the host's address on the link
 * @param enabled whether the link is enabled on this node
 * @param connected whether its pongs arrive (the link carries data)
 * @param mtu the data MTU used on the link
 * @param latencyMin the lowest averaged ping latency seen, microseconds ({@code 4294967295} before the first pong)
 * @param latencyMax the highest, microseconds
 * @param latencyAve the current average over the last {@code knet_ping_precision} samples, microseconds
 * @param latencySamples samples in that average
 * @param upCount how often the link came up
 * @param downCount how often it went down
 * @param pongTimeoutMillis how long pongs may stop before the link goes down: {@code knet_ping_timeout}
 * times a back-off of up to 10 that libknet applies after the link went down and lowers by one each second
 * @param counters the traffic counters
 */
public record KnetLinkStats(long nodeid, int link, String address, boolean enabled, boolean connected, int mtu,
		long latencyMin, long latencyMax, long latencyAve, long latencySamples, long upCount, long downCount,
		long pongTimeoutMillis, Map<KnetCounter, Long> counters) {

	public KnetLinkStats {
		counters = (counters.isEmpty()) ? Map.of() : Map.copyOf(new EnumMap<>(counters));
	}

	public long counter(KnetCounter counter) {
		return this.counters.getOrDefault(counter, 0L);
	}

	/** Every value under its Corosync stat name, the {@code *_total_*} sums included. */
	public Map<String, Long> values() {
		Map<String, Long> values = new LinkedHashMap<>();
		values.put("enabled", this.enabled ? 1L : 0L);
		values.put("connected", this.connected ? 1L : 0L);
		values.put("mtu", (long) this.mtu);
		long txPackets = 0;
		long rxPackets = 0;
		long txBytes = 0;
		long rxBytes = 0;
		for (KnetCounter counter : KnetCounter.values()) {
			long value = counter(counter);
			values.put(counter.statName(), value);
			if (counter.packets()) {
				if (counter.transmit()) {
					txPackets += value;
				}
				else {
					rxPackets += value;
				}
			}
			else if (counter.bytes()) {
				if (counter.transmit()) {
					txBytes += value;
				}
				else {
					rxBytes += value;
				}
			}
		}
		// sends are never retried (a refused one is an error), so the retry counters stay 0
		for (String kind : new String[] { "data", "ping", "pong", "pmtu" }) {
			values.put("tx_" + kind + "_retries", 0L);
			values.putIfAbsent("tx_" + kind + "_errors", 0L);
		}
		values.put("rx_total_retries", 0L);
		values.put("tx_total_errors", counter(KnetCounter.TX_DATA_ERRORS));
		values.put("tx_total_packets", txPackets);
		values.put("rx_total_packets", rxPackets);
		values.put("tx_total_bytes", txBytes);
		values.put("rx_total_bytes", rxBytes);
		values.put("latency_min", this.latencyMin);
		values.put("latency_max", this.latencyMax);
		values.put("latency_ave", this.latencyAve);
		values.put("latency_samples", this.latencySamples);
		values.put("up_count", this.upCount);
		values.put("down_count", this.downCount);
		return values;
	}

}
