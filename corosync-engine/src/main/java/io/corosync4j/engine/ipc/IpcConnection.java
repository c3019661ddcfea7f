package io.corosync4j.engine.ipc;

import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A connected client as a service sees it. {@link #respond} and {@link #event} may be called from any
 * thread; what is sent on each goes out in call order.
 */
public interface IpcConnection {

	/** The client's process id, from the socket's peer credentials. */
	long pid();

	/** The client's user id, from the socket's peer credentials. */
	int uid();

	/** The client's group id, from the socket's peer credentials. */
	int gid();

	/** The service's name, as the client asked for it. */
	String service();

	/**
	 * Sends a response ({@link IpcMessages#response}); takes ownership of the buffer. A client waits for
	 * one response per request, so responses are never dropped: while the client does not read them
	 * they wait in this connection's queue, and a queue over its bound disconnects the client.
	 */
	void respond(ByteBuf response);

	/**
	 * Sends an event (a dispatch message such as a CPG delivery); takes ownership of the buffer. Returns
	 * false when the client is gone or its queue of unread events went over its bound, in which case it
	 * is disconnected, as Corosync disconnects a client it cannot queue for.
	 */
	boolean event(ByteBuf event);

	/**
	 * Asks the client to hold its multicasts, or lets them go again: libqb's flow-control level 2, which
	 * only the calls that ask for it honour (libcpg's {@code cpg_mcast_joined} and partial multicasts,
	 * which then return {@code CS_ERR_TRY_AGAIN}); Corosync sets it while its send queue is full. Other
	 * requests still go. Multicasts already sent keep coming and must be taken.
	 */
	default void holdMulticasts(boolean hold) {
	}

	/** Disconnects the client; its session is told {@link IpcSession#closed()}. */
	void disconnect();

	/**
	 * The loop requests arrive on, for work a session wants to do there later: the node's own event loop
	 * when the server serves there ({@link NodeIpc}), so a session must never block it.
	 */
	Executor loop();

	/** Whether the client is still connected. */
	boolean isOpen();

	/** Where a session's responses and events are best allocated. */
	default ByteBufAllocator alloc() {
		return ByteBufAllocator.DEFAULT;
	}

}
