package io.corosync4j.engine.ipc;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * How the node serves IPC.
 *
 * @param networkNamespace the network namespace to serve in (a file such as {@code /run/netns/a}, as
 * {@code ip netns} makes them), or null for the node's own: abstract sockets belong to a network
 * namespace, so several nodes on one host each serve their tools in a namespace of their own
 * @param socketDirectory where filesystem sockets go, or null for Linux's abstract sockets (libqb's
 * default; libqb clients use filesystem sockets in {@code /var/run} when
 * {@code /etc/libqb/force-filesystem-sockets} exists)
 * @param controlDirectory where each connection's files go, its control file or its rings ({@code /dev/shm}, as
 * libqb)
 * @param maxMessageSize the largest request, response or event, in bytes; a client may ask for more (libqb
 * lets the larger of the two count), and on the socket transport neither gets more than the kernel lets a
 * datagram be
 * @param connectionQueueBytes the bytes of responses and events one client may leave unread before it is
 * disconnected
 * @param transport how clients' messages travel once connected: libqb's sockets, or its shared memory
 * as the daemon's default ({@link Transport#available()} says where this host can)
 */
public record IpcSettings(@Nullable Path networkNamespace, @Nullable Path socketDirectory, Path controlDirectory,
		int maxMessageSize, long connectionQueueBytes, Transport transport) {

	/** The transports of libqb's connection set-up a node can answer with. */
	public enum Transport {

		/** {@code QB_IPC_SOCKET}: datagram sockets and a control file; every libqb client takes it. */
		SOCKET,

		/**
		 * {@code QB_IPC_SHM}: ring buffers in {@code /dev/shm} with process-shared semaphores, the daemon's
		 * default ({@code system.qb_ipc_type: native}); needs glibc on 64-bit Linux.
		 */
		SHARED_MEMORY;

		/** Whether this host can serve this transport. */
		public boolean available() {
			return this == SOCKET || QbSemaphore.supported();
		}

	}

	/** libqb's default request size for Corosync's libraries (1 MiB). */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

	/** Unread responses and events one client may hold before it is disconnected. */
	public static final long DEFAULT_CONNECTION_QUEUE_BYTES = 64L * 1024 * 1024;

	public IpcSettings {
		if (maxMessageSize < 8192) {
			throw new IllegalArgumentException("maxMessageSize must be at least 8192 bytes: " + maxMessageSize);
		}
		if (connectionQueueBytes < 65536) {
			throw new IllegalArgumentException("connectionQueueBytes must be at least 64 KiB: " + connectionQueueBytes);
		}
		if (!transport.available()) {
			throw new IllegalArgumentException("IPC transport " + transport + " needs glibc on 64-bit Linux");
		}
	}

	/**
	 * The daemon's defaults: abstract sockets in the node's namespace, connection files in /dev/shm, and
	 * shared memory where the host can serve it, else sockets.
	 */
	public static IpcSettings defaults() {
		return new IpcSettings(null, null, Path.of("/dev/shm"), DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_CONNECTION_QUEUE_BYTES,
				Transport.SHARED_MEMORY.available() ? Transport.SHARED_MEMORY : Transport.SOCKET);
	}

	public IpcSettings withNetworkNamespace(@Nullable Path namespace) {
		return new IpcSettings(namespace, this.socketDirectory, this.controlDirectory, this.maxMessageSize,
				this.connectionQueueBytes, this.transport);
	}

	public IpcSettings withSocketDirectory(@Nullable Path directory) {
		return new IpcSettings(this.networkNamespace, directory, this.controlDirectory, this.maxMessageSize,
				this.connectionQueueBytes, this.transport);
	}

	public IpcSettings withConnectionQueueBytes(long bytes) {
		return new IpcSettings(this.networkNamespace, this.socketDirectory, this.controlDirectory, this.maxMessageSize,
				bytes, this.transport);
	}

	public IpcSettings withTransport(Transport transport) {
		return new IpcSettings(this.networkNamespace, this.socketDirectory, this.controlDirectory, this.maxMessageSize,
				this.connectionQueueBytes, transport);
	}

}
