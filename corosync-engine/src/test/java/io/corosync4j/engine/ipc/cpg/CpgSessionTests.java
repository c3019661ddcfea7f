package io.corosync4j.engine.ipc.cpg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.ipc.RecordingConnection;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgReason;
import io.corosync4j.engine.service.cpg.CpgService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A libcpg connection's session on a one-node ring, fed the bytes libcpg sends, its answers and events
 * read at the offsets gcc gives Corosync 3.1.7's structures.
 */
class CpgSessionTests {

	private static final CpgName GROUP = CpgName.of("ipcgroup");

	@TempDir
	Path directory;

	private CorosyncNode node;

	private CpgIpcService service;

	@BeforeEach
	void start() throws Exception {
		this.node = SingleNode.start(this.directory);
		this.service = new CpgIpcService(this.node.cpg());
	}

	@AfterEach
	void stop() {
		this.node.close();
	}

	@Test
	void aJoinIsAnsweredAndItsConfigurationChangeSentWithTheClientsPid() throws Exception {
		RecordingConnection connection = new RecordingConnection("cpg", 4242);
		IpcSession session = this.service.connected(connection);

		request(session, join(GROUP, 4242, 0));

		assertThat(connection.responses).singleElement().satisfies((r) -> assertHeader(r, 0, 24, CsError.OK));
		byte[] confchg = awaitEvent(connection, 0);
		assertHeader(confchg, CpgIpcCodec.RES_CONFCHG_CALLBACK, 184 + 2 * 24, CsError.OK);
		ByteBuffer in = le(confchg);
		assertThat(name(in, 24)).isEqualTo("ipcgroup");
		assertThat(in.getInt(160)).as("members").isEqualTo(1);
		assertThat(in.getInt(168)).as("joined").isEqualTo(1);
		assertThat(in.getInt(176)).as("left").isZero();
		assertThat(address(in, 184)).isEqualTo(List.of(1, 4242, 0));
		assertThat(address(in, 208)).isEqualTo(List.of(1, 4242, CpgReason.JOIN.code()));
	}

	@Test
	void joiningTwiceOrAsAProcessAnotherConnectionHoldsIsRefusedAsCorosyncDoes() throws Exception {
		RecordingConnection first = new RecordingConnection("cpg", 100);
		IpcSession session = this.service.connected(first);
		request(session, join(GROUP, 100, 0));
		request(session, join(GROUP, 100, 0));
		request(session, join(CpgName.of("other"), 100, 0));
		RecordingConnection second = new RecordingConnection("cpg", 100);
		request(this.service.connected(second), join(GROUP, 100, 0));

		assertThat(first.responses).extracting(CpgSessionTests::error)
			.containsExactly(CsError.OK.code(), CsError.EXIST.code(), CsError.EXIST.code());
		assertThat(second.responses).extracting(CpgSessionTests::error).containsExactly(CsError.EXIST.code());
	}

	@Test
	void aGroupNameTooLongIsRefused() {
		RecordingConnection connection = new RecordingConnection("cpg", 7);
		ByteBuf join = join(GROUP, 7, 0);
		join.setIntLE(16, 129);
		request(this.service.connected(connection), join);

		assertThat(connection.responses).singleElement()
			.satisfies((r) -> assertHeader(r, 0, 24, CsError.NAME_TOO_LONG));
	}

