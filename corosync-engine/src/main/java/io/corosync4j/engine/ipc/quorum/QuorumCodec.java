package io.corosync4j.engine.ipc.quorum;

import java.util.List;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * {@code ipc_quorum.h}'s messages, at the offsets gcc gives them on x86-64 (checked with
 * {@code offsetof}): every field marked {@code aligned(8)} starts on an 8-byte boundary, and a list
 * follows its count directly, so a message is its struct's size plus 4 bytes a list entry even where
 * that struct ends in padding.
 */
final class QuorumCodec {

	static final int REQ_GETQUORATE = 0;

	static final int REQ_TRACKSTART = 1;

	static final int REQ_TRACKSTOP = 2;

	static final int REQ_GETTYPE = 3;

	static final int REQ_MODEL_GETTYPE = 4;

	/** Requests past this id are not the service's. */
	static final int REQUEST_COUNT = 5;

	static final int RES_GETQUORATE = 0;

	static final int RES_TRACKSTART = 1;

	static final int RES_TRACKSTOP = 2;

	static final int RES_NOTIFICATION = 3;

	static final int RES_GETTYPE = 4;

	static final int RES_MODEL_GETTYPE = 5;

	static final int RES_V1_QUORUM_NOTIFICATION = 6;

	static final int RES_V1_NODELIST_NOTIFICATION = 7;

	/** {@code req_lib_quorum_trackstart}: 24 bytes, {@code track_flags} at 16. */
	static final int TRACKSTART_SIZE = 24;

	static final int TRACKSTART_FLAGS = 16;

	/** {@code req_lib_quorum_model_gettype}: 24 bytes, {@code model} at 16. */
	static final int MODEL_GETTYPE_SIZE = 24;

	static final int MODEL_GETTYPE_MODEL = 16;

	/** {@code res_lib_quorum_getquorate}, {@code _gettype}, {@code _model_gettype}: one u32 at 24, 32 bytes. */
	static final int VALUE_RESPONSE_SIZE = 32;

	/** {@code res_lib_quorum_notification}: quorate 24, ring_seq 32, entries 40, list 44; 48 bytes. */
	static final int NOTIFICATION_V0_SIZE = 48;

	static final int NOTIFICATION_V0_LIST = 44;

	/** {@code res_lib_quorum_v1_quorum_notification}: quorate 24, ring nodeid 32, seq 40, entries 48, list 52. */
	static final int NOTIFICATION_V1_SIZE = 56;

	static final int NOTIFICATION_V1_LIST = 52;

	/**
	 * {@code res_lib_quorum_v1_nodelist_notification}: ring nodeid 24, seq 32, member, joined and left
	 * counts at 40, 48, 56, then the three lists one after the other from 60; 64 bytes.
	 */
	static final int NODELIST_SIZE = 64;

	static final int NODELIST_LIST = 60;

	/** {@code LIB_QUORUM_MODEL_V0}, {@code LIB_QUORUM_MODEL_V1}. */
	static final int MODEL_V0 = 0;

	static final int MODEL_V1 = 1;

	/** {@code CS_TRACK_CURRENT}, {@code CS_TRACK_CHANGES}, {@code CS_TRACK_CHANGES_ONLY}. */
	static final int TRACK_CURRENT = 1;

	static final int TRACK_CHANGES = 2;

	static final int TRACK_CHANGES_ONLY = 4;

	private QuorumCodec() {
	}

	/** A response carrying one u32 after the header. */
	static ByteBuf value(ByteBufAllocator alloc, int id, CsError error, long value) {
		ByteBuf response = IpcMessages.response(alloc, id, VALUE_RESPONSE_SIZE, error);
		response.writeIntLE((int) value);
		return IpcMessages.finish(response);
	}

	/** The model 0 quorum notification. */
	static ByteBuf notificationV0(ByteBufAllocator alloc, QuorumView view) {
		List<Long> members = view.members();
		ByteBuf event = IpcMessages.response(alloc, RES_NOTIFICATION, NOTIFICATION_V0_SIZE + 4 * members.size(),
				CsError.OK);
		event.setIntLE(24, view.quorate() ? 1 : 0);
		event.setLongLE(32, view.ringSeq());
		event.setIntLE(40, members.size());
		event.writerIndex(NOTIFICATION_V0_LIST);
		members.forEach((nodeid) -> event.writeIntLE(nodeid.intValue()));
		return IpcMessages.finish(event);
	}

	/** The model 1 quorum notification, with the whole ring id. */
	static ByteBuf notificationV1(ByteBufAllocator alloc, QuorumView view) {
		List<Long> members = view.members();
		ByteBuf event = IpcMessages.response(alloc, RES_V1_QUORUM_NOTIFICATION,
				NOTIFICATION_V1_SIZE + 4 * members.size(), CsError.OK);
		event.setIntLE(24, view.quorate() ? 1 : 0);
		event.setIntLE(32, (int) view.ringNodeid());
		event.setLongLE(40, view.ringSeq());
		event.setIntLE(48, members.size());
		event.writerIndex(NOTIFICATION_V1_LIST);
		members.forEach((nodeid) -> event.writeIntLE(nodeid.intValue()));
		return IpcMessages.finish(event);
	}

	/**
	 * The model 1 node-list notification; without {@code withChanges} (the answer to a trackstart) the
	 * joined and left lists are left out and their counts are 0.
	 */
	static ByteBuf nodeList(ByteBufAllocator alloc, NodeListView view, boolean withChanges) {
		List<Long> joined = withChanges ? view.joined() : List.of();
		List<Long> left = withChanges ? view.left() : List.of();
		int entries = view.members().size() + joined.size() + left.size();
		ByteBuf event = IpcMessages.response(alloc, RES_V1_NODELIST_NOTIFICATION, NODELIST_SIZE + 4 * entries,
				CsError.OK);
		event.setIntLE(24, (int) view.ringNodeid());
		event.setLongLE(32, view.ringSeq());
		event.setIntLE(40, view.members().size());
		event.setIntLE(48, joined.size());
		event.setIntLE(56, left.size());
		event.writerIndex(NODELIST_LIST);
		for (List<Long> list : List.of(view.members(), joined, left)) {
			list.forEach((nodeid) -> event.writeIntLE(nodeid.intValue()));
		}
		return IpcMessages.finish(event);
	}

	/**
	 * What the quorum notification reports: the provider's last verdict, its ring and members.
	 *
	 * @param quorate whether the partition is quorate
	 * @param ringNodeid the ring's representative, 0 before a provider reported
	 * @param ringSeq the ring's sequence number
	 * @param members the ring's members, ascending
	 */
	record QuorumView(boolean quorate, long ringNodeid, long ringSeq, List<Long> members) {

		QuorumView {
			members = List.copyOf(members);
		}

	}

	/**
	 * What the node-list notification reports of a synchronized ring.
	 *
	 * @param ringNodeid the ring's representative
	 * @param ringSeq its sequence number
	 * @param members its members
	 * @param joined the members that were not in the previous synchronized ring
	 * @param left the previous ring's members no longer here
	 */
	record NodeListView(long ringNodeid, long ringSeq, List<Long> members, List<Long> joined, List<Long> left) {

		NodeListView {
			members = List.copyOf(members);
			joined = List.copyOf(joined);
			left = List.copyOf(left);
		}

	}

}
