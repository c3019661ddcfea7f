package io.corosync4j.engine.transport;

import java.net.InetSocketAddress;
import java.util.Map;

import io.netty.buffer.ByteBuf;

/**
 * Moves encoded Totem messages between the nodes of a ring. All methods are called on the event loop
 * the transport was opened on, and received datagrams are reported there.
 */
public interface TotemTransport extends AutoCloseable {

	/** Receives each datagram; the buffer is valid only during the call. */
	@FunctionalInterface
	interface Receiver {

		void received(ByteBuf datagram, InetSocketAddress sender);

	}

	/** Sends a message to every member, this node included. Takes ownership of {@code message}. */
	void multicast(ByteBuf message);

	/**
	 * Sends a message to every member except this node, for messages the protocol already holds.
	 * Takes ownership of {@code message}.
	 */
	void multicastToPeers(ByteBuf message);

	/** Sends a token to one member. Takes ownership of {@code message}. */
	void unicast(long nodeid, ByteBuf message);

	/**
	 * Drops what was received but not yet handed over, after the process was paused
	 * ({@code totemnet_recv_flush}).
	 * @return whether anything is being discarded
	 */
	boolean discardPending();

	/** Replaces the nodelist members' addresses after a configuration reload. */
	void updateMembers(Map<Long, InetSocketAddress> members);

	/** Traffic counters and the state of each link. */
	TransportStats stats();

	@Override
	void close();

}
