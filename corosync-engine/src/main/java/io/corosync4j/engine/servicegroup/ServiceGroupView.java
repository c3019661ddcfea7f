package io.corosync4j.engine.servicegroup;

import java.util.List;
import java.util.Optional;

import io.corosync4j.engine.replica.Member;
import org.jspecify.annotations.Nullable;

/**
 * A service group as the replicated table holds it: the same on every member holding the table once
 * they delivered the same operations.
 * @param name the group's name
 * @param units its units in the order an active would be chosen from them (rank, then registration)
 * @param active the process whose unit is active or quiescing, if any
 * @param assignment the number of the group's last assignment (see {@link StateChange#assignment()})
 * @param inGrace whether the group waits out the grace period of an active whose node failed
 * @param unfenced former actives whose nodes failed and that no active has fenced since
 * @param failovers how many times a unit took over from an active that went away, since the table started
 * @param switchovers how many switchovers completed, since the table started
 */
public record ServiceGroupView(String name, List<ServiceUnitView> units, @Nullable Member active, long assignment,
		boolean inGrace, List<Member> unfenced, long failovers, long switchovers) {

	public ServiceGroupView {
		units = List.copyOf(units);
		unfenced = List.copyOf(unfenced);
	}

	/** The active (or quiescing) process, if any. */
	public Optional<Member> activeMember() {
		return Optional.ofNullable(this.active);
	}

}
