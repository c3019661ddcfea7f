package io.corosync4j.engine.ipc.quorum;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.ipc.RecordingConnection;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.totem.wire.RingId;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.ipc.quorum.TestNodes.awaitEvents;
import static io.corosync4j.engine.ipc.quorum.TestNodes.awaitResponse;
import static io.corosync4j.engine.ipc.quorum.TestNodes.header;
import static io.corosync4j.engine.ipc.quorum.TestNodes.request;
import static io.corosync4j.engine.ipc.quorum.TestNodes.sized;
import static org.assertj.core.api.Assertions.assertThat;

/** The quorum IPC service on running nodes: libquorum's requests and both models' notifications. */
class QuorumIpcServiceTests {

	@TempDir
	Path directory;

	@Test
	void trackingClientsOfBothModelsHearQuorumAndTheNodeList() throws Exception {
		try (TestNodes nodes = new TestNodes(this.directory, 2, true)) {
			CorosyncNode first = nodes.start(1);
			nodes.awaitRing();
			QuorumIpcService service = new QuorumIpcService(first);
			RecordingConnection v0 = new RecordingConnection("quorum", 10);
			IpcSession oldModel = service.connected(v0);
			RecordingConnection v1 = new RecordingConnection("quorum", 11);
			IpcSession newModel = service.connected(v1);

			send(oldModel, request(QuorumCodec.REQ_GETTYPE, 16));
			assertThat(header(awaitResponse(v0, 1))).containsExactly(QuorumCodec.RES_GETTYPE, 32, CsError.OK.code());
			assertThat(awaitResponse(v0, 1).getInt(24)).isEqualTo(1);
			send(oldModel, request(QuorumCodec.REQ_GETQUORATE, 16));
			ByteBuffer quorate = awaitResponse(v0, 2);
			assertThat(header(quorate)).containsExactly(QuorumCodec.RES_GETQUORATE, 32, CsError.OK.code());
			assertThat(quorate.getInt(24)).as("one of two votes").isZero();

			ByteBuf model = request(QuorumCodec.REQ_MODEL_GETTYPE, 24);
			model.setIntLE(16, 1);
			send(newModel, model);
			assertThat(header(awaitResponse(v1, 1))).containsExactly(QuorumCodec.RES_MODEL_GETTYPE, 32, CsError.OK.code());

			// trackstart with CS_TRACK_CHANGES: the current state at once, then every change
			send(oldModel, trackStart(QuorumCodec.TRACK_CHANGES));
			assertThat(header(awaitResponse(v0, 3))).containsExactly(QuorumCodec.RES_TRACKSTART, 24, CsError.OK.code());
			ByteBuffer current = awaitEvents(v0, 1).get(0);
			assertThat(header(current)).containsExactly(QuorumCodec.RES_NOTIFICATION, 48 + 4, CsError.OK.code());
			assertThat(current.getInt(24)).isZero();
			assertThat(current.getLong(32)).isEqualTo(first.membership().ringId().seq());
			assertThat(current.getInt(40)).isEqualTo(1);
			assertThat(current.getInt(44)).isEqualTo(1);

			send(newModel, trackStart(QuorumCodec.TRACK_CHANGES));
			assertThat(header(awaitResponse(v1, 2))).containsExactly(QuorumCodec.RES_TRACKSTART, 24, CsError.OK.code());
			List<ByteBuffer> initial = awaitEvents(v1, 2);
			assertThat(header(initial.get(0))).containsExactly(QuorumCodec.RES_V1_NODELIST_NOTIFICATION, 64 + 4,
					CsError.OK.code());
			assertThat(initial.get(0).getInt(48)).as("no joined list in the first answer").isZero();
			assertThat(header(initial.get(1))).containsExactly(QuorumCodec.RES_V1_QUORUM_NOTIFICATION, 56 + 4,
					CsError.OK.code());

			send(newModel, trackStart(QuorumCodec.TRACK_CHANGES));
			assertThat(header(awaitResponse(v1, 3))).as("a second trackstart")
				.containsExactly(QuorumCodec.RES_TRACKSTART, 24, CsError.EXIST.code());
			int eventsBefore = awaitEvents(v1, 4).size();

			// node 2 joins: quorate, and model 1 hears the node list (2 joined) before quorum
			nodes.start(2);
			nodes.awaitRing();
			RingId ring = first.membership().ringId();
			List<ByteBuffer> joined = awaitEvents(v1, eventsBefore + 2).subList(eventsBefore, eventsBefore + 2);
			ByteBuffer nodeList = joined.get(0);
			assertThat(header(nodeList)).containsExactly(QuorumCodec.RES_V1_NODELIST_NOTIFICATION, 64 + 4 * 3,
					CsError.OK.code());
			assertThat(nodeList.getInt(24)).isEqualTo((int) ring.rep());
			assertThat(nodeList.getLong(32)).isEqualTo(ring.seq());
			assertThat(List.of(nodeList.getInt(40), nodeList.getInt(48), nodeList.getInt(56))).containsExactly(2, 1, 0);
			assertThat(List.of(nodeList.getInt(60), nodeList.getInt(64), nodeList.getInt(68))).containsExactly(1, 2, 2);
			ByteBuffer quorum = joined.get(1);
			assertThat(header(quorum)).containsExactly(QuorumCodec.RES_V1_QUORUM_NOTIFICATION, 56 + 8, CsError.OK.code());
			assertThat(quorum.getInt(24)).isEqualTo(1);
			assertThat(quorum.getInt(32)).isEqualTo((int) ring.rep());
			assertThat(quorum.getLong(40)).isEqualTo(ring.seq());
			assertThat(List.of(quorum.getInt(48), quorum.getInt(52), quorum.getInt(56))).containsExactly(2, 1, 2);

			ByteBuffer v0Quorum = awaitEvents(v0, 2).get(1);
			assertThat(header(v0Quorum)).containsExactly(QuorumCodec.RES_NOTIFICATION, 48 + 8, CsError.OK.code());
			assertThat(v0Quorum.getInt(24)).isEqualTo(1);
			assertThat(v0.events).as("model 0 never hears node lists").hasSize(2);
			send(oldModel, request(QuorumCodec.REQ_GETQUORATE, 16));
			assertThat(awaitResponse(v0, 4).getInt(24)).isEqualTo(1);

			// node 2 leaves: it is in the left list, and quorum is lost
			int before = v1.events.size();
			nodes.leave(2);
			nodes.awaitRing();
			List<ByteBuffer> left = awaitEvents(v1, before + 2).subList(before, before + 2);
			assertThat(List.of(left.get(0).getInt(40), left.get(0).getInt(48), left.get(0).getInt(56)))
				.containsExactly(1, 0, 1);
			assertThat(List.of(left.get(0).getInt(60), left.get(0).getInt(64))).containsExactly(1, 2);
			assertThat(left.get(1).getInt(24)).isZero();

			// trackstop stops the events; Corosync answers CS_OK even for a handle not tracking
			send(newModel, request(QuorumCodec.REQ_TRACKSTOP, 16));
			assertThat(header(awaitResponse(v1, 4))).containsExactly(QuorumCodec.RES_TRACKSTOP, 24, CsError.OK.code());
			send(newModel, request(QuorumCodec.REQ_TRACKSTOP, 16));
			assertThat(header(awaitResponse(v1, 5))).containsExactly(QuorumCodec.RES_TRACKSTOP, 24, CsError.OK.code());
			assertThat(service.trackers).hasSize(1);
			oldModel.closed();
			assertThat(service.trackers).isEmpty();
		}
	}

