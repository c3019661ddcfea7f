package io.corosync4j.engine.ipc.votequorum;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcMessages;
import io.corosync4j.engine.service.votequorum.NodeFlags;
import io.corosync4j.engine.service.votequorum.NodeState;
import io.corosync4j.engine.service.votequorum.QuorumFeature;
import io.corosync4j.engine.service.votequorum.QuorumNode;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.corosync4j.engine.totem.wire.RingId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * {@code ipc_votequorum.h}'s messages, at the offsets gcc gives them on x86-64 (checked with
 * {@code offsetof}).
 */
final class VotequorumCodec {

	static final int REQ_GETINFO = 0;

	static final int REQ_SETEXPECTED = 1;

	static final int REQ_SETVOTES = 2;

	static final int REQ_TRACKSTART = 3;

	static final int REQ_TRACKSTOP = 4;

	static final int REQ_QDEVICE_REGISTER = 5;

	static final int REQ_QDEVICE_UNREGISTER = 6;

	static final int REQ_QDEVICE_UPDATE = 7;

	static final int REQ_QDEVICE_POLL = 8;

	static final int REQ_QDEVICE_MASTER_WINS = 9;

	/**
	 * The size of each request's struct, by id: getinfo, setexpected and setvotes 24 (a u32 at 16, setvotes'
	 * nodeid at 20), trackstart 32 (context u64 at 16, flags at 24), trackstop 16, the quorum device's
	 * register and unregister 272 (a 255-byte name at 16), update 528, poll 296 and master_wins 280.
	 */
	static final int[] REQUEST_SIZES = { 24, 24, 24, 32, 16, 272, 272, 528, 296, 280 };

	static final int RES_STATUS = 0;

	static final int RES_GETINFO = 1;

	static final int RES_QUORUM_NOTIFICATION = 3;

	static final int RES_EXPECTEDVOTES_NOTIFICATION = 4;

	static final int RES_NODELIST_NOTIFICATION = 5;

	/** {@code req_lib_votequorum_getinfo.nodeid}, {@code _setexpected.expected_votes}, {@code _setvotes.votes}. */
	static final int REQUEST_VALUE = 16;

	static final int SETVOTES_NODEID = 20;

	static final int TRACKSTART_CONTEXT = 16;

	static final int TRACKSTART_FLAGS = 24;

	/**
	 * {@code res_lib_votequorum_getinfo}: nodeid, state, votes, expected_votes, highest_expected,
	 * total_votes, quorum, flags and qdevice_votes as u32 from 24, then a 255-byte qdevice_name at 60; 320
	 * bytes.
	 */
	static final int GETINFO_SIZE = 320;

	static final int GETINFO_QDEVICE_NAME = 60;

	/** {@code VOTEQUORUM_QDEVICE_MAX_NAME_LEN}, the terminating zero included. */
	static final int QDEVICE_NAME_LENGTH = 255;

	/** {@code res_lib_votequorum_quorum_notification}: quorate 24, context 32, entries 40, (nodeid, state) pairs from 48. */
	static final int QUORUM_NOTIFICATION_SIZE = 48;

	/** {@code res_lib_votequorum_nodelist_notification}: context 24, ring nodeid 32, seq 40, entries 48, list 56. */
	static final int NODELIST_NOTIFICATION_SIZE = 56;

	/** {@code res_lib_votequorum_expectedvotes_notification}: context 24, expected_votes 32; 40 bytes. */
	static final int EXPECTEDVOTES_NOTIFICATION_SIZE = 40;

	static final int TRACK_CURRENT = 1;

	static final int TRACK_CHANGES = 2;

	static final int TRACK_CHANGES_ONLY = 4;

	/** {@code VOTEQUORUM_INFO_*}. */
	static final int INFO_TWONODE = 1;

	static final int INFO_QUORATE = 2;

	static final int INFO_WAIT_FOR_ALL = 4;

	static final int INFO_LAST_MAN_STANDING = 8;

	static final int INFO_AUTO_TIE_BREAKER = 16;

	static final int INFO_ALLOW_DOWNSCALE = 32;

	static final int INFO_QDEVICE_REGISTERED = 64;

	static final int INFO_QDEVICE_ALIVE = 128;

	static final int INFO_QDEVICE_CAST_VOTE = 256;

	static final int INFO_QDEVICE_MASTER_WINS = 512;

	private VotequorumCodec() {
	}

	static ByteBuf status(ByteBufAllocator alloc, CsError error) {
		return IpcMessages.header(alloc, RES_STATUS, error);
	}

