package io.corosync4j.engine.service.cpg;

import java.util.List;

/**
 * A group's membership changed ({@code cpg_confchg_fn_t}).
 *
 * @param group the group
 * @param members the processes in the group now, by node id then pid
 * @param left who left, with the reason
 * @param joined who joined, with the reason
 */
public record CpgConfigurationChange(CpgName group, List<CpgAddress> members, List<CpgAddress> left,
		List<CpgAddress> joined) {

	public CpgConfigurationChange {
		members = List.copyOf(members);
		left = List.copyOf(left);
		joined = List.copyOf(joined);
	}

}
