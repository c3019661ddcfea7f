package io.corosync4j.engine.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;

/**
 * Nodes of one ring on this machine: node {@code i} on {@code 127.0.0.i} (and link {@code L} of a knet
 * ring on {@code 127.0.L.i}), all on one free UDP port,
 * each with its own state directory under {@code directory}. Closes every node it started.
 */
final class LocalCluster implements AutoCloseable {

	final Path directory;

	final int size;

	final int port;

	final long token;

	/** More {@code totem} keys, one per line. */
	String extraTotem = "";

	/** Links per node (knet): link {@code L} of node {@code i} is {@code 127.0.L.i}. */
	int links = 1;

	/** The {@code quorum} section's keys, one per line; no section when empty. */
	String quorum = "";

	private final Map<Integer, CorosyncNode> running = new TreeMap<>();

	private final List<CorosyncNode> all = new ArrayList<>();

	LocalCluster(Path directory, int size, long token) {
		this.directory = directory;
		this.size = size;
		this.token = token;
		this.port = freePort();
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String configText(int node) {
		StringBuilder text = new StringBuilder();
		text.append("totem {\n version: 2\n cluster_name: local\n transport: udpu\n token: ").append(this.token)
			.append('\n').append(this.extraTotem)
			.append('\n');
		for (int link = 0; link < this.links; link++) {
			text.append(" interface {\n  linknumber: ").append(link).append("\n  mcastport: ").append(this.port)
				.append("\n }\n");
		}
		text.append("}\nnodelist {\n");
		for (int i = 1; i <= this.size; i++) {
			text.append(" node {\n");
			for (int link = 0; link < this.links; link++) {
				text.append("  ring").append(link).append("_addr: 127.0.").append(link).append('.').append(i).append('\n');
			}
			if (this.links > 1) {
				text.append("  name: node").append(i).append('\n');
			}
			text.append("  nodeid: ").append(i).append("\n }\n");
		}
		text.append("}\n");
		if (!this.quorum.isEmpty()) {
			text.append("quorum {\n").append(this.quorum).append("\n}\n");
		}
		text.append("system {\n state_dir: ").append(this.directory.resolve("n" + node)).append("\n}\n");
		text.append("logging {\n to_stderr: yes\n to_syslog: no\n}\n");
		return text.toString();
	}

	Path configFile(int node) {
		Path file = this.directory.resolve("n" + node + ".conf");
		try {
			Files.writeString(file, configText(node));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return file;
	}

	CorosyncConfig config(int node) {
		return new CorosyncConfigReader(Map.of()).read(configFile(node));
	}

	HostNetwork host(int node) {
		List<InetAddress> addresses = new ArrayList<>();
		for (int link = 0; link < this.links; link++) {
			addresses.add(address(link, node));
		}
		return HostNetwork.withLocalAddresses(HostNetwork.system(), addresses);
	}

	static InetAddress address(int node) {
		return address(0, node);
	}

	static InetAddress address(int link, int node) {
		try {
			return InetAddress.getByName("127.0." + link + "." + node);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	CorosyncNode start(int node) {
		return start(node, UnaryOperator.identity());
	}

	CorosyncNode start(int node, UnaryOperator<CorosyncNode.Builder> customizer) {
		CorosyncNode started = customizer.apply(CorosyncNode.builder(config(node)).hostNetwork(host(node))).start();
		this.running.put(node, started);
		this.all.add(started);
		return started;
	}

	List<CorosyncNode> startAll() {
		List<CorosyncNode> nodes = new ArrayList<>();
		for (int i = 1; i <= this.size; i++) {
			nodes.add(start(i));
		}
		return nodes;
	}

	CorosyncNode node(int node) {
		return this.running.get(node);
	}

	boolean isRunning(int node) {
		return this.running.containsKey(node);
	}

	void crash(int node) {
		this.running.remove(node).crash();
	}

	void leave(int node) {
		this.running.remove(node).close();
	}

	/** Waits until every running node sees exactly the running nodes, synchronized, in one ring. */
	Membership awaitRing(Duration timeout) throws Exception {
		List<Long> expected = this.running.keySet().stream().map(Integer::longValue).toList();
		Membership first = null;
		for (CorosyncNode node : this.running.values()) {
			Membership seen = node.awaitMembership((m) -> m.synced() && m.members().equals(expected), timeout);
			if (first == null) {
				first = seen;
			}
		}
		return first;
	}

	@Override
	public void close() {
		for (CorosyncNode node : this.all) {
			node.crash();
		}
	}

	private static int freePort() {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			return socket.getLocalPort();
		}
		catch (SocketException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