	@Test
	void multicastsAreDeliveredInOrderWithoutAnswers() throws Exception {
		RecordingConnection connection = new RecordingConnection("cpg", 555);
		IpcSession session = this.service.connected(connection);
		request(session, join(GROUP, 555, 0));
		awaitEvent(connection, 0);
		for (int k = 0; k < 20; k++) {
			request(session, mcast(("message " + k).getBytes(StandardCharsets.UTF_8)));
		}

		byte[] last = awaitEvent(connection, 20);
		assertThat(connection.responses).hasSize(1);
		for (int k = 0; k < 20; k++) {
			byte[] deliver = connection.events.get(1 + k);
			String text = "message " + k;
			assertHeader(deliver, CpgIpcCodec.RES_DELIVER_CALLBACK, 184 + text.length(), CsError.OK);
			ByteBuffer in = le(deliver);
			assertThat(name(in, 24)).isEqualTo("ipcgroup");
			assertThat(in.getInt(160)).isEqualTo(text.length());
			assertThat(in.getInt(168)).as("nodeid").isEqualTo(1);
			assertThat(in.getInt(176)).as("pid").isEqualTo(555);
			assertThat(new String(deliver, 184, text.length(), StandardCharsets.UTF_8)).isEqualTo(text);
		}
		assertThat(last).isEqualTo(connection.events.get(20));
	}

	@Test
	void aMulticastBeforeAJoinOrOfTheWrongSizeGoesNowhereAndIsNotAnswered() throws Exception {
		RecordingConnection connection = new RecordingConnection("cpg", 77);
		IpcSession session = this.service.connected(connection);
		request(session, mcast(new byte[] { 1, 2, 3 }));
		request(session, join(GROUP, 77, 0));
		awaitEvent(connection, 0);
		ByteBuf wrong = mcast(new byte[] { 4, 5 });
		wrong.setIntLE(32, 3);
		request(session, wrong);
		// a marker after the two: once it is delivered, the others would have been
		request(session, mcast(new byte[] { 9 }));

		byte[] marker = awaitEvent(connection, 1);
		assertThat(connection.responses).hasSize(1);
		assertThat(connection.events).hasSize(2);
		assertThat(marker[184]).isEqualTo((byte) 9);
	}

	@Test
	void multicastsTheSendQueueHasNoRoomForWaitAndAreDeliveredInOrder() throws Exception {
		try (CorosyncNode small = SingleNode.start(this.directory.resolve("small"),
				(builder) -> builder.cpg(new CpgService(CpgService.MAX_ATOMIC_SIZE)))) {
			CpgIpcService smallService = new CpgIpcService(small.cpg());
			RecordingConnection connection = new RecordingConnection("cpg", 600);
			// requests and the session's later work on one thread, as on the IPC loop
			ExecutorService loop = Executors.newSingleThreadExecutor();
			IpcSession session = smallService.connected(new OnLoop(connection, loop));
			loop.submit(() -> request(session, join(GROUP, 600, 0))).get();
			awaitEvent(connection, 0);
			int count = 12;
			// all in one turn of the loop, each nearly filling the queue: those behind the first wait for room,
			// as the node's loop, which drains the queue, is held meanwhile
			CountDownLatch sent = new CountDownLatch(1);
			small.eventLoop().execute(() -> awaitQuietly(sent));
			try {
				loop.submit(() -> {
					for (int k = 0; k < count; k++) {
						byte[] data = new byte[1_000_000];
						Arrays.fill(data, (byte) k);
						request(session, mcast(data));
					}
				}).get();
			}
			finally {
				sent.countDown();
			}

			awaitEvent(connection, count);
			loop.shutdown();
			assertThat(connection.isOpen()).isTrue();
			// the client was asked to hold its multicasts while some waited, and let go once they were sent
			assertThat(connection.multicastHolds).startsWith(true).endsWith(false);
			for (int k = 0; k < count; k++) {
				byte[] deliver = connection.events.get(1 + k);
				assertThat(deliver).hasSize(184 + 1_000_000);
				assertThat(deliver[184]).isEqualTo((byte) k);
				assertThat(deliver[deliver.length - 1]).isEqualTo((byte) k);
			}
		}
	}

