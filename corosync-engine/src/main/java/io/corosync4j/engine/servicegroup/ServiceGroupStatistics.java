package io.corosync4j.engine.servicegroup;

/**
 * What this member saw of its service groups.
 * @param failovers failovers applied while this member held the table (a unit took over from an active that went away)
 * @param switchovers switchovers completed while this member held the table
 * @param activations times a unit of this process was told it is active
 * @param stepDowns times a unit of this process stepped down because this member dropped the table
 * @param fencingFailures fencers of this process's units that failed
 * @param units this process's units now
 * @param active this process's units told active now
 */
public record ServiceGroupStatistics(long failovers, long switchovers, long activations, long stepDowns,
		long fencingFailures, long units, long active) {
}
