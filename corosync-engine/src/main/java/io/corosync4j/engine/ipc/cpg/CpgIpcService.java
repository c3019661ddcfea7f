package io.corosync4j.engine.ipc.cpg;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcService;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgService;
import org.jspecify.annotations.Nullable;

/**
 * The node's CPG for libcpg clients ({@code exec/cpg.c}'s library side): each connection is one
 * {@code cpg_handle_t}, which joins at most one group, under the pid the client states (its own, from
 * {@code getpid()}), on the node's {@link CpgService}. Java handles and libcpg clients of the node and
 * of Corosync daemons all meet in the same groups.
 */
public final class CpgIpcService implements IpcService {

	/** The multicasts one client may have waiting for room in the node's send queue before it is dropped. */
	public static final long DEFAULT_HELD_BYTES = 16L * 1024 * 1024;

	/** Marks a process whose leave is on its way: a new join of it must wait ({@code CS_ERR_TRY_AGAIN}). */
	private static final Object LEAVING = new Object();

	private final CpgService cpg;

	private final long heldBytes;

	/**
	 * The node's IPC processes by pid and group, as Corosync's connection list and process list know them:
	 * a session while its connection holds the process (joined, or left but not finalized: Corosync never
	 * clears a connection's group after a leave), {@link #LEAVING} while its leave travels.
	 */
	private final Map<ProcessKey, Object> processes = new ConcurrentHashMap<>();

	public CpgIpcService(CpgService cpg) {
		this(cpg, DEFAULT_HELD_BYTES);
	}

	/**
	 * @param heldBytes the multicast bytes one client may have waiting for room in the node's send queue;
	 * a client that sends more is disconnected
	 */
	public CpgIpcService(CpgService cpg, long heldBytes) {
		this.cpg = cpg;
		this.heldBytes = heldBytes;
	}

	@Override
	public String name() {
		return "cpg";
	}

	@Override
	public IpcSession connected(IpcConnection connection) {
		return new CpgSession(this, connection);
	}

	CpgService cpg() {
		return this.cpg;
	}

	long heldBytes() {
		return this.heldBytes;
	}

	/** What a join of {@code pid} to {@code group} meets: null, a session that holds it, or a leave in flight. */
	@Nullable Object holder(long pid, CpgName group) {
		return this.processes.get(new ProcessKey(pid, group));
	}

	boolean isLeaving(@Nullable Object holder) {
		return holder == LEAVING;
	}

	/** Claims a process for a session; false when another got there first. */
	boolean claim(long pid, CpgName group, CpgSession session) {
		return this.processes.putIfAbsent(new ProcessKey(pid, group), session) == null;
	}

	/** The session gave its process up, which is gone from the group already. */
	void release(long pid, CpgName group, CpgSession session) {
		this.processes.remove(new ProcessKey(pid, group), session);
	}

	/** The session gave its process up while its leave still travels. */
	void leaving(long pid, CpgName group, CpgSession session) {
		this.processes.replace(new ProcessKey(pid, group), session, LEAVING);
	}

	/** The process's leave was delivered. */
	void left(long pid, CpgName group) {
		this.processes.remove(new ProcessKey(pid, group), LEAVING);
	}

	private record ProcessKey(long pid, CpgName group) {
	}

}
