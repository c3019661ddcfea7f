package io.corosync4j.engine.service.cpg;

import java.util.List;

import io.corosync4j.engine.totem.wire.RingId;

/**
 * The ring after a synchronization ({@code cpg_totem_confchg_fn_t}).
 *
 * @param ringId the ring
 * @param members its nodes
 */
public record CpgTotemConfiguration(RingId ringId, List<Long> members) {

	public CpgTotemConfiguration {
		members = List.copyOf(members);
	}

}
