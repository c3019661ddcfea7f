package io.corosync4j.engine.totem.srp;

/**
 * What the protocol delivers, called on the protocol's thread. Implementations may call
 * {@link TotemSrp#mcast} from inside these callbacks; they must not block.
 */
public interface TotemListener {

	/**
	 * A message in agreed order.
	 * @param nodeid the originator
	 * @param payload the bytes it multicast (owned by the callee)
	 * @param bigEndian whether the originator writes big-endian (Corosync sends its native order, so
	 * totempg and services must swap what they read)
	 */
	void deliver(long nodeid, byte[] payload, boolean bigEndian);

	/** A transitional or regular configuration, at its place in the agreed order. */
	void configurationChange(ConfigurationChange change);

	/**
	 * The protocol switched between its two send queues: {@code true} from the regular configuration
	 * until {@link TotemSrp#transAck()} (synchronization traffic first), then {@code false}.
	 */
	default void waitingTransAck(boolean waiting) {
	}

	/** A valid token of this ring arrived and this node may now send (totempg flushes its buffer here). */
	default void tokenReceived() {
	}

}
