package io.corosync4j.engine.servicegroup;

import java.util.concurrent.CompletionStage;

import io.corosync4j.engine.replica.Member;

/**
 * Makes sure a former active can no longer do harm, before a unit that replaces it is told it is active:
 * power it off, revoke its storage reservation, bump an epoch in the store it writes to. Run only when
 * the former active's node failed (left the ring), since that is when it may still be running without
 * knowing it lost: a process paused past the token timeout, or a node cut off whose side has not yet
 * noticed the split.
 *
 * <p>Called on the service's callback thread; the unit's activation waits for the returned stage. A
 * stage that fails (or a fencer that throws) reports the unit failed, and the group moves on to the next
 * standby, which fences the same former active.
 */
@FunctionalInterface
public interface Fencer {

	/**
	 * Fences {@code previousActive}, the process that was the active unit of {@code group} when its node
	 * failed.
	 */
	CompletionStage<?> fence(String group, Member previousActive);

}
