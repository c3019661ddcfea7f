/**
 * Cluster membership (the AIS CLM service, as openais offered it beside Corosync): every node of the
 * nodelist and of the ring with its name, addresses, boot time and whether it is a member, in views
 * numbered by the ring's sequence number, which every member of a ring shares. Query the current
 * {@link io.corosync4j.engine.cluster.ClusterView} or track it; no group needs to be joined to use it.
 */
@NullMarked
package io.corosync4j.engine.cluster;

import org.jspecify.annotations.NullMarked;
