package io.corosync4j.engine.ipc;

/**
 * One of the node's IPC services, served on the abstract socket {@link #name()} as the daemon serves
 * it. The server calls it on the serving loop (a node's event loop, when the server has one); it must
 * never block there.
 */
public interface IpcService {

	/** libqb's service name, which is also the socket's: {@code cpg}, {@code cmap}, {@code quorum}, ... */
	String name();

	/**
	 * A client connected and was admitted; the session answers its requests until it goes. Called on the
	 * connection's {@link IpcConnection#loop() loop}.
	 */
	IpcSession connected(IpcConnection connection);

	/** The server stopped serving it (after every session was closed): what it registered with the node goes. */
	default void close() {
	}

}
