package io.corosync4j.engine.cluster;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * One node of the cluster as this node knows it ({@code SaClmClusterNodeT}).
 *
 * @param nodeid the node id
 * @param name the nodelist's {@code name}, else its {@code ring0_addr}; for a node outside the nodelist the
 * name it announced, or {@code null} when it announced none (a Corosync daemon)
 * @param addresses the configured ring addresses by link number ({@code ringN_addr}, as written: an
 * address or a host name), ascending; empty for a node outside the nodelist
 * @param member whether it is in the ring of the view
 * @param bootTime when the node started, as it announced it; {@code null} while unknown: a Corosync
 * daemon never announces it, and a corosync4j node's announcement arrives shortly after the view that
 * brought it in (a reconfiguration of that view then carries it)
 * @param joinedView the number of the view from which on the node has been a member without a break, as
 * this node saw it (for the members already there when this node joined: this node's first view with
 * them); 0 when it is not a member
 */
public record ClusterNode(long nodeid, @Nullable String name, Map<Integer, String> addresses, boolean member,
		@Nullable Instant bootTime, long joinedView) {

	public ClusterNode {
		addresses = Collections.unmodifiableMap(new TreeMap<>(addresses));
	}

	@Override
	public String toString() {
		return this.nodeid + ((this.name != null) ? " (" + this.name + ")" : "")
				+ (this.member ? " member" : " not a member") + ((this.bootTime != null) ? ", booted " + this.bootTime : "")
				+ (this.member ? ", since view " + this.joinedView : "");
	}

}
