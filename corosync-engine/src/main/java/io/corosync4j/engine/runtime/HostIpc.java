package io.corosync4j.engine.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.ipc.IpcSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this host's libqb clients look for the node's IPC. libqb uses Linux's abstract sockets unless
 * {@code /etc/libqb/force-filesystem-sockets} exists; then clients connect to sockets in libqb's
 * build-time {@code SOCKETDIR}, which for Debian 12's libqb 2.0.6 is {@code /tmp} (libqb's own default
 * is {@code /var/run}), so the node binds its sockets there. The transport clients get once connected is
 * the configuration's {@code system.qb_ipc_type}, as the daemon's.
 */
public final class HostIpc {

	/** The file whose existence switches every libqb program of the host to filesystem sockets. */
	public static final Path FORCE_FILESYSTEM_SOCKETS = Path.of("/etc/libqb/force-filesystem-sockets");

	/** Debian 12's libqb {@code SOCKETDIR}: its clients connect to {@code /tmp/cmap}, {@code /tmp/cpg}... */
	public static final Path FILESYSTEM_SOCKET_DIRECTORY = Path.of("/tmp");

	private static final Logger logger = LoggerFactory.getLogger(HostIpc.class);

	private HostIpc() {
	}

	/**
	 * The settings to serve a node's IPC with on this host.
	 * @param config the node's configuration, for {@code system.qb_ipc_type}
	 * @param base the settings wanted; a socket directory in them is kept
	 */
	public static IpcSettings settings(CorosyncConfig config, IpcSettings base) {
		return settings(config, base, FORCE_FILESYSTEM_SOCKETS);
	}

	static IpcSettings settings(CorosyncConfig config, IpcSettings base, Path forceFilesystemSockets) {
		IpcSettings settings = base.withTransport(transport(config.system().qbIpcType()));
		if (settings.socketDirectory() == null && Files.exists(forceFilesystemSockets)) {
			return settings.withSocketDirectory(FILESYSTEM_SOCKET_DIRECTORY);
		}
		return settings;
	}

	/** {@code system.qb_ipc_type}: {@code native} and {@code shm} are shared memory where the host can serve it. */
	static IpcSettings.Transport transport(String qbIpcType) {
		if (qbIpcType.equals("socket")) {
			return IpcSettings.Transport.SOCKET;
		}
		if (!IpcSettings.Transport.SHARED_MEMORY.available()) {
			logger.info("system.qb_ipc_type: {} is served with libqb's socket transport: shared memory needs glibc "
					+ "on 64-bit Linux", qbIpcType);
			return IpcSettings.Transport.SOCKET;
		}
		return IpcSettings.Transport.SHARED_MEMORY;
	}

}
