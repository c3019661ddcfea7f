package io.corosync4j.engine.service.cpg;

import java.util.List;

import io.corosync4j.engine.totem.wire.RingId;

/**
 * A group's membership changed ({@code cpg_confchg_fn_t}).
 *
 * @param group the group
 * @param members the processes in the group now, by node id then pid
 * @param left who left, with the reason
 * @param joined who joined, with the reason
 * @param ring the ring in which the change was delivered: every member of the group sees a change in the
 * same ring, and no two changes in one ring have the same members and departures, so the three name it
 * (the members and departures alone do not: a group that splits and merges again has the same members)
 */
public record CpgConfigurationChange(CpgName group, List<CpgAddress> members, List<CpgAddress> left,
		List<CpgAddress> joined, RingId ring) {

	public CpgConfigurationChange {
		members = List.copyOf(members);
		left = List.copyOf(left);
		joined = List.copyOf(joined);
	}

}
