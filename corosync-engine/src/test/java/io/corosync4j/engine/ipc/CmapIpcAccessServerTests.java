package io.corosync4j.engine.ipc;

import java.nio.file.Path;
import java.util.List;

import io.corosync4j.engine.config.ConfigParser;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.runtime.InteropCluster;
import io.corosync4j.engine.service.cmap.Cmap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The uidgid keys decide for the real server: libqb's own client, run with the ids of a user that is not
 * root, is let in or refused as the CMAP holds the keys at the moment it connects.
 */
class CmapIpcAccessServerTests {

	private static final String NAME = "c4jaccess";

	@TempDir
	static Path binaries;

	private static Path client;

	/** Answers every request with a bare header: these tests only look at who gets connected. */
	private final IpcService service = new IpcService() {

		@Override
		public String name() {
			return NAME;
		}

		@Override
		public IpcSession connected(IpcConnection connection) {
			return (id, message) -> connection.respond(IpcMessages.header(message.alloc(), id, CsError.OK));
		}

	};

	@BeforeAll
	static void buildClient() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		client = CClients.build(binaries, "/ipc/qbclient.c", "qbclient", "libqb");
	}

	@Test
	void aRuntimeKeyLetsAUserInFromItsNextConnection() throws Exception {
		Cmap cmap = new Cmap();
		try (IpcNamespace namespace = IpcNamespace.create();
				IpcServer server = IpcServer.start(IpcSettings.defaults().withNetworkNamespace(namespace.path()),
						new CmapIpcAccess(cmap), List.of(this.service))) {
			assertThat(connect(namespace, 1000, 1000)).contains("connect failed errno=13");
			cmap.setNumber("uidgid.gid.1000", ValueType.UINT8, 1);
			assertThat(connect(namespace, 1000, 1000)).contains("connected");
			assertThat(connect(namespace, 1001, 1001)).contains("connect failed errno=13");
			cmap.delete("uidgid.gid.1000");
			assertThat(connect(namespace, 1000, 1000)).contains("connect failed errno=13");
			assertThat(server.stats().refused()).isEqualTo(3);
		}
	}

	@Test
	void theConfiguredUsersAreLetIn() throws Exception {
		Cmap cmap = Cmap.of(ConfigParser.parse("corosync.conf", "uidgid {\n\tuid: 1000\n}\n".getBytes()));
		try (IpcNamespace namespace = IpcNamespace.create();
				IpcServer server = IpcServer.start(IpcSettings.defaults().withNetworkNamespace(namespace.path()),
						new CmapIpcAccess(cmap), List.of(this.service))) {
			assertThat(connect(namespace, 1000, 1234)).contains("connected");
			assertThat(connect(namespace, 1234, 1234)).contains("connect failed errno=13");
		}
	}

	private static String connect(IpcNamespace namespace, int uid, int gid) throws Exception {
		return namespace.run("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", client.toString(), NAME,
				"echo", "16").output();
	}

}
