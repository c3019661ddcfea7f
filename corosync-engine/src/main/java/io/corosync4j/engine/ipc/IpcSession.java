package io.corosync4j.engine.ipc;

import io.netty.buffer.ByteBuf;

/**
 * One client's conversation with a service; every call comes on the connection's
 * {@link IpcConnection#loop() loop}, one at a time.
 */
public interface IpcSession {

	/**
	 * A request: the whole message as the client sent it, its 16-byte header included ({@code id} at
	 * offset 0, {@code size} at 8, little-endian). The buffer is released after this returns; a session
	 * that answers later copies what it needs. A session answers every request that expects an answer,
	 * a refusal included, with exactly one {@link IpcConnection#respond response}.
	 */
	void request(int id, ByteBuf message);

	/** The client went (closed, died or was disconnected); nothing more can be sent to it. */
	default void closed() {
	}

}
