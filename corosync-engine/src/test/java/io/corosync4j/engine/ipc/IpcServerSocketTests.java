package io.corosync4j.engine.ipc;

/** {@link IpcServerTests} on libqb's socket transport. */
class IpcServerSocketTests extends IpcServerTests {

	@Override
	IpcSettings.Transport transport() {
		return IpcSettings.Transport.SOCKET;
	}

}
