package io.corosync4j.engine.sam;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * How a component is supervised.
 *
 * @param interval the health-check interval: a heartbeat must come at least this often; {@link
 * Duration#ZERO} disables timing
 * @param policy what happens after a failure
 * @param flags QUORUM and CMAP
 */
public record SamOptions(Duration interval, SamPolicy policy, Set<SamFlag> flags) {

	public SamOptions {
		if (interval.isNegative()) {
			throw new IllegalArgumentException("the health-check interval cannot be negative: " + interval);
		}
		flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
	}

	public static SamOptions of(Duration interval, SamPolicy policy, SamFlag... flags) {
		return new SamOptions(interval, policy, Set.of(flags));
	}

	public boolean has(SamFlag flag) {
		return this.flags.contains(flag);
	}

}