	/** {@code votequorum_getinfo}'s answer about {@code node} in {@code state}. */
	static ByteBuf getinfo(ByteBufAllocator alloc, QuorumState state, QuorumNode node) {
		long totalVotes = 0;
		for (QuorumNode each : state.nodes()) {
			if (each.state() == NodeState.MEMBER) {
				totalVotes += each.votes();
			}
		}
		if ((node.flags() & NodeFlags.QDEVICE_CAST_VOTE) != 0) {
			totalVotes += state.qdeviceVotes();
		}
		ByteBuf response = IpcMessages.response(alloc, RES_GETINFO, GETINFO_SIZE, CsError.OK);
		response.writeIntLE((int) node.nodeid());
		response.writeIntLE(node.state().code());
		response.writeIntLE((int) node.votes());
		response.writeIntLE((int) node.expectedVotes());
		response.writeIntLE((int) state.highestExpected());
		response.writeIntLE((int) totalVotes);
		response.writeIntLE((int) state.quorum());
		response.writeIntLE(infoFlags(state, node));
		response.writeIntLE((int) state.qdeviceVotes());
		byte[] name = state.qdeviceName().getBytes(StandardCharsets.UTF_8);
		response.writeBytes(name, 0, Math.min(name.length, QDEVICE_NAME_LENGTH - 1));
		return IpcMessages.finish(response);
	}

	static int infoFlags(QuorumState state, QuorumNode node) {
		int flags = 0;
		if (state.features().contains(QuorumFeature.TWO_NODE)) {
			flags |= INFO_TWONODE;
		}
		if (state.quorate()) {
			flags |= INFO_QUORATE;
		}
		if (state.features().contains(QuorumFeature.WAIT_FOR_ALL)) {
			flags |= INFO_WAIT_FOR_ALL;
		}
		if (state.features().contains(QuorumFeature.LAST_MAN_STANDING)) {
			flags |= INFO_LAST_MAN_STANDING;
		}
		if (state.features().contains(QuorumFeature.AUTO_TIE_BREAKER)) {
			flags |= INFO_AUTO_TIE_BREAKER;
		}
		if (state.features().contains(QuorumFeature.ALLOW_DOWNSCALE)) {
			flags |= INFO_ALLOW_DOWNSCALE;
		}
		int nodeFlags = node.flags();
		if ((nodeFlags & NodeFlags.QDEVICE_REGISTERED) != 0) {
			flags |= INFO_QDEVICE_REGISTERED;
		}
		if ((nodeFlags & NodeFlags.QDEVICE_ALIVE) != 0) {
			flags |= INFO_QDEVICE_ALIVE;
		}
		if ((nodeFlags & NodeFlags.QDEVICE_CAST_VOTE) != 0) {
			flags |= INFO_QDEVICE_CAST_VOTE;
		}
		if ((nodeFlags & NodeFlags.QDEVICE_MASTER_WINS) != 0) {
			flags |= INFO_QDEVICE_MASTER_WINS;
		}
		return flags;
	}

	/** Every node votequorum knows, in Corosync's list order, with its state, and whether the partition is quorate. */
	static ByteBuf quorumNotification(ByteBufAllocator alloc, QuorumState state, long context) {
		List<QuorumNode> nodes = state.listOrder().stream().map(state::nodeOrNull).filter(Objects::nonNull).toList();
		ByteBuf event = IpcMessages.response(alloc, RES_QUORUM_NOTIFICATION, QUORUM_NOTIFICATION_SIZE + 8 * nodes.size(),
				CsError.OK);
		event.writeIntLE(state.quorate() ? 1 : 0);
		event.writeZero(4);
		event.writeLongLE(context);
		event.writeIntLE(nodes.size());
		event.writeZero(4);
		for (QuorumNode node : nodes) {
			event.writeIntLE((int) node.nodeid());
			event.writeIntLE(node.state().code());
		}
		return IpcMessages.finish(event);
	}

	/** The quorum members of the ring votequorum last synchronized. */
	static ByteBuf nodeListNotification(ByteBufAllocator alloc, QuorumState state, long context) {
		List<Long> members = state.members();
		RingId ring = state.ringId();
		ByteBuf event = IpcMessages.response(alloc, RES_NODELIST_NOTIFICATION,
				NODELIST_NOTIFICATION_SIZE + 4 * members.size(), CsError.OK);
		event.writeLongLE(context);
		event.writeIntLE((ring != null) ? (int) ring.rep() : 0);
		event.writeZero(4);
		event.writeLongLE((ring != null) ? ring.seq() : 0);
		event.writeIntLE(members.size());
		event.writeZero(4);
		members.forEach((nodeid) -> event.writeIntLE(nodeid.intValue()));
		return IpcMessages.finish(event);
	}

	static ByteBuf expectedVotesNotification(ByteBufAllocator alloc, long expectedVotes, long context) {
		ByteBuf event = IpcMessages.response(alloc, RES_EXPECTEDVOTES_NOTIFICATION, EXPECTEDVOTES_NOTIFICATION_SIZE,
				CsError.OK);
		event.writeLongLE(context);
		event.writeIntLE((int) expectedVotes);
		return IpcMessages.finish(event);
	}

}
