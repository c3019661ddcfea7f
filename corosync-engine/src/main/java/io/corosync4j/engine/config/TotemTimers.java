package io.corosync4j.engine.config;

/**
 * The effective Totem timers and protocol constants, as Corosync 3.1.7's {@code totemconfig.c}
 * computes them from the configured values and the size of the nodelist. All times are milliseconds.
 *
 * @param token token timeout: {@code token + (N − 2) × token_coefficient} for N ≥ 3 nodes on link 0
 * @param tokenWarning percentage of {@code token} without a token after which a warning is logged; 0 disables
 * @param tokenRetransmitsBeforeLossConst token retransmits before the token counts as lost
 * @param tokenRetransmit token retransmit timeout: {@code trunc(token / (retransmits + 0.2))}
 * @param hold token hold timeout: {@code trunc(tokenRetransmit × 0.8 − 10)}
 * @param join join message retransmit period in GATHER
 * @param sendJoin upper bound of the random delay before sending a join; 0 disables
 * @param consensus consensus timeout: {@code trunc(1.2 × token)}
 * @param merge delay before an idle representative sends a merge-detect message
 * @param downcheck interface re-check period
 * @param failRecvConst token visits with an unchanged aru before FAILED TO RECEIVE
 * @param seqnoUnchangedConst idle rotations before the token is held
 * @param heartbeatFailuresAllowed heartbeat mode: missed heartbeats allowed; 0 disables
 * @param maxNetworkDelay heartbeat mode: network delay allowance
 * @param windowSize messages (new and retransmitted) per token rotation, ring-wide
 * @param maxMessages messages one node sends per token visit
 * @param missCountConst token visits a gap persists before it is put on the retransmit list
 * @param tokenRetransmitSet whether {@code token_retransmit} is in the configuration (even as 0, which
 * still derives the value), which decides Corosync's message when it is too small
 */
public record TotemTimers(long token, long tokenWarning, long tokenRetransmitsBeforeLossConst, long tokenRetransmit,
		long hold, long join, long sendJoin, long consensus, long merge, long downcheck, long failRecvConst,
		long seqnoUnchangedConst, long heartbeatFailuresAllowed, long maxNetworkDelay, long windowSize,
		long maxMessages, long missCountConst, boolean tokenRetransmitSet) {

	static final long DEFAULT_TOKEN = 3000;

	static final long DEFAULT_TOKEN_COEFFICIENT = 650;

	/** {@code MINIMUM_TIMEOUT}: three ticks of a 100 Hz kernel. */
	static final long MINIMUM_TIMEOUT = 30;

	/** {@code MINIMUM_TIMEOUT_HOLD}: {@code trunc(30 × 0.8 − 10)}. */
	static final long MINIMUM_TIMEOUT_HOLD = 14;

	/**
	 * Computes the effective timers.
	 * @param map the configuration keys ({@code totem.*})
	 * @param ring0Members nodelist entries with a {@code ring0_addr}, which scale the token
	 * @return the effective values
	 */
	public static TotemTimers derive(ConfigMap map, int ring0Members) {
		long retransmits = positive(map, "totem.token_retransmits_before_loss_const", 4);
		long token = positive(map, "totem.token", DEFAULT_TOKEN);
		long warning = map.number("totem.token_warning").orElse(75);
		if (ring0Members > 2) {
			// unsigned 32-bit arithmetic, as in totemconfig.c
			token = u32(token + (ring0Members - 2) * map.number("totem.token_coefficient").orElse(DEFAULT_TOKEN_COEFFICIENT));
		}
		long tokenRetransmit = positive(map, "totem.token_retransmit", u32(cInt(token / (retransmits + 0.2))));
		long hold = positive(map, "totem.hold", u32(cInt(tokenRetransmit * 0.8 - 10)));
		long join = positive(map, "totem.join", 50);
		long consensus = positive(map, "totem.consensus", u32(cInt((float) (1.2 * token))));
		return new TotemTimers(token, warning, retransmits, tokenRetransmit, hold, join,
				map.number("totem.send_join").orElse(0), consensus, positive(map, "totem.merge", 200),
				positive(map, "totem.downcheck", 1000), positive(map, "totem.fail_recv_const", 2500),
				positive(map, "totem.seqno_unchanged_const", 30), map.number("totem.heartbeat_failures_allowed").orElse(0),
				positive(map, "totem.max_network_delay", 50), positive(map, "totem.window_size", 50),
				positive(map, "totem.max_messages", 17), positive(map, "totem.miss_count_const", 5),
				map.contains("totem.token_retransmit"));
	}

	/** C's {@code (int)} conversion on x86-64: out-of-range values become {@code INT_MIN}. */
	private static int cInt(double value) {
		return (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) ? (int) value : Integer.MIN_VALUE;
	}

	/** The value stored into a {@code uint32_t}. */
	private static long u32(long value) {
		return value & 0xFFFFFFFFL;
	}

	/** Corosync treats 0 as "not configured" for these keys. */
	private static long positive(ConfigMap map, String key, long defaultValue) {
		long value = map.number(key).orElse(0);
		return (value != 0) ? value : defaultValue;
	}

	/** Period of the "Token has not been received" warning, or 0 when warnings are disabled. */
	public long tokenWarningPeriod() {
		return u32(this.token * this.tokenWarning) / 100;
	}

	/**
	 * The heartbeat timeout, {@code heartbeatFailuresAllowed × tokenRetransmit + maxNetworkDelay},
	 * or 0 when heartbeat mode is off, which includes a timeout not below the token timeout.
	 */
	public long heartbeatTimeout() {
		if (this.heartbeatFailuresAllowed == 0) {
			return 0;
		}
		long timeout = this.heartbeatFailuresAllowed * this.tokenRetransmit + this.maxNetworkDelay;
		return (timeout < this.token) ? timeout : 0;
	}

}
