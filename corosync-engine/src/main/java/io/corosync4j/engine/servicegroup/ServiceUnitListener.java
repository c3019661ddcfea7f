package io.corosync4j.engine.servicegroup;

/**
 * Told of every change of a unit's state, in the order they happened, on the service's callback thread
 * (never the node's event loop).
 */
@FunctionalInterface
public interface ServiceUnitListener {

	/**
	 * The unit went from {@code previous} to {@code next}. When {@code next} is
	 * {@link ServiceUnitState#QUIESCING}, complete {@code change.quiesced()} once the unit's work is handed
	 * off and its last checkpoint written; the switchover goes on from there (or when the unit's quiesce
	 * timeout runs out).
	 */
	void onStateChange(ServiceUnitState previous, ServiceUnitState next, StateChange change);

}
