package io.corosync4j.engine.lock;

import java.util.List;

/**
 * A resource with holders or waiters.
 *
 * @param name the resource
 * @param holders who holds it, in grant order
 * @param waiters who waits for it, in the order they will be granted
 */
public record LockResourceView(String name, List<LockView> holders, List<LockView> waiters) {

	public LockResourceView {
		holders = List.copyOf(holders);
		waiters = List.copyOf(waiters);
	}

}
