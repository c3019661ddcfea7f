package io.corosync4j.spring;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.ipc.IpcServer;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.ipc.NodeIpc;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.HostIpc;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The node's libqb IPC ({@code corosync.ipc.enabled}) in the application's lifecycle: served once the node
 * runs, so Corosync's tools and client libraries of this host talk to it as to the corosync daemon;
 * closed before the node leaves, and when the node stops by itself (CFG shutdown, fail-stop), as the
 * daemon's clients lose it when it exits.
 */
public class CorosyncIpcLifecycle implements SmartLifecycle, DisposableBean {

	/** Right after the node: started once it runs, stopped before it leaves. */
	public static final int PHASE = CorosyncNodeLifecycle.PHASE + 1;

	private static final Logger logger = LoggerFactory.getLogger(CorosyncIpcLifecycle.class);

	private final CorosyncNodeLifecycle node;

	private final IpcSettings settings;

	private volatile @Nullable IpcServer server;

	/**
	 * @param node the node to serve
	 * @param settings how to serve it; the transport is the node's {@code system.qb_ipc_type}, and libqb's
	 * filesystem-socket mode of the host is added when it is on
	 */
	public CorosyncIpcLifecycle(CorosyncNodeLifecycle node, IpcSettings settings) {
		this.node = node;
		this.settings = HostIpc.settings(node.getConfig(), settings);
	}

	@Override
	public void start() {
		if (this.server != null) {
			return;
		}
		CorosyncNode running = this.node.getNode();
		try {
			this.server = NodeIpc.serve(running, this.settings);
		}
		catch (IOException ex) {
			String reason = String.valueOf(ex.getMessage());
			String hint = reason.toLowerCase(Locale.ROOT).contains("in use")
					? ". Another Corosync daemon or node serves IPC in this network namespace: stop it, set "
							+ "corosync.ipc.network-namespace, or leave corosync.ipc.enabled off"
					: "";
			throw new IllegalStateException(
					"corosync4j node " + running.nodeId() + " cannot serve IPC (" + reason + ")" + hint, ex);
		}
		// off the node's thread: closing waits (boundedly) for the IPC server's loop and for the node's
		running.addShutdownListener((shutdown) -> CompletableFuture.runAsync(this::stop));
		running.addFailureListener((failure) -> CompletableFuture.runAsync(this::stop));
		logger.info("corosync4j node {} serves IPC{} on {}", running.nodeId(), where(),
				(this.settings.transport() == IpcSettings.Transport.SHARED_MEMORY) ? "shared memory" : "sockets");
	}

	private String where() {
		if (this.settings.socketDirectory() != null) {
			return " on filesystem sockets in " + this.settings.socketDirectory();
		}
		return (this.settings.networkNamespace() != null) ? " in network namespace " + this.settings.networkNamespace()
				: "";
	}

	@Override
	public void stop() {
		IpcServer current = this.server;
		this.server = null;
		if (current != null) {
			current.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		stop();
	}

	/** What the node is served with. */
	public IpcSettings getSettings() {
		return this.settings;
	}

	/**
	 * How connected clients' messages travel, as {@code qb_ipc_type} names it: {@code shm} for libqb's
	 * shared memory, {@code socket} for its sockets.
	 */
	public String getTransport() {
		return (this.settings.transport() == IpcSettings.Transport.SHARED_MEMORY) ? "shm" : "socket";
	}

	/** The clients connected now, or {@code null} while IPC is not served. */
	public @Nullable Integer getConnections() {
		IpcServer current = this.server;
		return (current != null) ? current.connections() : null;
	}

}