	@Test
	void aClientThatSendsFarBeyondTheQueueIsDisconnected() throws Exception {
		// the client's loop outlives the node: the node may still wake the session's wait for room as it stops
		ExecutorService loop = Executors.newSingleThreadExecutor();
		try (CorosyncNode small = SingleNode.start(this.directory.resolve("small"),
				(builder) -> builder.cpg(new CpgService(CpgService.MAX_ATOMIC_SIZE)))) {
			CpgIpcService smallService = new CpgIpcService(small.cpg(), 2_000_000);
			RecordingConnection connection = new RecordingConnection("cpg", 601);
			IpcSession session = smallService.connected(new OnLoop(connection, loop));
			loop.submit(() -> request(session, join(GROUP, 601, 0))).get();
			awaitEvent(connection, 0);
			// the node's loop, which drains the send queue, is held while the client sends: the ring takes
			// nothing meanwhile, however the threads are scheduled
			CountDownLatch sent = new CountDownLatch(1);
			small.eventLoop().execute(() -> awaitQuietly(sent));
			try {
				loop.submit(() -> {
					for (int k = 0; k < 8 && connection.isOpen(); k++) {
						request(session, mcast(new byte[1_000_000]));
					}
				}).get();
			}
			finally {
				sent.countDown();
			}

			assertThat(connection.isOpen()).isFalse();
		}
		finally {
			loop.shutdown();
		}
	}

	@Test
	void aLeaveIsAnsweredAndTheConnectionCannotJoinAgainAsOnCorosync() throws Exception {
		RecordingConnection connection = new RecordingConnection("cpg", 31);
		IpcSession session = this.service.connected(connection);
		request(session, leave(GROUP, 31));
		request(session, join(GROUP, 31, 0));
		awaitEvent(connection, 0);
		request(session, leave(GROUP, 31));
		byte[] left = awaitEvent(connection, 1);
		request(session, leave(GROUP, 31));
		request(session, join(GROUP, 31, 0));
		request(session, join(CpgName.of("another"), 31, 0));

		assertThat(connection.responses).extracting(CpgSessionTests::id).containsExactly(1, 0, 1, 1, 0, 0);
		assertThat(connection.responses).extracting(CpgSessionTests::error)
			.containsExactly(CsError.NOT_EXIST.code(), CsError.OK.code(), CsError.OK.code(), CsError.NOT_EXIST.code(),
					CsError.EXIST.code(), CsError.BUSY.code());
		ByteBuffer in = le(left);
		assertThat(in.getInt(160)).as("members").isZero();
		assertThat(in.getInt(176)).as("left").isEqualTo(1);
		assertThat(address(in, 184)).isEqualTo(List.of(1, 31, CpgReason.LEAVE.code()));
	}

	@Test
	void aClientThatGoesWithoutLeavingLeavesWithProcdownAndItsPidIsFreeOnceThatIsDelivered() throws Exception {
		Watcher watcher = new Watcher();
		CpgHandle java = this.node.cpg().join(GROUP, watcher);
		java.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
		RecordingConnection connection = new RecordingConnection("cpg", 9001);
		IpcSession session = this.service.connected(connection);
		request(session, join(GROUP, 9001, 0));
		Await.until("the client's join", SingleNode.BOUND, () -> java.membership().size() == 2, java::membership);
		request(session, mcast("last words".getBytes(StandardCharsets.UTF_8)));

		session.closed();

		Await.until("the client's leave", SingleNode.BOUND, () -> !watcher.left.isEmpty(), () -> watcher.left);
		assertThat(watcher.left).containsExactly(new CpgAddress(1, 9001, CpgReason.PROCDOWN));
		assertThat(watcher.messages).containsExactly("9001:last words");
		// the members may hear of the leave before the connection's own handle does; until then, TRY_AGAIN
		RecordingConnection again = new RecordingConnection("cpg", 9001);
		IpcSession againSession = this.service.connected(again);
		Await.until("the pid free again", SingleNode.BOUND, () -> {
			request(againSession, join(GROUP, 9001, 0));
			return error(again.responses.get(again.responses.size() - 1)) != CsError.TRY_AGAIN.code();
		});
		assertHeader(again.responses.get(again.responses.size() - 1), 0, 24, CsError.OK);
		java.close();
	}

