package io.corosync4j.engine.cluster;

import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The cluster membership service (the AIS CLM API): the nodes of the cluster, whether each is a member,
 * its name, addresses and boot time, in numbered {@linkplain ClusterView views}; queried with
 * {@link #view()} or tracked with {@link #track}. Get a node's with
 * {@link io.corosync4j.engine.runtime.CorosyncNode#clusterMembership()}; it needs no group joined.
 *
 * <p>Views are those of synchronized rings, numbered by the ring's sequence number, so every member of a
 * ring publishes the same view number for it. Boot times are learnt from the other corosync4j nodes:
 * each one's service multicasts its node id, boot time and name in the CPG group {@value #GROUP_NAME}
 * when it starts and whenever a process joins that group. That group is an implementation detail, but
 * visible: every node lists it among its CPG groups. Corosync daemons never announce, so their boot
 * time stays unknown ({@code null}); so does a corosync4j node's whose application never started its
 * membership service.
 *
 * <p>Thread-safe. Tracking callbacks run on a thread of the service, never the node's event loop, one
 * at a time in the order the views changed.
 */
public interface ClusterMembership {

	/** The CPG group in which corosync4j nodes announce their boot time and name. */
	String GROUP_NAME = "corosync4j:clm";

	/** A tracking registration; closing it stops the callbacks ({@code saClmClusterTrackStop}). */
	interface Tracking extends AutoCloseable {

		@Override
		void close();

	}

	/** This node's id. */
	long localNodeId();

	/**
	 * The current view ({@code saClmClusterTrack} with {@code SA_TRACK_CURRENT}, answered at once):
	 * no changes listed, view number 0 before this node was in a synchronized ring.
	 */
	ClusterView view();

	/** A node of the current view ({@code saClmClusterNodeGet}). */
	Optional<ClusterNode> node(long nodeid);

	/**
	 * Calls {@code callback} with views as {@code flags} ask ({@code saClmClusterTrack}):
	 * {@link TrackFlag#CURRENT} once with the current view; {@link TrackFlag#CHANGES} with the full view
	 * at every change, or {@link TrackFlag#CHANGES_ONLY} with only the nodes that changed (a new ring with
	 * the same members is a change of view number only, which {@code CHANGES_ONLY} skips). With
	 * {@code CURRENT} and {@code CHANGES} the current view comes first, then the changes after it.
	 * @throws IllegalArgumentException when {@code flags} is empty or has both {@code CHANGES} and
	 * {@code CHANGES_ONLY}
	 * @throws IllegalStateException when the service is closed
	 */
	Tracking track(Set<TrackFlag> flags, Consumer<ClusterView> callback);

	/** Announcements from other nodes that could not be read (another version, truncated, forged), dropped. */
	long malformedMessages();

}
