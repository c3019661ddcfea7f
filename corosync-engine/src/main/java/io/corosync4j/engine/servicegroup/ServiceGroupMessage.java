package io.corosync4j.engine.servicegroup;

import io.corosync4j.engine.replica.Member;
import org.jspecify.annotations.Nullable;

/**
 * The operations members of the service group table multicast; {@link ServiceGroupCodec} writes and
 * reads them. Requests whose sender waits for an answer carry a {@code request} number of the sender's
 * (0: nobody waits); operations about one unit carry the unit's number, which its process never reuses,
 * so an operation sent for an earlier registration never touches a later one.
 */
sealed interface ServiceGroupMessage {

	/** The sender offers a unit of {@code group}; {@code failure} is non-empty for a unit registered failed. */
	record Register(long unit, String group, int rank, int graceMillis, int quiesceMillis, String failure)
			implements ServiceGroupMessage {
	}

	/** The sender withdraws its unit. */
	record Withdraw(long request, long unit, String group) implements ServiceGroupMessage {
	}

	/** The sender's unit failed ({@code reason}): it is never chosen until repaired. */
	record Fail(long request, long unit, String group, String reason) implements ServiceGroupMessage {
	}

	/** The sender's failed unit is a standby again. */
	record Repair(long request, long unit, String group) implements ServiceGroupMessage {
	}

	/** Move the group's activity to {@code target}, or to the best standby when {@code null}. */
	record Switchover(long request, String group, @Nullable Member target) implements ServiceGroupMessage {
	}

	/** The sender's quiescing unit finished quiescing for switchover {@code quiesce}. */
	record Quiesced(String group, long quiesce) implements ServiceGroupMessage {
	}

	/** The coordinator's timer: switchover {@code quiesce} is forced if its active still quiesces. */
	record QuiesceTimeout(String group, long quiesce) implements ServiceGroupMessage {
	}

	/** The coordinator's timer: the grace period {@code grace} of the group ended. */
	record GraceEnd(String group, long grace) implements ServiceGroupMessage {
	}

	/** The sender's unit, active by {@code assignment}, fenced the group's former actives and was told. */
	record Activated(String group, long assignment) implements ServiceGroupMessage {
	}

	/** Nothing: a point of the agreed order, after a ring change, at which quorum and settlement are read. */
	record Nop() implements ServiceGroupMessage {
	}

}