	@Test
	void aFinalizedClientGetsNoMoreEventsAndItsProcessMustLeaveBeforeItJoinsAgain() throws Exception {
		RecordingConnection connection = new RecordingConnection("cpg", 60);
		IpcSession session = this.service.connected(connection);
		request(session, join(GROUP, 60, 0));
		awaitEvent(connection, 0);
		request(session, header(CpgIpcCodec.REQ_FINALIZE, 16));
		RecordingConnection next = new RecordingConnection("cpg", 60);
		IpcSession nextSession = this.service.connected(next);
		request(nextSession, join(GROUP, 60, 0));

		assertThat(connection.responses.get(1)).satisfies((r) -> assertHeader(r, 12, 24, CsError.OK));
		assertThat(next.responses).singleElement().satisfies((r) -> assertHeader(r, 0, 24, CsError.TRY_AGAIN));
		session.closed();
		Await.until("the old process's leave", SingleNode.BOUND, () -> {
			request(nextSession, join(GROUP, 60, 0));
			return error(next.responses.get(next.responses.size() - 1)) == CsError.OK.code();
		}, () -> next.responses.size());
		awaitEvent(next, 0);
		assertThat(connection.events).hasSize(1);
	}

	@Test
	void membershipLocalGetAndIterationAnswerAsCorosync() throws Exception {
		RecordingConnection connection = new RecordingConnection("cpg", 1);
		IpcSession session = this.service.connected(connection);
		List<CpgHandle> handles = new ArrayList<>();
		for (String group : List.of("b", "a", "b")) {
			CpgHandle handle = this.node.cpg().join(CpgName.of(group), new Watcher());
			handle.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
			handles.add(handle);
		}
		long pid = handles.get(0).pid();

		request(session, membership(CpgName.of("b")));
		request(session, header(CpgIpcCodec.REQ_LOCAL_GET, 16));
		Await.until("both answers", SingleNode.BOUND, () -> connection.responses.size() == 2);
		byte[] members = connection.responses.get(0);
		assertHeader(members, 3, 9248, CsError.OK);
		ByteBuffer in = le(members);
		assertThat(in.getInt(24)).isEqualTo(2);
		assertThat(address(in, 32)).isEqualTo(List.of(1, (int) pid, 0));
		assertThat(address(in, 56)).isEqualTo(List.of(1, (int) pid + 2, 0));
		assertHeader(connection.responses.get(1), 7, 32, CsError.OK);
		assertThat(le(connection.responses.get(1)).getInt(24)).isEqualTo(1);

		// the process list is b/pid, a/pid+1, b/pid+2: Corosync puts a group it meets first at the front
		assertThat(iterate(session, connection, 3, null)).containsExactly("a 1/" + (pid + 1), "b 1/" + pid,
				"b 1/" + (pid + 2));
		assertThat(iterate(session, connection, 1, null)).containsExactly("a 0/0", "b 0/0");
		assertThat(iterate(session, connection, 2, CpgName.of("a"))).containsExactly("a 1/" + (pid + 1));
		handles.forEach(CpgHandle::close);
	}

	@Test
	void corosyncsIterationOrderPutsNewGroupsFirstAndLaterMembersAfterTheFirst() {
		java.util.Map<CpgName, List<CpgAddress>> groups = new java.util.LinkedHashMap<>();
		groups.put(CpgName.of("x"), List.of(address(1, 10), address(1, 11), address(2, 5)));
		groups.put(CpgName.of("y"), List.of(address(1, 12)));

		assertThat(CpgSession.iterationItems(groups, 3, null)).extracting((m) -> m.group() + " " + m.nodeid() + "/" + m.pid())
			.containsExactly("y 1/12", "x 1/10", "x 2/5", "x 1/11");
	}

