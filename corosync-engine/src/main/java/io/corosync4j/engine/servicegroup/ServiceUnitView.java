package io.corosync4j.engine.servicegroup;

import io.corosync4j.engine.replica.Member;

/**
 * One unit of a group as the replicated table holds it.
 * @param member the process offering it
 * @param rank its rank (lower preferred)
 * @param state {@link ServiceUnitState#ACTIVE}, {@link ServiceUnitState#STANDBY},
 * {@link ServiceUnitState#QUIESCING} or {@link ServiceUnitState#FAILED}
 * @param detail the failure it reported, when failed; empty otherwise
 */
public record ServiceUnitView(Member member, int rank, ServiceUnitState state, String detail) {
}
