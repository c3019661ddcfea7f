package io.corosync4j.engine.cluster;

/** What a {@link ClusterMembership#track tracking} callback receives ({@code SA_TRACK_*}). */
public enum TrackFlag {

	/** The current view, once: at once if the node is in a synchronized ring, else with its first one. */
	CURRENT,

	/** Every change, with the full view: all the nodes, and which of them joined, left or were reconfigured. */
	CHANGES,

	/** Every change, with only the nodes that joined, left or were reconfigured. */
	CHANGES_ONLY

}