	@Test
	void iterationsOfUnknownHandlesAreALibraryError() {
		RecordingConnection connection = new RecordingConnection("cpg", 1);
		IpcSession session = this.service.connected(connection);
		ByteBuf next = header(CpgIpcCodec.REQ_ITERATION_NEXT, 24);
		next.setLongLE(16, 77);
		request(session, next);
		ByteBuf end = header(CpgIpcCodec.REQ_ITERATION_FINALIZE, 24);
		end.setLongLE(16, 77);
		request(session, end);

		assertHeader(connection.responses.get(0), 10, 168, CsError.LIBRARY);
		assertHeader(connection.responses.get(1), 11, 24, CsError.LIBRARY);
	}

	@Test
	void idsOutOfRangeAndRequestsOfTheWrongSizeAreInvalidParameters() {
		RecordingConnection connection = new RecordingConnection("cpg", 1);
		IpcSession session = this.service.connected(connection);
		request(session, header(13, 16));
		request(session, header(CpgIpcCodec.REQ_LOCAL_GET, 24));
		request(session, header(CpgIpcCodec.REQ_JOIN, 160));
		ByteBuf partial = Unpooled.buffer(60).writeZero(60);
		partial.setIntLE(0, CpgIpcCodec.REQ_PARTIAL_MCAST);
		partial.setIntLE(8, 60);
		partial.setIntLE(40, 5);
		request(session, partial);

		assertThat(connection.responses).hasSize(4)
			.allSatisfy((r) -> assertHeader(r, 0, 24, CsError.INVALID_PARAM));
	}

	@Test
	void piecesOfALargeMessageAreSentWholeAndALargeDeliveryReachesTheClientInPieces() throws Exception {
		Watcher watcher = new Watcher();
		CpgHandle java = this.node.cpg().join(GROUP, watcher);
		java.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
		RecordingConnection connection = new RecordingConnection("cpg", 321);
		IpcSession session = this.service.connected(connection);
		request(session, join(GROUP, 321, 0));
		awaitEvent(connection, 0);
		byte[] large = new byte[CpgIpcCodec.MAX_FRAGMENT * 2 + 100];
		for (int i = 0; i < large.length; i++) {
			large[i] = (byte) (i * 31);
		}
		int[] starts = { 0, CpgIpcCodec.MAX_FRAGMENT, 2 * CpgIpcCodec.MAX_FRAGMENT };
		for (int piece = 0; piece < 3; piece++) {
			int end = (piece == 2) ? large.length : starts[piece] + CpgIpcCodec.MAX_FRAGMENT;
			request(session, partial(large, starts[piece], end, piece + 1));
		}

		assertThat(connection.responses).hasSize(4);
		assertThat(connection.responses.subList(1, 4)).allSatisfy((r) -> assertHeader(r, 18, 24, CsError.OK));
		Await.until("the whole message", SingleNode.BOUND, () -> !watcher.payloads.isEmpty());
		assertThat(watcher.payloads.get(0)).isEqualTo(large);
		byte[] last = awaitEvent(connection, 3);
		List<byte[]> pieces = connection.events.subList(1, 4);
		ByteBuffer assembled = ByteBuffer.allocate(large.length);
		for (int piece = 0; piece < 3; piece++) {
			ByteBuffer in = le(pieces.get(piece));
			int fragment = in.getInt(168);
			assertHeader(pieces.get(piece), CpgIpcCodec.RES_PARTIAL_DELIVER_CALLBACK, 200 + fragment, CsError.OK);
			assertThat(name(in, 24)).isEqualTo("ipcgroup");
			assertThat(in.getInt(160)).isEqualTo(large.length);
			assertThat(in.getInt(176)).isEqualTo(1);
			assertThat(in.getInt(184)).isEqualTo(321);
			assertThat(in.getInt(192)).isEqualTo(piece + 1);
			assembled.put(pieces.get(piece), 200, fragment);
		}
		assertThat(assembled.array()).isEqualTo(large);
		assertThat(last).isSameAs(connection.events.get(3));
		java.close();
	}

