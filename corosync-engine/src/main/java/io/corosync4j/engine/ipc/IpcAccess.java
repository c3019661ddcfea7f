package io.corosync4j.engine.ipc;

/**
 * Who may connect, asked once per connection with the client's credentials as the kernel gives them.
 * Root (uid or gid 0) is always admitted by the server; this decides for everybody else.
 */
@FunctionalInterface
public interface IpcAccess {

	/** Nobody but root, the daemon's default without {@code uidgid} sections. */
	IpcAccess ROOT_ONLY = (uid, gid) -> false;

	/** Whether a client that is not root may connect. */
	boolean admits(int uid, int gid);

}
