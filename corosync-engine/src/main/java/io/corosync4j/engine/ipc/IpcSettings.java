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
 * @param controlDirectory where the per-connection control files go ({@code /dev/shm}, as libqb)
 * @param maxMessageSize the largest request, response or event, in bytes; a client may ask for more
 * @param connectionQueueBytes the bytes of responses and events one client may leave unread before it is
 * disconnected
 */
public record IpcSettings(@Nullable Path networkNamespace, @Nullable Path socketDirectory, Path controlDirectory,
		int maxMessageSize, long connectionQueueBytes) {

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
	}

	/** libqb's defaults: abstract sockets in the node's namespace, control files in /dev/shm. */
	public static IpcSettings defaults() {
		return new IpcSettings(null, null, Path.of("/dev/shm"), DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_CONNECTION_QUEUE_BYTES);
	}

	public IpcSettings withNetworkNamespace(@Nullable Path namespace) {
		return new IpcSettings(namespace, this.socketDirectory, this.controlDirectory, this.maxMessageSize,
				this.connectionQueueBytes);
	}

	public IpcSettings withSocketDirectory(@Nullable Path directory) {
		return new IpcSettings(this.networkNamespace, directory, this.controlDirectory, this.maxMessageSize,
				this.connectionQueueBytes);
	}

	public IpcSettings withConnectionQueueBytes(long bytes) {
		return new IpcSettings(this.networkNamespace, this.socketDirectory, this.controlDirectory, this.maxMessageSize,
				bytes);
	}

}