	@Test
	void aConfigurationChangeBetweenPiecesInterruptsTheSend() throws Exception {
		RecordingConnection connection = new RecordingConnection("cpg", 44);
		IpcSession session = this.service.connected(connection);
		request(session, join(GROUP, 44, 0));
		awaitEvent(connection, 0);
		byte[] message = new byte[300];
		request(session, partial(message, 0, 100, CpgIpcCodec.PARTIAL_FIRST));
		CpgHandle java = this.node.cpg().join(GROUP, new Watcher());
		awaitEvent(connection, 1);
		request(session, partial(message, 100, 300, CpgIpcCodec.PARTIAL_LAST));

		assertHeader(connection.responses.get(1), 18, 24, CsError.OK);
		assertHeader(connection.responses.get(2), 18, 24, CsError.INTERRUPT);
		java.close();
	}

	@Test
	void theInitialTotemConfigurationFollowsTheJoinWhenAskedFor() throws Exception {
		RecordingConnection connection = new RecordingConnection("cpg", 88);
		IpcSession session = this.service.connected(connection);
		request(session, join(GROUP, 88, CpgIpcCodec.FLAG_INITIAL_TOTEM_CONF));

		byte[] totem = awaitEvent(connection, 1);
		assertHeader(connection.events.get(0), CpgIpcCodec.RES_CONFCHG_CALLBACK, 184 + 48, CsError.OK);
		assertHeader(totem, CpgIpcCodec.RES_TOTEM_CONFCHG_CALLBACK, 52, CsError.OK);
		ByteBuffer in = le(totem);
		assertThat(in.getInt(24)).as("ring representative").isEqualTo(1);
		assertThat(in.getLong(32)).as("ring sequence").isEqualTo(this.node.membership().ringId().seq());
		assertThat(in.getInt(40)).isEqualTo(1);
		assertThat(in.getInt(44)).isEqualTo(1);
	}

	@Test
	void aZeroCopyBufferIsMappedItsAddressWrittenAndItsMessageMulticast() throws Exception {
		RecordingConnection connection = new RecordingConnection("cpg", 5);
		IpcSession session = this.service.connected(connection);
		request(session, join(GROUP, 5, 0));
		awaitEvent(connection, 0);
		Path file = this.directory.resolve("corosync_zerocopy-AbC123");
		int mapSize = 16 + 40 + 64;
		Files.write(file, new byte[mapSize]);
		// the client's own mapping, as libcpg keeps it
		MappedByteBuffer client;
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			client = channel.map(FileChannel.MapMode.READ_WRITE, 0, mapSize);
		}
		client.order(ByteOrder.LITTLE_ENDIAN);
		ByteBuf alloc = header(CpgIpcCodec.REQ_ZC_ALLOC, 152);
		alloc.setLongLE(16, mapSize);
		alloc.setBytes(24, file.toString().getBytes(StandardCharsets.UTF_8));

		request(session, alloc);

		assertHeader(connection.responses.get(1), 0, 24, CsError.OK);
		assertThat(file).doesNotExist();
		long address = client.getLong(8);
		assertThat(address).isNotZero();
		client.putInt(16 + 32, 5);
		client.put(16 + 40, "zcmsg".getBytes(StandardCharsets.UTF_8));
		ByteBuf execute = header(CpgIpcCodec.REQ_ZC_EXECUTE, 24);
		execute.setLongLE(16, address);
		request(session, execute);
		assertHeader(connection.responses.get(2), 2, 24, CsError.OK);
		byte[] delivered = awaitEvent(connection, 1);
		assertThat(new String(delivered, 184, 5, StandardCharsets.UTF_8)).isEqualTo("zcmsg");

