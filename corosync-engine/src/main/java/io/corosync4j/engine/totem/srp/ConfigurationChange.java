package io.corosync4j.engine.totem.srp;

import java.util.List;

import io.corosync4j.engine.totem.wire.RingId;

/**
 * A configuration delivered in the agreed order ({@code totemsrp_confchg_fn}). Each ring change is a
 * transitional configuration (members = those that came from this node's old ring, with the left
 * list) followed by a regular one (members = the new ring in node id order, with the joined list).
 *
 * @param type transitional or regular
 * @param members the configuration's members
 * @param left nodes of the old ring that are not in the transitional configuration (transitional only)
 * @param joined nodes of the new ring that were not in the transitional configuration (regular only)
 * @param ringId the new ring
 */
public record ConfigurationChange(ConfigurationType type, List<Long> members, List<Long> left, List<Long> joined,
		RingId ringId) {

	public ConfigurationChange {
		members = List.copyOf(members);
		left = List.copyOf(left);
		joined = List.copyOf(joined);
	}

}
