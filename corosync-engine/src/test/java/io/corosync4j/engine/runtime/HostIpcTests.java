package io.corosync4j.engine.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.corosync4j.engine.config.ConfigParser;
import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.ipc.IpcSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the node's IPC goes for the host's libqb clients. */
class HostIpcTests {

	@TempDir
	Path directory;

	@Test
	void abstractSocketsUnlessLibqbIsForcedToFilesystemSockets() throws Exception {
		CorosyncConfig config = config("");
		Path marker = this.directory.resolve("force-filesystem-sockets");
		assertThat(HostIpc.settings(config, IpcSettings.defaults(), marker)).isEqualTo(IpcSettings.defaults());
		Files.createFile(marker);
		assertThat(HostIpc.settings(config, IpcSettings.defaults(), marker).socketDirectory())
			.isEqualTo(Path.of("/tmp"));
		Path chosen = this.directory.resolve("sockets");
		assertThat(HostIpc.settings(config, IpcSettings.defaults().withSocketDirectory(chosen), marker).socketDirectory())
			.isEqualTo(chosen);
	}

	@Test
	void qbIpcTypeChoosesTheTransportAsForTheDaemon() throws Exception {
		assertThat(IpcSettings.Transport.SHARED_MEMORY.available()).as("glibc on 64-bit Linux").isTrue();
		Path marker = this.directory.resolve("absent");
		IpcSettings sockets = IpcSettings.defaults().withTransport(IpcSettings.Transport.SOCKET);
		for (String type : new String[] { "", "native", "shm" }) {
			String system = type.isEmpty() ? "" : "system {\n\tqb_ipc_type: " + type + "\n}\n";
			assertThat(HostIpc.settings(config(system), sockets, marker).transport()).as(type)
				.isEqualTo(IpcSettings.Transport.SHARED_MEMORY);
		}
		assertThat(HostIpc.settings(config("system {\n\tqb_ipc_type: socket\n}\n"), IpcSettings.defaults(), marker))
			.isEqualTo(sockets);
	}

	private static CorosyncConfig config(String extra) {
		String text = "totem {\n\tversion: 2\n\tcluster_name: c\n\ttransport: udpu\n}\n"
				+ "nodelist {\n\tnode {\n\t\tring0_addr: 127.0.0.1\n\t\tnodeid: 1\n\t}\n}\n" + extra;
		return new CorosyncConfigReader(Map.of()).read(ConfigParser.parse("corosync.conf", text));
	}

}
