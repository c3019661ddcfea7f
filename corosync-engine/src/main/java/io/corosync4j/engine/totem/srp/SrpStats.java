package io.corosync4j.engine.totem.srp;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code stats.srp.*} values of one node: event counters, and the token-timing averages that
 * Corosync recomputes every 1.5 s from its last 100 token visits ({@code mtt_rx_token},
 * {@code avg_token_workload}, {@code avg_backlog_calc}). Read it on the protocol's thread.
 */
public final class SrpStats {

	/** {@code TOTEM_TOKEN_STATS_MAX}. */
	private static final int TOKEN_HISTORY = 100;

	/** More consecutive gathers than this raise {@code firewall_enabled_or_nic_failure}. */
	private static final int MAX_CONTINUOUS_GATHER = 3;

	private final long[] counters = new long[SrpCounter.values().length];

	private final long[] tokenRx = new long[TOKEN_HISTORY];

	private final long[] tokenTx = new long[TOKEN_HISTORY];

	private final long[] backlogCalc = new long[TOKEN_HISTORY];

	private int latest;

	private int earliest;

	SrpStats() {
	}

	/** A counter's current value. */
	public long get(SrpCounter counter) {
		return this.counters[counter.ordinal()];
	}

	void increment(SrpCounter counter) {
		this.counters[counter.ordinal()]++;
	}

	void reset(SrpCounter counter) {
		this.counters[counter.ordinal()] = 0;
	}

	void tokenReceived(long nowMillis) {
		this.latest = (this.latest + 1) % TOKEN_HISTORY;
		if (this.earliest == this.latest) {
			this.earliest = (this.earliest + 1) % TOKEN_HISTORY;
			this.tokenRx[this.earliest] = 0;
			this.tokenTx[this.earliest] = 0;
			this.backlogCalc[this.earliest] = 0;
		}
		this.tokenRx[this.latest] = nowMillis;
		this.tokenTx[this.latest] = 0;
	}

	void tokenSent(long nowMillis) {
		this.tokenTx[this.latest] = nowMillis;
	}

	void backlogCalculated(long backlog) {
		this.backlogCalc[this.latest] = backlog;
	}

	/** Whether Totem keeps failing to form a ring (Corosync then blames a firewall or NIC). */
	public boolean firewallEnabledOrNicFailure() {
		return get(SrpCounter.CONTINUOUS_GATHER) > MAX_CONTINUOUS_GATHER;
	}

	/**
	 * Every value under its {@code stats.srp.} key, with the averages computed as Corosync's stats
	 * updater does.
	 * @param nowMillis the current time in milliseconds, on the same clock as the protocol's events
	 */
	public Map<String, Long> snapshot(long nowMillis) {
		Map<String, Long> values = new LinkedHashMap<>();
		for (SrpCounter counter : SrpCounter.values()) {
			values.put(counter.key(), get(counter));
		}
		long rotation = 0;
		long hold = 0;
		long backlog = 0;
		int tokens = 0;
		int t = this.latest;
		while (true) {
			int previous = (t == 0) ? TOKEN_HISTORY - 1 : t - 1;
			if (previous == this.earliest) {
				break;
			}
			if (this.tokenTx[t] != 0 || this.tokenRx[t] - this.tokenRx[previous] > 0) {
				rotation += this.tokenRx[t] - this.tokenRx[previous];
				hold += this.tokenTx[t] - this.tokenRx[t];
				backlog += this.backlogCalc[t];
				tokens++;
			}
			t = previous;
		}
		values.put("mtt_rx_token", (tokens > 0) ? rotation / tokens : 0);
		values.put("avg_token_workload", (tokens > 0) ? hold / tokens : 0);
		values.put("avg_backlog_calc", (tokens > 0) ? backlog / tokens : 0);
		values.put("time_since_token_last_received", nowMillis - this.tokenRx[this.latest]);
		values.put("firewall_enabled_or_nic_failure", firewallEnabledOrNicFailure() ? 1L : 0L);
		return values;
	}

	Map<SrpCounter, Long> counters() {
		Map<SrpCounter, Long> map = new EnumMap<>(SrpCounter.class);
		for (SrpCounter counter : SrpCounter.values()) {
			map.put(counter, get(counter));
		}
		return map;
	}

}
