package io.corosync4j.engine.service.votequorum;

/**
 * One node as votequorum sees it ({@code votequorum_getinfo} for a node).
 *
 * @param nodeid the node
 * @param state member, dead or leaving
 * @param votes the votes it casts
 * @param expectedVotes the expected votes it reported (or this node's, for a node not yet quorate)
 * @param flags its last nodeinfo flags, see {@link NodeFlags}
 */
public record QuorumNode(long nodeid, NodeState state, long votes, long expectedVotes, int flags) {
}
