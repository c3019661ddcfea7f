package io.corosync4j.engine.ipc.cpg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.fixtures.CpgClientLog;
import io.corosync4j.engine.ipc.CClients;
import io.corosync4j.engine.ipc.IpcAccess;
import io.corosync4j.engine.ipc.IpcNamespace;
import io.corosync4j.engine.ipc.IpcServer;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.InteropCluster;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Programs linked with Debian's libcpg (3.1.7) on a Java node: the repository's test client joins,
 * multicasts, receives its own and a Java handle's messages in one order, and leaves or dies. Shared
 * memory here, sockets in {@link CpgIpcClientSocketTests}.
 */
class CpgIpcClientTests {

	private static final CpgName GROUP = CpgName.of("interop");

	private static final String FILLER = "abcdefghijklmnopqrstuvwxyz";

	@TempDir
	Path directory;

	private IpcNamespace namespace;

	private CorosyncNode node;

	private IpcServer server;

	@BeforeEach
	void start() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		this.namespace = IpcNamespace.create();
		this.node = SingleNode.start(this.directory);
		this.server = IpcServer.start(
				IpcSettings.defaults().withNetworkNamespace(this.namespace.path()).withTransport(transport()),
				IpcAccess.ROOT_ONLY, List.of(new CpgIpcService(this.node.cpg())), this.node.eventLoop());
	}

	IpcSettings.Transport transport() {
		return IpcSettings.Transport.SHARED_MEMORY;
	}

	@AfterEach
	void stop() throws Exception {
		if (this.server != null) {
			this.server.close();
		}
		if (this.node != null) {
			this.node.close();
		}
		if (this.namespace != null) {
			this.namespace.close();
		}
	}

	@Test
	void aCClientAndAJavaHandleDeliverTheSameMessagesInTheSameOrder() throws Exception {
		Path client = build("cpgclient");
		Recorder recorder = new Recorder();
		CpgHandle handle = this.node.cpg().join(GROUP, recorder);
		handle.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
		int count = 40;
		// 2 MB goes in pieces both ways: libcpg's partial multicast in, partial deliveries out
		Process c = this.namespace.start(client.toString(), "-g", "interop", "-n", Integer.toString(count), "-s",
				"10,1000,3000,2000000", "-i", "2", "-w", "2", "-l", "2", "-q");
		List<String> output = Collections.synchronizedList(new ArrayList<>());
		Thread reader = new Thread(() -> readLines(c.getInputStream(), output));
		reader.start();
		Await.until("the C client in the group", SingleNode.BOUND, () -> handle.membership().size() == 2,
				handle::membership);
		int[] sizes = { 10, 1000, 3000, 2000000 };
		for (int k = 0; k < count; k++) {
			assertThat(handle.mcast(payload(1, k, sizes[k % sizes.length]), SingleNode.BOUND)).isTrue();
			Thread.sleep(2);
		}

		assertThat(c.waitFor(60, TimeUnit.SECONDS)).as("the C client finishes").isTrue();
		reader.join(5000);
		List<CpgClientLog.Delivery> cDeliveries = CpgClientLog.parse(output);
		assertThat(String.join("\n", output)).doesNotContain(" BAD").contains("START nodeid=1 pid=" + c.pid());
		assertThat(cDeliveries).hasSize(2 * count);
		assertThat(cDeliveries).filteredOn((d) -> d.pid() == c.pid()).hasSize(count);
		assertThat(recorder.deliveries().subList(0, cDeliveries.size())).isEqualTo(cDeliveries);
		Await.until("the C client leaving", SingleNode.BOUND, () -> !recorder.left.isEmpty());
		assertThat(recorder.left).containsExactly(new CpgAddress(1, c.pid(), CpgReason.LEAVE));
		handle.close();
	}

	@Test
	void aKilledClientLeavesTheGroupWithProcdown() throws Exception {
		Path client = build("cpgclient");
		Recorder recorder = new Recorder();
		CpgHandle handle = this.node.cpg().join(GROUP, recorder);
		handle.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
		Process c = this.namespace.start(client.toString(), "-g", "interop", "-n", "0", "-l", "120", "-q");
		Await.until("the C client in the group", SingleNode.BOUND, () -> handle.membership().size() == 2,
				handle::membership);
		assertThat(recorder.joined).contains(new CpgAddress(1, c.pid(), CpgReason.JOIN));

		c.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

		Await.until("the C client gone", SingleNode.BOUND, () -> !recorder.left.isEmpty());
		assertThat(recorder.left).containsExactly(new CpgAddress(1, c.pid(), CpgReason.PROCDOWN));
		handle.close();
	}

	private Path build(String program) throws Exception {
		return CClients.build(this.directory, "/interop/" + program + ".c", program, "libcpg");
	}

	/** cpgclient's payload: {@code n<node>m<k>:} then the alphabet, cut to the size. */
	private static byte[] payload(long nodeid, int k, int size) {
		String prefix = String.format("n%dm%02d:", nodeid, k);
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) ((i < prefix.length()) ? prefix.charAt(i) : FILLER.charAt((i - prefix.length()) % 26));
		}
		return bytes;
	}

	private static void readLines(InputStream in, List<String> lines) {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				lines.add(line);
			}
		}
		catch (IOException ex) {
			// the process ended
		}
	}

	private static final class Recorder implements CpgListener {

		private final List<CpgClientLog.Delivery> deliveries = new CopyOnWriteArrayList<>();

		final List<CpgAddress> joined = new CopyOnWriteArrayList<>();

		final List<CpgAddress> left = new CopyOnWriteArrayList<>();

		@Override
		public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			this.deliveries.add(new CpgClientLog.Delivery(nodeid, pid, message.length,
					CpgClientLog.fnv1a(message, 0, message.length)));
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			this.joined.addAll(change.joined());
			this.left.addAll(change.left());
		}

		List<CpgClientLog.Delivery> deliveries() {
			return List.copyOf(this.deliveries);
		}

	}

}
