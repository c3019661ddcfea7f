package io.corosync4j.engine.ipc.votequorum;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.ipc.RecordingConnection;
import io.corosync4j.engine.ipc.quorum.TestNodes;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.totem.wire.RingId;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.ipc.quorum.TestNodes.awaitEvents;
import static io.corosync4j.engine.ipc.quorum.TestNodes.awaitResponse;
import static io.corosync4j.engine.ipc.quorum.TestNodes.header;
import static io.corosync4j.engine.ipc.quorum.TestNodes.request;
import static org.assertj.core.api.Assertions.assertThat;

/** The votequorum IPC service on a two-node ring: libvotequorum's requests and notifications. */
class VotequorumIpcServiceTests {

	private static final int STATUS = VotequorumCodec.RES_STATUS;

	private static final int OK = CsError.OK.code();

	@TempDir
	Path directory;

	@Test
	void answersEveryRequestAsCorosyncDoes() throws Exception {
		try (TestNodes nodes = new TestNodes(this.directory, 2, true)) {
			CorosyncNode first = nodes.start(1);
			nodes.start(2);
			nodes.awaitRing();
			VotequorumIpcService service = new VotequorumIpcService(first.votequorum().orElseThrow());
			RecordingConnection connection = new RecordingConnection("votequorum", 20);
			IpcSession session = service.connected(connection);
			int responses = 0;

			send(session, value(VotequorumCodec.REQ_GETINFO, 0));
			ByteBuffer self = awaitResponse(connection, ++responses);
			assertThat(header(self)).containsExactly(VotequorumCodec.RES_GETINFO, 320, OK);
			// nodeid, state, votes, expected, highest expected, total votes, quorum, flags, qdevice votes
			assertThat(ints(self, 24, 9)).containsExactly(1, 1, 1, 2, 2, 2, 2, VotequorumCodec.INFO_QUORATE, 0);
			assertThat(self.get(60)).as("no quorum device name").isZero();
			send(session, value(VotequorumCodec.REQ_GETINFO, 2));
			assertThat(ints(awaitResponse(connection, ++responses), 24, 2)).containsExactly(2, 1);
			send(session, value(VotequorumCodec.REQ_GETINFO, 9));
			assertThat(header(awaitResponse(connection, ++responses)))
				.containsExactly(VotequorumCodec.RES_GETINFO, 320, CsError.NOT_EXIST.code());

			// tracking: the current node list and quorum at once, with the client's context
			send(session, trackStart(0x1234_5678_9abcL, VotequorumCodec.TRACK_CHANGES));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24, OK);
			List<ByteBuffer> events = awaitEvents(connection, 2);
			RingId ring = first.membership().ringId();
			ByteBuffer nodeList = events.get(0);
			assertThat(header(nodeList)).containsExactly(VotequorumCodec.RES_NODELIST_NOTIFICATION, 56 + 8, OK);
			assertThat(nodeList.getLong(24)).isEqualTo(0x1234_5678_9abcL);
			assertThat(nodeList.getInt(32)).isEqualTo((int) ring.rep());
			assertThat(nodeList.getLong(40)).isEqualTo(ring.seq());
			assertThat(ints(nodeList, 48, 1)).containsExactly(2);
			assertThat(ints(nodeList, 56, 2)).containsExactly(1, 2);
			ByteBuffer quorum = events.get(1);
			assertThat(header(quorum)).containsExactly(VotequorumCodec.RES_QUORUM_NOTIFICATION, 48 + 16, OK);
			assertThat(quorum.getInt(24)).isEqualTo(1);
			assertThat(quorum.getLong(32)).isEqualTo(0x1234_5678_9abcL);
			assertThat(quorum.getInt(40)).isEqualTo(2);
			// in Corosync's list order: node 2, heard of after this node, goes before the last node
			assertThat(ints(quorum, 48, 4)).containsExactly(2, 1, 1, 1);
			send(session, trackStart(0x1234_5678_9abcL, VotequorumCodec.TRACK_CHANGES));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24,
					CsError.EXIST.code());

