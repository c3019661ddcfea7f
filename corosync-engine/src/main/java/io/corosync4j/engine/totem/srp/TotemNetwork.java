package io.corosync4j.engine.totem.srp;

import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.TotemMessage;

/**
 * What the protocol sends. A transport encodes the messages with
 * {@link io.corosync4j.engine.totem.wire.TotemCodec} and hands whatever it receives to
 * {@link TotemSrp#onMessage}.
 */
public interface TotemNetwork {

	/**
	 * Sends a message to every node, this one included (Corosync's udpu sends to each nodelist member,
	 * udp to the multicast group with loopback): MCAST, MEMB_JOIN, MEMB_MERGE_DETECT and
	 * TOKEN_HOLD_CANCEL.
	 */
	void multicast(TotemMessage message);

	/**
	 * Sends a regular message to every other node. This node holds it in its sort queue already (it put
	 * it there when it sent or received it), so its own copy would only be thrown away as a duplicate;
	 * on udpu that copy would be a third of a three-node sender's datagrams.
	 */
	default void multicastToPeers(Mcast message) {
		multicast(message);
	}

	/** Sends an ORF token or commit token to the next member of the ring (possibly this node). */
	void sendToken(long targetNodeid, TotemMessage token);

	/**
	 * Throws away membership traffic that queued up while the process was paused (Corosync's
	 * {@code totemnet_recv_mcast_empty}).
	 * @return whether anything was discarded
	 */
	default boolean discardReceived() {
		return false;
	}

}
