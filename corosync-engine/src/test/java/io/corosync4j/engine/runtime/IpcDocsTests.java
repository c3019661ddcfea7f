package io.corosync4j.engine.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.corosync4j.engine.config.ConfigParser;
import io.corosync4j.engine.ipc.IpcNamespace;
import io.corosync4j.engine.ipc.IpcServer;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.ipc.NodeIpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/ipc.md: a node serving Corosync's tools, and who may use them. The tools' answers to a user who
 * is not let in, and the keys a reload leaves, are those of a corosync 3.1.7 daemon with the same
 * configuration.
 */
class IpcDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void aUserIsLetInByTheUidgidKeysWhenItConnects() throws Exception {
		Path uidgid = Files.createDirectories(this.directory.resolve(ConfigParser.UIDGID_DIRECTORY));
		Files.writeString(uidgid.resolve("operators"), "uidgid {\n gid: 4242\n}\n");
		try (IpcNamespace tools = IpcNamespace.create();
				LocalCluster cluster = new LocalCluster(this.directory, 1, 500)) {
			cluster.startAll();
			cluster.awaitRing(BOUND);
			CorosyncNode node = cluster.node(1);
			Path namespace = tools.path();
			// tag::serve[]
			IpcSettings settings = IpcSettings.defaults().withNetworkNamespace(namespace); // null: the JVM's own
			IpcServer ipc = NodeIpc.serve(node, HostIpc.settings(node.config(), settings));
			// end::serve[]
			try {
				assertThat(tools.run("corosync-cmapctl", "uidgid").output())
					.isEqualTo("uidgid.config.gid.4242 (u8) = 1\n");
				assertThat(asUser(tools, 1000, 1000, "corosync-cmapctl", "-g", "totem.cluster_name"))
					.isEqualTo(new IpcNamespace.Result(1, "Failed to initialize the cmap API. Error CS_ERR_ACCESS\n"));
				assertThat(asUser(tools, 1000, 4242, "corosync-cmapctl", "-g", "totem.cluster_name"))
					.isEqualTo(new IpcNamespace.Result(0, "totem.cluster_name (str) = local\n"));
				assertThat(asUser(tools, 1000, 1000, "corosync-cfgtool", "-s").output())
					.isEqualTo("Could not initialize corosync configuration API error 11\n");

				assertThat(tools.run("corosync-cmapctl", "-s", "uidgid.uid.1000", "u8", "1").status()).isZero();
				assertThat(asUser(tools, 1000, 1000, "corosync-cmapctl", "-g", "totem.cluster_name").status()).isZero();
				assertThat(tools.run("corosync-cmapctl", "-s", "uidgid.config.uid.1001", "u8", "1").output())
					.isEqualTo("Failed to set key uidgid.config.uid.1001. Error CS_ERR_ACCESS\n");

				Files.writeString(uidgid.resolve("operators"), "uidgid {\n uid: 2000\n}\n");
				assertThat(tools.run("corosync-cfgtool", "-R").output()).isEqualTo("Reloading corosync.conf...\nDone\n");
				assertThat(tools.run("corosync-cmapctl", "uidgid").output())
					.isEqualTo("uidgid.config.uid.2000 (u8) = 1\nuidgid.uid.1000 (u8) = 1\n");
				assertThat(asUser(tools, 1001, 4242, "corosync-cmapctl", "-g", "totem.cluster_name").status()).isOne();
			}
			finally {
				ipc.close();
			}
		}
	}

	/** A tool run with the ids of a user that is not root and in no other group. */
	private static IpcNamespace.Result asUser(IpcNamespace tools, int uid, int gid, String... command) throws Exception {
		String[] full = new String[command.length + 4];
		full[0] = "setpriv";
		full[1] = "--reuid=" + uid;
		full[2] = "--regid=" + gid;
		full[3] = "--clear-groups";
		System.arraycopy(command, 0, full, 4, command.length);
		return tools.run(full);
	}

}
