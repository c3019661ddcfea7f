/**
 * Cluster membership (the AIS CLM service) for Spring applications: the
 * {@link io.corosync4j.engine.cluster.ClusterMembership} bean to query and track the view, and
 * {@link io.corosync4j.spring.cluster.ClusterViewChangedEvent} for every change of it.
 */
@NullMarked
package io.corosync4j.spring.cluster;

import org.jspecify.annotations.NullMarked;
