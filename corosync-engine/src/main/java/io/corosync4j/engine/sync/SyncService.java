package io.corosync4j.engine.sync;

import java.util.List;

import io.corosync4j.engine.totem.wire.RingId;

/**
 * A service's part in synchronization ({@code struct sync_callbacks}). All methods run on the node's
 * event loop.
 */
public interface SyncService {

	/** Corosync's service id (CMAP 0, CFG 1, CPG 2, QUORUM 3, VOTEQUORUM 5); the order of synchronization. */
	int serviceId();

	/** For logs. */
	String name();

	/**
	 * A new ring is being synchronized.
	 * @param transitional the members that came from this node's previous ring and are in the new one
	 * @param members the new ring's members
	 * @param ringId the new ring
	 */
	void init(List<Long> transitional, List<Long> members, RingId ringId);

	/**
	 * {@link #init(List, List, RingId)} with Corosync's transitional list as well: the members of the
	 * latest transitional configuration, which Corosync hands its services even when synchronizations
	 * were aborted in between. A node that plays a Corosync daemon in tests decides with it
	 * ({@link io.corosync4j.engine.service.ServiceContext#asCorosync()}).
	 */
	default void init(List<Long> transitional, List<Long> latestTransitional, List<Long> members, RingId ringId) {
		init(transitional, members, ringId);
	}

	/**
	 * Sends this service's state; called again until it returns true (for instance after the send
	 * queue was full).
	 */
	boolean process();

	/** Every member has sent its state: apply the synchronized view. */
	void activate();

	/** A newer membership change interrupted the synchronization of this service. */
	void abort();

}
