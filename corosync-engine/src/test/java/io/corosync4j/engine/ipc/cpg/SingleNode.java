package io.corosync4j.engine.ipc.cpg;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;

/** A one-node ring on 127.0.0.1, on a port free when it starts, synchronized before it is handed out. */
final class SingleNode {

	static final Duration BOUND = Duration.ofSeconds(30);

	private SingleNode() {
	}

	static CorosyncNode start(Path directory) throws Exception {
		return start(directory, UnaryOperator.identity());
	}

	static CorosyncNode start(Path directory, UnaryOperator<CorosyncNode.Builder> customizer) throws Exception {
		int port;
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			port = socket.getLocalPort();
		}
		Files.createDirectories(directory);
		Path config = directory.resolve("corosync.conf");
		Files.writeString(config, "totem {\n version: 2\n cluster_name: ipc\n transport: udpu\n token: 500\n"
				+ " interface {\n  linknumber: 0\n  mcastport: " + port + "\n }\n}\n"
				+ "nodelist {\n node {\n  ring0_addr: 127.0.0.1\n  nodeid: 1\n }\n}\n"
				+ "system {\n state_dir: " + directory + "\n}\nlogging {\n to_stderr: yes\n to_syslog: no\n}\n");
		CorosyncNode node = customizer.apply(CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(config))
			.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(), List.of(InetAddress.getByName("127.0.0.1")))))
			.start();
		try {
			node.awaitMembership((m) -> m.synced() && m.members().equals(List.of(1L)), BOUND);
		}
		catch (Exception | Error ex) {
			node.close();
			throw ex;
		}
		return node;
	}

}
