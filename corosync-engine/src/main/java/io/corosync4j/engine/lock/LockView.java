package io.corosync4j.engine.lock;

/**
 * A lock as the table shows it: held or waiting.
 *
 * @param nodeid the node of the process that asked for it
 * @param pid that process's CPG pid
 * @param owner the owner within that process
 * @param mode shared or exclusive
 * @param fencingToken its fencing token once granted, 0 while it waits
 * @param orphaned whether its holder went away and it is kept until purged
 * @param inGrace whether its holder's node left the ring and the lock is held for the grace period
 */
public record LockView(long nodeid, long pid, long owner, LockMode mode, long fencingToken, boolean orphaned,
		boolean inGrace) {

	static LockView of(LockMessage.Entry entry) {
		return new LockView(entry.member().nodeid(), entry.member().pid(), entry.owner(), entry.mode(), entry.fence(),
				entry.orphaned(), entry.departed() != 0);
	}

}
