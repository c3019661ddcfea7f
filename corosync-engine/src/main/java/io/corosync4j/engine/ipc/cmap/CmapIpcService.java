package io.corosync4j.engine.ipc.cmap;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcService;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.service.cmap.Cmap;

/**
 * The node's CMAP as Corosync's daemon serves it to {@code libcmap} on the socket {@code cmap}: both
 * maps ({@code icmap} and {@code stats}), iterators and tracks per connection.
 * <p>
 * Values computed on read (the {@code stats.*} and {@code runtime.services.*} keys) are read on the
 * node's event loop and wait for it, so reads that may compute them run on {@code reads}, never on the
 * connection's loop (which may be the node's).
 */
public final class CmapIpcService implements IpcService {

	private final Cmap cmap;

	private final Executor reads;

	/** Serves {@code cmap}, computing values on the common fork-join pool. */
	public CmapIpcService(Cmap cmap) {
		this(cmap, ForkJoinPool.commonPool());
	}

	/** Serves {@code cmap}; reads that may compute values run on {@code reads}. */
	public CmapIpcService(Cmap cmap, Executor reads) {
		this.cmap = cmap;
		this.reads = reads;
	}

	@Override
	public String name() {
		return "cmap";
	}

	@Override
	public IpcSession connected(IpcConnection connection) {
		return new CmapSession(this.cmap, this.reads, connection);
	}

}