	@Test
	void withoutAProviderTheNodeIsQuorateAndReportsNoRing() throws Exception {
		try (TestNodes nodes = new TestNodes(this.directory, 1, false)) {
			CorosyncNode node = nodes.start(1);
			nodes.awaitRing();
			QuorumIpcService service = new QuorumIpcService(node);
			RecordingConnection connection = new RecordingConnection("quorum", 12);
			IpcSession session = service.connected(connection);
			send(session, request(QuorumCodec.REQ_GETTYPE, 16));
			assertThat(awaitResponse(connection, 1).getInt(24)).isZero();
			send(session, request(QuorumCodec.REQ_GETQUORATE, 16));
			assertThat(awaitResponse(connection, 2).getInt(24)).isEqualTo(1);
			send(session, trackStart(QuorumCodec.TRACK_CURRENT));
			assertThat(header(awaitResponse(connection, 3))).containsExactly(QuorumCodec.RES_TRACKSTART, 24,
					CsError.OK.code());
			ByteBuffer current = awaitEvents(connection, 1).get(0);
			assertThat(header(current)).containsExactly(QuorumCodec.RES_NOTIFICATION, 48, CsError.OK.code());
			assertThat(current.getInt(24)).isEqualTo(1);
			assertThat(current.getLong(32)).isZero();
			assertThat(current.getInt(40)).isZero();
			assertThat(service.trackers).as("CS_TRACK_CURRENT alone does not track").isEmpty();
		}
	}

	@Test
	void malformedRequestsAreRefusedAsCorosyncRefusesThem() throws Exception {
		try (TestNodes nodes = new TestNodes(this.directory, 1, true)) {
			CorosyncNode node = nodes.start(1);
			nodes.awaitRing();
			RecordingConnection connection = new RecordingConnection("quorum", 13);
			IpcSession session = new QuorumIpcService(node).connected(connection);
			send(session, request(QuorumCodec.REQUEST_COUNT, 16));
			send(session, request(QuorumCodec.REQ_TRACKSTART, 16));
			ByteBuf model = request(QuorumCodec.REQ_MODEL_GETTYPE, 24);
			model.setIntLE(16, 7);
			send(session, model);
			assertThat(header(awaitResponse(connection, 1))).containsExactly(0, 24, CsError.INVALID_PARAM.code());
			assertThat(header(awaitResponse(connection, 2))).containsExactly(0, 24, CsError.INVALID_PARAM.code());
			ByteBuffer unknownModel = awaitResponse(connection, 3);
			assertThat(header(unknownModel)).containsExactly(QuorumCodec.RES_MODEL_GETTYPE, 32,
					CsError.INVALID_PARAM.code());
			assertThat(sized(unknownModel)).isTrue();
		}
	}

	private static ByteBuf trackStart(int flags) {
		ByteBuf request = request(QuorumCodec.REQ_TRACKSTART, 24);
		request.setIntLE(16, flags);
		return request;
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
