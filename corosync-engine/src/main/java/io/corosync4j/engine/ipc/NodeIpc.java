package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.ipc.cfg.CfgIpcService;
import io.corosync4j.engine.ipc.cmap.CmapIpcService;
import io.corosync4j.engine.ipc.cpg.CpgIpcService;
import io.corosync4j.engine.ipc.quorum.QuorumIpcService;
import io.corosync4j.engine.ipc.votequorum.VotequorumIpcService;
import io.corosync4j.engine.runtime.CorosyncNode;

/**
 * A node's IPC as the daemon serves it: {@code cpg}, {@code cmap}, {@code quorum}, {@code cfg}, and
 * {@code votequorum} when the node runs that provider (the daemon has no votequorum socket without it),
 * admitting root and the users and groups CMAP's {@code uidgid} keys name.
 */
public final class NodeIpc {

	private NodeIpc() {
	}

	/**
	 * Serves the node's services until the returned server is closed (close it before the node). The
	 * clients are served on the node's event loop, as the daemon serves them on its one thread.
	 */
	public static IpcServer serve(CorosyncNode node, IpcSettings settings) throws IOException {
		return IpcServer.start(settings, new CmapIpcAccess(node.cmap()), services(node), node.eventLoop());
	}

	/** The services the daemon would serve for this node. */
	public static List<IpcService> services(CorosyncNode node) {
		List<IpcService> services = new ArrayList<>();
		services.add(new CpgIpcService(node.cpg()));
		services.add(new CmapIpcService(node.cmap()));
		services.add(new QuorumIpcService(node));
		node.votequorum().ifPresent((votequorum) -> services.add(new VotequorumIpcService(votequorum)));
		services.add(new CfgIpcService(node));
		return services;
	}

}