			// expected votes: below the votes present is refused, above is taken and announced
			send(session, value(VotequorumCodec.REQ_SETEXPECTED, 1));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24,
					CsError.INVALID_PARAM.code());
			int before = connection.events.size();
			send(session, value(VotequorumCodec.REQ_SETEXPECTED, 3));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24, OK);
			ByteBuffer expected = awaitEvents(connection, before + 1).get(before);
			assertThat(header(expected)).containsExactly(VotequorumCodec.RES_EXPECTEDVOTES_NOTIFICATION, 40, OK);
			assertThat(expected.getLong(24)).isEqualTo(0x1234_5678_9abcL);
			assertThat(expected.getInt(32)).isEqualTo(3);

			// votes: an unknown node, the quorum device this node never has, a member
			send(session, setVotes(9, 1));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24,
					CsError.NAME_NOT_FOUND.code());
			send(session, setVotes(0, 1));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24,
					CsError.NOT_SUPPORTED.code());
			send(session, setVotes(2, 1));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24, OK);

			// quorum device requests: none can register here, so none is registered
			int[] sizes = VotequorumCodec.REQUEST_SIZES;
			send(session, request(VotequorumCodec.REQ_QDEVICE_REGISTER, sizes[VotequorumCodec.REQ_QDEVICE_REGISTER]));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24,
					CsError.NOT_SUPPORTED.code());
			for (int id = VotequorumCodec.REQ_QDEVICE_UNREGISTER; id <= VotequorumCodec.REQ_QDEVICE_MASTER_WINS; id++) {
				send(session, request(id, sizes[id]));
				assertThat(header(awaitResponse(connection, ++responses))).as("request %d", id)
					.containsExactly(STATUS, 24, CsError.NOT_EXIST.code());
			}

			send(session, request(VotequorumCodec.REQ_TRACKSTOP, 16));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24, OK);
			send(session, request(VotequorumCodec.REQ_TRACKSTOP, 16));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(STATUS, 24,
					CsError.NOT_EXIST.code());
			assertThat(service.trackers).isEmpty();

			send(session, request(10, 16));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(0, 24,
					CsError.INVALID_PARAM.code());
			send(session, request(VotequorumCodec.REQ_QDEVICE_UPDATE, 272));
			assertThat(header(awaitResponse(connection, ++responses))).as("an update cut short")
				.containsExactly(0, 24, CsError.INVALID_PARAM.code());
		}
	}

	@Test
	void aTrackerHearsANewRingsNodeListBeforeItsQuorum() throws Exception {
		try (TestNodes nodes = new TestNodes(this.directory, 2, true)) {
			CorosyncNode first = nodes.start(1);
			nodes.awaitRing();
			VotequorumIpcService service = new VotequorumIpcService(first.votequorum().orElseThrow());
			RecordingConnection connection = new RecordingConnection("votequorum", 21);
			IpcSession session = service.connected(connection);
			send(session, trackStart(0, VotequorumCodec.TRACK_CHANGES_ONLY));
			assertThat(header(awaitResponse(connection, 1))).containsExactly(STATUS, 24, OK);
			assertThat(connection.events).as("CS_TRACK_CHANGES_ONLY sends nothing at once").isEmpty();

			nodes.start(2);
			nodes.awaitRing();
			List<ByteBuffer> events = awaitEvents(connection, 2);
			assertThat(events.stream().map((event) -> event.getInt(0)))
				.as("the node list, then quorum gained")
				.startsWith(VotequorumCodec.RES_NODELIST_NOTIFICATION)
				.contains(VotequorumCodec.RES_QUORUM_NOTIFICATION);
			ByteBuffer quorum = events.stream().filter((event) -> event.getInt(0) == VotequorumCodec.RES_QUORUM_NOTIFICATION)
				.reduce((a, b) -> b).orElseThrow();
			assertThat(quorum.getInt(24)).isEqualTo(1);
			session.closed();
			assertThat(service.trackers).isEmpty();
		}
	}

	private static ByteBuf value(int id, int value) {
		ByteBuf request = request(id, 24);
		request.setIntLE(16, value);
		return request;
	}

	private static ByteBuf trackStart(long context, int flags) {
		ByteBuf request = request(VotequorumCodec.REQ_TRACKSTART, 32);
		request.setLongLE(16, context);
		request.setIntLE(24, flags);
		return request;
	}

	private static ByteBuf setVotes(int nodeid, int votes) {
		ByteBuf request = request(VotequorumCodec.REQ_SETVOTES, 24);
		request.setIntLE(16, votes);
		request.setIntLE(20, nodeid);
		return request;
	}

	private static int[] ints(ByteBuffer message, int from, int count) {
		int[] values = new int[count];
		for (int i = 0; i < count; i++) {
			values[i] = message.getInt(from + 4 * i);
		}
		return values;
	}

	private static void send(IpcSession session, ByteBuf request) {
		try {
			session.request(request.getIntLE(0), request);
		}
		finally {
			request.release();
		}
	}

}
