package io.corosync4j.engine.ipc.cfg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.ipc.RecordingConnection;
import io.corosync4j.engine.ipc.quorum.TestNodes;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.ipc.quorum.TestNodes.BOUND;
import static io.corosync4j.engine.ipc.quorum.TestNodes.awaitEvents;
import static io.corosync4j.engine.ipc.quorum.TestNodes.awaitResponse;
import static io.corosync4j.engine.ipc.quorum.TestNodes.header;
import static io.corosync4j.engine.ipc.quorum.TestNodes.request;
import static org.assertj.core.api.Assertions.assertThat;

/** The cfg IPC service on a two-node udpu ring: libcfg's requests, kill and the shutdown conversation. */
class CfgIpcServiceTests {

	private static final int OK = CsError.OK.code();

	@TempDir
	Path directory;

	@Test
	void reportsTheNodeItsLinksAndItsPeersAsTotemudpuDoes() throws Exception {
		try (TestNodes nodes = new TestNodes(this.directory, 2, false)) {
			CorosyncNode first = nodes.start(1);
			nodes.start(2);
			nodes.awaitRing();
			RecordingConnection connection = new RecordingConnection("cfg", 30);
			IpcSession session = new CfgIpcService(first).connected(connection);
			int responses = 0;

			send(session, request(CfgCodec.REQ_LOCAL_GET, 16));
			ByteBuffer local = awaitResponse(connection, ++responses);
			assertThat(header(local)).containsExactly(CfgCodec.RES_LOCAL_GET, 32, OK);
			assertThat(local.getInt(24)).isEqualTo(1);

			send(session, nodeStatus(2, 1));
			ByteBuffer peer = awaitResponse(connection, ++responses);
			assertThat(header(peer)).containsExactly(CfgCodec.RES_NODESTATUSGET, 4200, OK);
			assertThat(peer.getInt(24)).as("version").isEqualTo(1);
			assertThat(peer.getInt(28)).as("nodeid").isEqualTo(2);
			assertThat(peer.get(32)).as("reachable").isEqualTo((byte) 1);
			int link0 = 24 + 16;
			assertThat(new byte[] { peer.get(link0), peer.get(link0 + 1), peer.get(link0 + 2) })
				.containsExactly(1, 1, 0);
			assertThat(peer.getInt(link0 + 4)).as("Totem's net_mtu").isEqualTo(1500 - 90);
			assertThat(string(peer, link0 + 8)).as("udpu reports the peer's address").isEqualTo("127.0.0.2");
			assertThat(string(peer, link0 + 264)).isEmpty();
			assertThat(peer.get(link0 + 520)).as("link 1").isZero();

			send(session, nodeStatus(9, 1));
			ByteBuffer stranger = awaitResponse(connection, ++responses);
			assertThat(header(stranger)).containsExactly(CfgCodec.RES_NODESTATUSGET, 4200, OK);
			assertThat(stranger.getInt(28)).isEqualTo(9);
			assertThat(stranger.get(32)).isZero();
			assertThat(stranger.get(link0)).isZero();
			send(session, nodeStatus(2, 2));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(CfgCodec.RES_NODESTATUSGET, 32,
					CsError.NOT_SUPPORTED.code());

			send(session, value(CfgCodec.REQ_GET_NODE_ADDRS, 0));
			ByteBuffer addresses = awaitResponse(connection, ++responses);
			assertThat(header(addresses)).containsExactly(CfgCodec.RES_GET_NODE_ADDRS, 48, OK);
			assertThat(addresses.getInt(24)).as("AF_INET").isEqualTo(2);
			assertThat(addresses.getInt(28)).isEqualTo(1);
			assertThat(new byte[] { addresses.get(32), addresses.get(33), addresses.get(34), addresses.get(35) })
				.containsExactly(127, 0, 0, 1);
			send(session, value(CfgCodec.REQ_GET_NODE_ADDRS, 9));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(CfgCodec.RES_GET_NODE_ADDRS, 32,
					CsError.NOT_EXIST.code());

			send(session, request(CfgCodec.REQ_RINGSTATUSGET, 16));
			ByteBuffer rings = awaitResponse(connection, ++responses);
			assertThat(header(rings)).containsExactly(CfgCodec.RES_RINGSTATUSGET, 10272, OK);
			assertThat(rings.getInt(24)).isEqualTo(1);
			assertThat(string(rings, 32)).isEqualTo("0 127.0.0.1");
			assertThat(string(rings, 2080)).isEqualTo("OK");

			send(session, request(CfgCodec.REQ_RINGREENABLE, 16));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(CfgCodec.RES_RINGREENABLE, 24,
					CsError.NOT_SUPPORTED.code());
			send(session, request(CfgCodec.REQ_REOPEN_LOG_FILES, 16));
			assertThat(header(awaitResponse(connection, ++responses)))
				.containsExactly(CfgCodec.RES_REOPEN_LOG_FILES, 24, CsError.NOT_SUPPORTED.code());
			send(session, killNode(9));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(CfgCodec.RES_KILLNODE, 24,
					CsError.NOT_EXIST.code());
			send(session, value(CfgCodec.REQ_REPLYTOSHUTDOWN, 1));
			assertThat(header(awaitResponse(connection, ++responses))).as("a reply nobody asked for")
				.containsExactly(CfgCodec.RES_REPLYTOSHUTDOWN, 24, CsError.ACCESS.code());
			send(session, request(CfgCodec.REQUEST_SIZES.length, 16));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(0, 24,
					CsError.INVALID_PARAM.code());
			send(session, request(CfgCodec.REQ_KILLNODE, 24));
			assertThat(header(awaitResponse(connection, ++responses))).containsExactly(0, 24,
					CsError.INVALID_PARAM.code());
		}
	}

