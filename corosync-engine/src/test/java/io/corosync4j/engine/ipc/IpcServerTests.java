package io.corosync4j.engine.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.corosync4j.engine.runtime.InteropCluster;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The libqb transport against libqb's own client library: a C program ({@code ipc/qbclient.c}) talks to a
 * test service through {@code qb_ipcc_*}, in a network namespace of the test's own. Shared memory here,
 * sockets in {@link IpcServerSocketTests}.
 */
class IpcServerTests {

	private static final String NAME = "c4jtest";

	@TempDir
	static Path binaries;

	private static Path client;

	private final TestService service = new TestService();

	private IpcNamespace namespace;

	@BeforeAll
	static void buildClient() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		client = CClients.build(binaries, "/ipc/qbclient.c", "qbclient", "libqb");
	}

	@BeforeEach
	void createNamespace() throws Exception {
		this.namespace = IpcNamespace.create();
	}

	@AfterEach
	void deleteNamespace() throws Exception {
		this.namespace.close();
	}

	private IpcServer start(IpcAccess access, long queueBytes) throws IOException {
		IpcSettings settings = IpcSettings.defaults()
			.withNetworkNamespace(this.namespace.path())
			.withConnectionQueueBytes(queueBytes)
			.withTransport(transport());
		return IpcServer.start(settings, access, List.of(this.service));
	}

	IpcSettings.Transport transport() {
		return IpcSettings.Transport.SHARED_MEMORY;
	}

	@Test
	void requestsOfEverySizeAreAnsweredWhole() throws Exception {
		try (IpcServer server = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			IpcNamespace.Result result = this.namespace.run(client.toString(), NAME, "echo", "16", "17", "4096",
					"65536", "300000");
			assertThat(result.output()).contains("connected", "echo 16 error=1 size=24 ok", "echo 17 error=1 size=25 ok",
					"echo 4096 error=1 size=4104 ok", "echo 65536 error=1 size=65544 ok",
					"echo 300000 error=1 size=300008 ok");
			assertThat(result.status()).isZero();
			await(() -> server.connections() == 0 && this.service.closed.size() == 1);
			assertThat(server.stats().requests()).isEqualTo(5);
			assertThat(this.service.stopped).isFalse();
		}
		assertThat(controlDirectories()).isEmpty();
		// what a service registered with the node goes with the server (a restarted server adds its own)
		assertThat(this.service.stopped).isTrue();
	}

	@Test
	void eventsArriveInTheOrderTheyWereSent() throws Exception {
		try (IpcServer server = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			IpcNamespace.Result result = this.namespace.run(client.toString(), NAME, "events", "20000");
			assertThat(result.output()).contains("events 20000 in order");
			assertThat(result.status()).isZero();
		}
	}

	@Test
	void aUserWithoutAccessIsRefusedAsTheDaemonRefusesIt() throws Exception {
		try (IpcServer server = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			IpcNamespace.Result result = this.namespace.run("setpriv", "--reuid=65534", "--regid=65534",
					"--clear-groups", client.toString(), NAME, "echo", "16");
			assertThat(result.output()).contains("connect failed errno=13");
			assertThat(result.status()).isEqualTo(2);
			assertThat(server.stats().refused()).isEqualTo(1);
			assertThat(this.service.opened).isEmpty();
		}
	}

	@Test
	void aUserTheAccessAdmitsIsServed() throws Exception {
		try (IpcServer server = start((uid, gid) -> uid == 65534, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			IpcNamespace.Result result = this.namespace.run("setpriv", "--reuid=65534", "--regid=65534",
					"--clear-groups", client.toString(), NAME, "echo", "64");
			assertThat(result.output()).contains("echo 64 error=1 size=72 ok");
			assertThat(this.service.opened).singleElement().satisfies((connection) -> {
				assertThat(connection.uid()).isEqualTo(65534);
				assertThat(connection.gid()).isEqualTo(65534);
			});
		}
	}

	@Test
	void aClientKilledWaitingForAnAnswerEndsItsSession() throws Exception {
		try (IpcServer server = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			Process hanging = this.namespace.start(client.toString(), NAME, "hang");
			try {
				await(() -> this.service.hung.size() == 1);
				assertThat(server.connections()).isEqualTo(1);
				assertThat(controlDirectories()).hasSize(1);
				hanging.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				await(() -> server.connections() == 0 && this.service.closed.size() == 1);
				assertThat(this.service.closed).containsExactly(this.service.hung.get(0));
				await(() -> controlDirectories().isEmpty());
			}
			finally {
				hanging.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void aClientThatNeverReadsItsEventsIsDisconnectedAtItsBound() throws Exception {
		try (IpcServer server = start(IpcAccess.ROOT_ONLY, 256 * 1024)) {
			Process stalled = this.namespace.start(client.toString(), NAME, "stall", "100000");
			try {
				await(() -> server.stats().overflowed() == 1 && server.connections() == 0);
				assertThat(this.service.closed).hasSize(1);
				assertThat(this.service.refusedEvents).isPositive();
				// the server goes on serving everybody else
				IpcNamespace.Result result = this.namespace.run(client.toString(), NAME, "echo", "100");
				assertThat(result.output()).contains("echo 100 error=1 size=108 ok");
			}
			finally {
				stalled.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void aClientThatShrinksItsRingsIsDisconnectedAndTheServerGoesOn() throws Exception {
		assumeTrue(transport() == IpcSettings.Transport.SHARED_MEMORY, "rings are shared memory's");
		try (IpcServer server = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			Process shrinking = this.namespace.start(client.toString(), NAME, "shrink", "100");
			try {
				BufferedReader output = new BufferedReader(
						new InputStreamReader(shrinking.getInputStream(), StandardCharsets.UTF_8));
				assertThat(output.readLine()).isEqualTo("connected");
				assertThat(output.readLine()).isEqualTo("shrunk 2");
				// writing its events into files of no bytes faults: the client goes, not the server
				await(() -> this.service.closed.size() == 1 && server.connections() == 0);
				assertThat(this.service.opened).hasSize(1);
				assertThat(server.stats().invalid()).isEqualTo(1);
				await(() -> controlDirectories().isEmpty());
				IpcNamespace.Result result = this.namespace.run(client.toString(), NAME, "echo", "100");
				assertThat(result.output()).contains("echo 100 error=1 size=108 ok");
			}
			finally {
				shrinking.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void garbageIsAnsweredOrDisconnectedNeverPassedOn() throws Exception {
		try (IpcServer server = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			IpcNamespace.Result result = this.namespace.run(client.toString(), NAME, "garbage");
			// a size beyond the datagram: the daemon's answer to a request it cannot take apart
			assertThat(result.output()).contains("lying answered id=0 size=24 error=7");
			// shorter than a header: the client is disconnected, its next receive fails
			assertThat(result.output()).containsPattern("short answered -\\d+");
			await(() -> server.connections() == 0);
			assertThat(server.stats().invalid()).isEqualTo(2);
			assertThat(server.stats().requests()).isZero();
			assertThat(this.service.requests).isZero();
		}
	}

	@Test
	void aDatagramOfNoBytesDisconnectsItsClient() throws Exception {
		try (IpcServer server = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			IpcNamespace.Result result = this.namespace.run(client.toString(), NAME, "empty");
			assertThat(result.output()).contains("empty send 0").containsPattern("empty answered -\\d+");
			await(() -> server.connections() == 0);
			assertThat(server.stats().invalid()).isEqualTo(1);
			assertThat(this.service.requests).isZero();
		}
	}

	@Test
	void aConnectionThatIsNoLibqbRequestIsClosed() throws Exception {
		try (IpcServer server = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			IpcNamespace.Result result = this.namespace.run(client.toString(), NAME, "raw");
			assertThat(result.output()).contains("closed");
			assertThat(server.stats().invalid()).isEqualTo(1);
			assertThat(this.service.opened).isEmpty();
			// and the next client is served as ever
			assertThat(this.namespace.run(client.toString(), NAME, "echo", "32").output()).contains("echo 32 error=1 size=40 ok");
		}
	}

	@Test
	void closingTwiceClosesOnce() throws Exception {
		IpcServer server = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES);
		server.close();
		// as a launcher's signal hook and its main thread both close it
		server.close();
		assertThat(this.service.stopped).isTrue();
	}

	@Test
	void aNameAlreadyServedInTheNamespaceIsReported() throws Exception {
		try (IpcServer first = start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)) {
			assertThat(org.assertj.core.api.Assertions.catchThrowable(
					() -> start(IpcAccess.ROOT_ONLY, IpcSettings.DEFAULT_CONNECTION_QUEUE_BYTES)))
				.isInstanceOf(IOException.class)
				.hasMessageContaining("@" + NAME)
				.hasMessageContaining("address in use");
		}
	}

	private static List<Path> controlDirectories() {
		String prefix = "qb-" + ProcessHandle.current().pid() + "-";
		try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
			return files.filter((file) -> file.getFileName().toString().startsWith(prefix)).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met in 30 s").isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	/** Echoes id 1, sends events for id 2, never answers id 3. */
	static final class TestService implements IpcService {

		final List<IpcConnection> opened = new CopyOnWriteArrayList<>();

		final List<IpcConnection> closed = new CopyOnWriteArrayList<>();

		final List<IpcConnection> hung = new CopyOnWriteArrayList<>();

		final Set<IpcConnection> live = ConcurrentHashMap.newKeySet();

		volatile long requests;

		volatile long refusedEvents;

		volatile boolean stopped;

		@Override
		public void close() {
			this.stopped = true;
		}

		@Override
		public String name() {
			return NAME;
		}

		@Override
		public IpcSession connected(IpcConnection connection) {
			this.opened.add(connection);
			return new IpcSession() {

				@Override
				public void request(int id, ByteBuf message) {
					TestService.this.requests++;
					switch (id) {
						case 1 -> {
							int body = message.readableBytes() - IpcMessages.REQUEST_HEADER_SIZE;
							ByteBuf response = IpcMessages.response(connection.alloc(), 1,
									IpcMessages.RESPONSE_HEADER_SIZE + body, CsError.OK);
							response.writeBytes(message, IpcMessages.REQUEST_HEADER_SIZE, body);
							connection.respond(IpcMessages.finish(response));
						}
						case 2 -> {
							long count = message.getUnsignedIntLE(16);
							for (int i = 0; i < count; i++) {
								ByteBuf event = IpcMessages.response(connection.alloc(), 2, 28, CsError.OK);
								event.writeIntLE(i);
								if (!connection.event(IpcMessages.finish(event))) {
									TestService.this.refusedEvents++;
									return;
								}
							}
							connection.respond(IpcMessages.header(connection.alloc(), 2, CsError.OK));
						}
						default -> TestService.this.hung.add(connection);
					}
				}

				@Override
				public void closed() {
					TestService.this.closed.add(connection);
				}

			};
		}

	}

}
