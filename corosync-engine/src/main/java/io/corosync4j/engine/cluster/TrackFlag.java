package io.corosync4j.engine.cluster;

import java.util.Set;

/** What a {@link ClusterMembership#track tracking} callback receives ({@code SA_TRACK_*}). */
public enum TrackFlag {

	/** The current view, once: at once if the node is in a synchronized ring, else with its first one. */
	CURRENT,

	/** Every change, with the full view: all the nodes, and which of them joined, left or were reconfigured. */
	CHANGES,

	/** Every change, with only the nodes that joined, left or were reconfigured. */
	CHANGES_ONLY;

	/**
	 * Checks a tracking's flags as {@code saClmClusterTrack} does.
	 * @throws IllegalArgumentException when none is given, or both kinds of changes
	 */
	public static void check(Set<TrackFlag> flags) {
		if (flags.isEmpty()) {
			throw new IllegalArgumentException("track what? give CURRENT, CHANGES or CHANGES_ONLY");
		}
		if (flags.contains(CHANGES) && flags.contains(CHANGES_ONLY)) {
			throw new IllegalArgumentException("CHANGES and CHANGES_ONLY exclude each other (SA_AIS_ERR_BAD_FLAGS)");
		}
	}

}