	@Test
	void aKilledPeerLeavesTheRing() throws Exception {
		try (TestNodes nodes = new TestNodes(this.directory, 2, false)) {
			CorosyncNode first = nodes.start(1);
			CorosyncNode second = nodes.start(2);
			nodes.awaitRing();
			RecordingConnection connection = new RecordingConnection("cfg", 31);
			IpcSession session = new CfgIpcService(first).connected(connection);
			send(session, killNode(2));
			assertThat(header(awaitResponse(connection, 1))).containsExactly(CfgCodec.RES_KILLNODE, 24, OK);
			Await.until("node 2 killed", BOUND, second::isClosed);
			assertThat(second.shutdown().exitStatus()).isEqualTo(255);
		}
	}

	@Test
	void trackingClientsDecideAShutdown() throws Exception {
		try (TestNodes nodes = new TestNodes(this.directory, 1, false)) {
			CorosyncNode node = nodes.start(1);
			nodes.awaitRing();
			CfgIpcService service = new CfgIpcService(node);
			RecordingConnection trackerConnection = new RecordingConnection("cfg", 32);
			IpcSession tracker = service.connected(trackerConnection);
			RecordingConnection askerConnection = new RecordingConnection("cfg", 33);
			IpcSession asker = service.connected(askerConnection);
			send(tracker, request(CfgCodec.REQ_TRACKSTART, 24));
			assertThat(header(awaitResponse(trackerConnection, 1))).containsExactly(CfgCodec.RES_STATETRACKSTART, 24,
					OK);

			// the tracker says no: the asker hears CS_ERR_BUSY
			send(asker, value(CfgCodec.REQ_TRYSHUTDOWN, 0));
			ByteBuffer asked = awaitEvents(trackerConnection, 1).get(0);
			assertThat(header(asked)).containsExactly(CfgCodec.RES_TESTSHUTDOWN, 32, OK);
			assertThat(asked.getInt(24)).as("CFG_SHUTDOWN_FLAG_REQUEST").isZero();
			assertThat(askerConnection.responses).as("no answer before the tracker's").isEmpty();
			send(tracker, value(CfgCodec.REQ_REPLYTOSHUTDOWN, 0));
			assertThat(header(awaitResponse(trackerConnection, 2))).containsExactly(CfgCodec.RES_REPLYTOSHUTDOWN, 24,
					OK);
			assertThat(header(awaitResponse(askerConnection, 1))).containsExactly(CfgCodec.RES_TRYSHUTDOWN, 24,
					CsError.BUSY.code());

			// a client that starts tracking while a request waits is asked too, and its no counts
			RecordingConnection lateConnection = new RecordingConnection("cfg", 35);
			IpcSession late = service.connected(lateConnection);
			send(asker, value(CfgCodec.REQ_TRYSHUTDOWN, 0));
			awaitEvents(trackerConnection, 2);
			send(late, request(CfgCodec.REQ_TRACKSTART, 24));
			assertThat(header(awaitEvents(lateConnection, 1).get(0))).containsExactly(CfgCodec.RES_TESTSHUTDOWN, 32, OK);
			send(tracker, value(CfgCodec.REQ_REPLYTOSHUTDOWN, 1));
			send(late, value(CfgCodec.REQ_REPLYTOSHUTDOWN, 0));
			assertThat(header(awaitResponse(askerConnection, 2))).containsExactly(CfgCodec.RES_TRYSHUTDOWN, 24,
					CsError.BUSY.code());
			send(late, request(CfgCodec.REQ_TRACKSTOP, 16));
			assertThat(header(awaitResponse(lateConnection, 3))).containsExactly(CfgCodec.RES_STATETRACKSTOP, 24, OK);

			// no answer within cfg.shutdown_timeout: CS_ERR_BUSY, and the tracker hears CS_ERR_TIMEOUT
			node.cmap().setNumber("cfg.shutdown_timeout", ValueType.UINT32, 200);
			send(asker, value(CfgCodec.REQ_TRYSHUTDOWN, 0));
			assertThat(header(awaitResponse(askerConnection, 3))).containsExactly(CfgCodec.RES_TRYSHUTDOWN, 24,
					CsError.BUSY.code());
			ByteBuffer timedOut = awaitEvents(trackerConnection, 4).get(3);
			assertThat(header(timedOut)).containsExactly(CfgCodec.RES_TESTSHUTDOWN, 32, CsError.TIMEOUT.code());

			// an asker that goes before the answer withdraws its request: the next one is not CS_ERR_EXIST
			node.cmap().setNumber("cfg.shutdown_timeout", ValueType.UINT32, 30_000);
			RecordingConnection goneConnection = new RecordingConnection("cfg", 34);
			IpcSession gone = service.connected(goneConnection);
			send(gone, value(CfgCodec.REQ_TRYSHUTDOWN, 0));
			awaitEvents(trackerConnection, 5);
			gone.closed();
			send(tracker, value(CfgCodec.REQ_REPLYTOSHUTDOWN, 1));
			assertThat(header(awaitResponse(trackerConnection, 4))).containsExactly(CfgCodec.RES_REPLYTOSHUTDOWN, 24,
					OK);

			// the tracker agrees: the asker hears CS_OK and the node stops as the daemon exits
			send(asker, value(CfgCodec.REQ_TRYSHUTDOWN, 0));
			awaitEvents(trackerConnection, 6);
			assertThat(node.isClosed()).as("the withdrawn request shut nothing down").isFalse();
			send(tracker, value(CfgCodec.REQ_REPLYTOSHUTDOWN, 1));
			assertThat(header(awaitResponse(askerConnection, 4))).containsExactly(CfgCodec.RES_TRYSHUTDOWN, 24, OK);
			Await.until("the node shut down", BOUND, node::isClosed);
			assertThat(node.shutdown().exitStatus()).isZero();
			assertThat(goneConnection.responses).isEmpty();
		}
	}

	private static ByteBuf value(int id, int value) {
		ByteBuf request = request(id, 24);
		request.setIntLE(16, value);
		return request;
	}

	private static ByteBuf nodeStatus(int nodeid, int version) {
		ByteBuf request = request(CfgCodec.REQ_NODESTATUSGET, 32);
		request.setIntLE(16, nodeid);
		request.setIntLE(24, version);
		return request;
	}

	private static ByteBuf killNode(int nodeid) {
		ByteBuf request = request(CfgCodec.REQ_KILLNODE, 288);
		request.setIntLE(16, nodeid);
		byte[] reason = "Killed by a test".getBytes(StandardCharsets.UTF_8);
		request.setShortLE(24, reason.length);
		request.setBytes(26, reason);
		return request;
	}

	private static String string(ByteBuffer message, int at) {
		int end = at;
		while (message.get(end) != 0) {
			end++;
		}
		return new String(message.array(), at, end - at, StandardCharsets.US_ASCII);
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
