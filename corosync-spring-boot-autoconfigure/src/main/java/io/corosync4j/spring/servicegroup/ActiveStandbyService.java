package io.corosync4j.spring.servicegroup;

import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.StateChange;

/**
 * A bean that runs on one member of the cluster at a time: the starter offers a unit of
 * {@link #getServiceGroup()} for it, and {@link #start} runs when the unit becomes
 * {@link ServiceUnitState#ACTIVE}, {@link #stop} when it stops being active (failed, withdrawn as the
 * application stops, its member out of the primary component), {@link #quiesce} when a switchover asks
 * it to hand over, and {@link #standby} when it is a standby, to prepare. Every callback runs on the service group service's callback thread, one at a time
 * in the order of the changes, never the node's event loop.
 *
 * <p>An interface rather than an annotated method because it is a lifecycle contract, as
 * {@link org.springframework.context.SmartLifecycle} is: several callbacks driven by one state, one of
 * which ({@link #quiesce}) hands back a future, and a per-bean spec. It deliberately does not extend
 * {@link org.springframework.context.Lifecycle}: Spring would start such a bean on every member when
 * the context refreshes.
 */
public interface ActiveStandbyService {

	/**
	 * The service group this bean belongs to; a process offers one unit per group, so two beans of one
	 * group in an application fail its start.
	 */
	String getServiceGroup();

	/**
	 * This member's unit became active: start serving. {@code change} tells why (start-up, failover,
	 * switchover) and carries the {@linkplain StateChange#assignment() assignment number} to fence writes
	 * with. A start that throws reports the unit failed, and the group moves on to a standby.
	 */
	void start(StateChange change);

	/**
	 * This member's unit is a standby: registered and not chosen, or back from quiescing or from a
	 * failure. A warm standby prepares here, so that it can take over at once, and above all opens the
	 * checkpoints it will read then: a checkpoint is kept only by the members that started the
	 * checkpoint service, and a standby that first opens it when the active's node crashed finds it
	 * gone with that node. May be called more than once in a row. Does nothing by default.
	 */
	default void standby(StateChange change) {
	}

	/**
	 * This member's unit is no longer active and was not asked to quiesce: stop serving at once (another
	 * member may already be taking over).
	 */
	void stop(StateChange change);

	/**
	 * A switchover asks the active unit to hand over: take no new work, finish or hand off the work under
	 * way, write the last checkpoint, then complete {@code change.quiesced()}; the standby becomes active
	 * then (or when the unit's quiesce timeout ran out). The default stops at once and completes it.
	 */
	default void quiesce(StateChange change) {
		try {
			stop(change);
		}
		finally {
			change.quiesced().complete(null);
		}
	}

	/**
	 * The unit's spec: {@code defaults} has the group, and the rank, grace period and quiesce timeout of
	 * {@code corosync.service-group.*}. Override to rank this bean
	 * (or give it its own grace or quiesce timeout); the group must stay the same.
	 */
	default ServiceUnitSpec getServiceUnitSpec(ServiceUnitSpec defaults) {
		return defaults;
	}

}
