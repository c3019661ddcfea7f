package io.corosync4j.engine.ipc.quorum;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.ipc.IpcMessages;
import io.corosync4j.engine.ipc.RecordingConnection;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.Membership;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Nodes of one udpu ring on loopback for the IPC services' tests: node {@code i} on {@code 127.0.0.i}, a
 * free port, votequorum unless told otherwise; and the request and response bytes the tests use.
 * Crashes every node it started on close.
 */
public final class TestNodes implements AutoCloseable {

	public static final Duration BOUND = Duration.ofSeconds(30);

	private final Path directory;

	private final int size;

	private final int port;

	private final boolean votequorum;

	private final Map<Integer, CorosyncNode> nodes = new TreeMap<>();

	private final List<CorosyncNode> started = new ArrayList<>();

	public TestNodes(Path directory, int size, boolean votequorum) throws IOException {
		this.directory = directory;
		this.size = size;
		this.votequorum = votequorum;
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			this.port = socket.getLocalPort();
		}
	}

	/** Node {@code i}'s configuration file. */
	public Path config(int node) throws IOException {
		StringBuilder text = new StringBuilder("totem {\n version: 2\n cluster_name: ipc\n transport: udpu\n token: 500\n"
				+ " interface {\n  linknumber: 0\n  mcastport: " + this.port + "\n }\n}\nnodelist {\n");
		for (int i = 1; i <= this.size; i++) {
			text.append(" node {\n  ring0_addr: 127.0.0.").append(i).append("\n  nodeid: ").append(i).append("\n }\n");
		}
		text.append("}\n");
		if (this.votequorum) {
			text.append("quorum {\n provider: corosync_votequorum\n}\n");
		}
		text.append("system {\n state_dir: ").append(this.directory.resolve("n" + node)).append("\n}\n");
		text.append("logging {\n to_stderr: yes\n to_syslog: no\n}\n");
		Path file = this.directory.resolve("n" + node + ".conf");
		Files.writeString(file, text);
		return file;
	}

	public CorosyncNode start(int node) throws IOException {
		CorosyncNode running = CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(config(node)))
			.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(),
					List.of(InetAddress.getByName("127.0.0." + node))))
			.start();
		this.nodes.put(node, running);
		this.started.add(running);
		return running;
	}

	public CorosyncNode node(int node) {
		return this.nodes.get(node);
	}

	/** Closes node {@code node}: it leaves the ring. */
	public void leave(int node) {
		this.nodes.remove(node).close();
	}

	/** Waits until every running node is synchronized in one ring of exactly the running nodes. */
	public void awaitRing() throws Exception {
		List<Long> expected = this.nodes.keySet().stream().map(Integer::longValue).toList();
		for (CorosyncNode node : this.nodes.values()) {
			node.awaitMembership((m) -> m.synced() && m.members().equals(expected), BOUND);
		}
	}

	/** Waits for the membership of {@code node} to satisfy {@code condition}. */
	public static Membership await(CorosyncNode node, Predicate<Membership> condition) throws Exception {
		return node.awaitMembership(condition, BOUND);
	}

	@Override
	public void close() {
		for (CorosyncNode node : this.started) {
			node.crash();
		}
	}

	/** A request of {@code size} bytes, its header written and the body zero, little-endian. */
	public static ByteBuf request(int id, int size) {
		ByteBuf request = Unpooled.buffer(size).writeZero(size);
		request.setIntLE(0, id);
		request.setIntLE(8, size);
		return request;
	}

	/** A response or event as a little-endian buffer to read fields from. */
	public static ByteBuffer message(byte[] bytes) {
		return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
	}

	/** Waits until the connection holds {@code count} responses and returns the last. */
	public static ByteBuffer awaitResponse(RecordingConnection connection, int count) throws InterruptedException {
		Await.until(count + " responses", BOUND, () -> responses(connection) >= count, () -> responses(connection));
		synchronized (connection) {
			return message(connection.responses.get(count - 1));
		}
	}

	/** Waits until the connection holds {@code count} events and returns them all. */
	public static List<ByteBuffer> awaitEvents(RecordingConnection connection, int count) throws InterruptedException {
		Await.until(count + " events", BOUND, () -> events(connection) >= count, () -> events(connection));
		synchronized (connection) {
			return connection.events.stream().map(TestNodes::message).toList();
		}
	}

	private static int responses(RecordingConnection connection) {
		synchronized (connection) {
			return connection.responses.size();
		}
	}

	private static int events(RecordingConnection connection) {
		synchronized (connection) {
			return connection.events.size();
		}
	}

	/** The header fields of a response: id, size and error, as ints. */
	public static int[] header(ByteBuffer response) {
		return new int[] { response.getInt(0), response.getInt(8), response.getInt(16) };
	}

	/** Checks that {@code bytes} is as long as its header says. */
	public static boolean sized(ByteBuffer response) {
		return response.getInt(8) == response.capacity() && response.capacity() >= IpcMessages.RESPONSE_HEADER_SIZE;
	}

}
