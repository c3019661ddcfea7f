package io.corosync4j.engine.ipc.cpg;

import io.corosync4j.engine.ipc.IpcSettings;

/** {@link CpgIpcClientTests} on libqb's socket transport. */
class CpgIpcClientSocketTests extends CpgIpcClientTests {

	@Override
	IpcSettings.Transport transport() {
		return IpcSettings.Transport.SOCKET;
	}

}
