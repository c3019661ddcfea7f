package io.corosync4j.engine.service.cpg;

/**
 * Receives what happens in a group, in agreed order: messages and membership changes arrive at the same
 * point of that order on every member. Called on the node's event loop; must not block.
 */
public interface CpgListener {

	/**
	 * A message multicast to the group.
	 * @param group the group
	 * @param nodeid the sender's node
	 * @param pid the sender's process id
	 * @param message the bytes it sent
	 */
	void deliver(CpgName group, long nodeid, long pid, byte[] message);

	/** The group's membership changed (this handle's own join included). */
	void configurationChange(CpgConfigurationChange change);

	/** The ring changed and synchronization completed ({@code CPG_MODEL_V1}'s totem confchg). */
	default void totemConfigurationChange(CpgTotemConfiguration configuration) {
	}

}