		ByteBuf free = header(CpgIpcCodec.REQ_ZC_FREE, 32);
		free.setLongLE(16, mapSize);
		free.setLongLE(24, address);
		request(session, free);
		assertHeader(connection.responses.get(3), 0, 24, CsError.OK);
		ByteBuf stale = header(CpgIpcCodec.REQ_ZC_EXECUTE, 24);
		stale.setLongLE(16, address);
		request(session, stale);
		assertHeader(connection.responses.get(4), 2, 24, CsError.INVALID_PARAM);
	}

	@Test
	void aZeroCopyMessageWrittenIntoTheMappedFileIsMulticast() throws Exception {
		ZeroCopyBuffers buffers = new ZeroCopyBuffers();
		Path file = this.directory.resolve("corosync_zerocopy-xyz");
		byte[] content = new byte[16 + 40 + 5];
		ByteBuffer view = le(content);
		view.putInt(16 + 32, 5);
		System.arraycopy("hello".getBytes(StandardCharsets.UTF_8), 0, content, 56, 5);
		Files.write(file, content);

		long address = buffers.allocate(file.toString(), content.length, 0);

		assertThat(address).isPositive();
		assertThat(buffers.message(address)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
		assertThat(buffers.allocate(this.directory.resolve("elsewhere").toString(), content.length, 0)).isZero();
		buffers.free(address);
		assertThat(buffers.message(address)).isNull();
	}

	// ---------------------------------------------------------------------------------------------

	private List<String> iterate(IpcSession session, RecordingConnection connection, int type, CpgName group)
			throws Exception {
		int before = connection.responses.size();
		ByteBuf init = header(CpgIpcCodec.REQ_ITERATION_INITIALIZE, 160);
		if (group != null) {
			writeName(init, 16, group);
		}
		init.setIntLE(152, type);
		request(session, init);
		Await.until("the iteration", SingleNode.BOUND, () -> connection.responses.size() > before);
		byte[] started = connection.responses.get(before);
		assertHeader(started, 9, 32, CsError.OK);
		long handle = le(started).getLong(24);
		List<String> items = new ArrayList<>();
		while (true) {
			ByteBuf next = header(CpgIpcCodec.REQ_ITERATION_NEXT, 24);
			next.setLongLE(16, handle);
			request(session, next);
			byte[] answer = connection.responses.get(connection.responses.size() - 1);
			if (error(answer) == CsError.NO_SECTIONS.code()) {
				assertHeader(answer, 10, 168, CsError.NO_SECTIONS);
				break;
			}
			assertHeader(answer, 10, 168, CsError.OK);
			ByteBuffer in = le(answer);
			items.add(name(in, 24) + " " + in.getInt(160) + "/" + in.getInt(164));
		}
		ByteBuf end = header(CpgIpcCodec.REQ_ITERATION_FINALIZE, 24);
		end.setLongLE(16, handle);
		request(session, end);
		assertHeader(connection.responses.get(connection.responses.size() - 1), 11, 24, CsError.OK);
		return items;
	}

	private static void request(IpcSession session, ByteBuf message) {
		try {
			session.request(message.getIntLE(0), message);
		}
		finally {
			message.release();
		}
	}

	static ByteBuf header(int id, int size) {
		ByteBuf message = Unpooled.buffer(size).writeZero(size);
		message.setIntLE(0, id);
		message.setIntLE(8, size);
		return message;
	}

	static void writeName(ByteBuf out, int offset, CpgName name) {
		out.setIntLE(offset, name.bytes().length);
		out.setBytes(offset + 8, name.bytes());
	}

	static ByteBuf join(CpgName group, long pid, int flags) {
		ByteBuf message = header(CpgIpcCodec.REQ_JOIN, 168);
		writeName(message, 16, group);
		message.setIntLE(152, (int) pid);
		message.setIntLE(160, flags);
		return message;
	}

	static ByteBuf leave(CpgName group, long pid) {
		ByteBuf message = header(CpgIpcCodec.REQ_LEAVE, 160);
		writeName(message, 16, group);
		message.setIntLE(152, (int) pid);
		return message;
	}

	static ByteBuf membership(CpgName group) {
		ByteBuf message = header(CpgIpcCodec.REQ_MEMBERSHIP, 152);
		writeName(message, 16, group);
		return message;
	}

	static ByteBuf mcast(byte[] data) {
		ByteBuf message = header(CpgIpcCodec.REQ_MCAST, 40 + data.length);
		message.setIntLE(32, data.length);
		message.setBytes(40, data);
		return message;
	}

	static ByteBuf partial(byte[] whole, int from, int to, int type) {
		ByteBuf message = header(CpgIpcCodec.REQ_PARTIAL_MCAST, 56 + to - from);
		message.setIntLE(32, whole.length);
		message.setIntLE(40, to - from);
		message.setIntLE(48, type);
		message.setBytes(56, whole, from, to - from);
		return message;
	}

	/** On a loop that must not go on before {@code latch}: waits for it, within the tests' bound. */
	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(SingleNode.BOUND.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static byte[] awaitEvent(RecordingConnection connection, int index) throws InterruptedException {
		Await.until("event " + index, SingleNode.BOUND, () -> eventCount(connection) > index,
				() -> eventCount(connection) + " events");
		synchronized (connection) {
			return connection.events.get(index);
		}
	}

	private static int eventCount(RecordingConnection connection) {
		synchronized (connection) {
			return connection.events.size();
		}
	}

	static ByteBuffer le(byte[] bytes) {
		return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
	}

	static int id(byte[] response) {
		return le(response).getInt(0);
	}

	static int error(byte[] response) {
		return le(response).getInt(16);
	}

	static void assertHeader(byte[] message, int id, int size, CsError error) {
		ByteBuffer in = le(message);
		assertThat(message).hasSize(size);
		assertThat(List.of(in.getInt(0), in.getInt(8), in.getInt(16))).as("id, size, error")
			.isEqualTo(List.of(id, size, error.code()));
	}

	static String name(ByteBuffer in, int offset) {
		int length = in.getInt(offset);
		return new String(in.array(), offset + 8, length, StandardCharsets.UTF_8);
	}

	static List<Integer> address(ByteBuffer in, int offset) {
		return List.of(in.getInt(offset), in.getInt(offset + 8), in.getInt(offset + 16));
	}

	private static CpgAddress address(long nodeid, long pid) {
		return new CpgAddress(nodeid, pid, CpgReason.UNDEFINED);
	}

	/** A recording connection whose loop is a thread of the test's. */
	private record OnLoop(RecordingConnection recording, Executor loop) implements IpcConnection {

		@Override
		public long pid() {
			return this.recording.pid();
		}

		@Override
		public int uid() {
			return 0;
		}

		@Override
		public int gid() {
			return 0;
		}

		@Override
		public String service() {
			return "cpg";
		}

		@Override
		public void respond(ByteBuf response) {
			this.recording.respond(response);
		}

		@Override
		public boolean event(ByteBuf event) {
			return this.recording.event(event);
		}

		@Override
		public void disconnect() {
			this.recording.disconnect();
		}

		@Override
		public boolean isOpen() {
			return this.recording.isOpen();
		}

		@Override
		public void holdMulticasts(boolean hold) {
			this.recording.holdMulticasts(hold);
		}

	}

	/** A Java handle's view of the group. */
	private static final class Watcher implements CpgListener {

		final List<CpgAddress> left = new CopyOnWriteArrayList<>();

		final List<String> messages = new CopyOnWriteArrayList<>();

		final List<byte[]> payloads = new CopyOnWriteArrayList<>();

		@Override
		public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			this.payloads.add(message);
			if (message.length < 100) {
				this.messages.add(pid + ":" + new String(message, StandardCharsets.UTF_8));
			}
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			this.left.addAll(change.left());
		}

	}

}
