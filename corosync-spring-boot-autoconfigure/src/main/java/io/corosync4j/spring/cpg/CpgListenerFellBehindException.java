package io.corosync4j.spring.cpg;

/**
 * A group's listeners fell behind by more than {@code corosync.cpg.listener-queue}: this member left the
 * group, as Corosync disconnects a client whose IPC queue overflows. The other members saw it leave at
 * one point of the agreed order; the listeners still get everything delivered before that point, so
 * nothing is lost and the members that stayed delivered the same. With
 * {@code corosync.cpg.rejoin-after-falling-behind} (the default) the member joins again once its
 * listeners caught up; its state is then as stale as any new member's (take a state transfer).
 */
public class CpgListenerFellBehindException extends RuntimeException {

	public CpgListenerFellBehindException(String message) {
		super(message);
	}

}
