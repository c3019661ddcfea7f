package io.corosync4j.engine.service.votequorum;

/**
 * Told of quorum: after every synchronized membership change, and whenever quorum is gained or lost in
 * between (as Corosync's quorum and votequorum tracking callbacks). Runs on the node's event loop; must
 * not block.
 */
@FunctionalInterface
public interface QuorumListener {

	void quorumChanged(QuorumState state);

}
