package io.corosync4j.engine.message;

/**
 * How a send to a queue group picks its target. The choice is made in the replicated state at the
 * send's point of the agreed order (the round-robin cursor is part of the state), so every member picks
 * the same queue. Only queues whose consumer is live are candidates while there are any; a queue is
 * skipped when its capacity for the message's priority is used up.
 */
public enum GroupPolicy {

	/** The group's queues in turn, by name. */
	ROUND_ROBIN,

	/** In turn among the queues whose consumer is on the sender's node; all of them if there is none. */
	LOCAL_ROUND_ROBIN,

	/** The queue on the sender's node with the most free capacity at the priority; else the same over all. */
	LOCAL_BEST_QUEUE,

	/** A copy to every queue of the group, each copy with its own message id. */
	BROADCAST

}
