package io.corosync4j.engine.ipc.cpg;

import java.util.List;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcMessages;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgTotemConfiguration;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * libcpg's messages ({@code include/corosync/ipc_cpg.h}), as gcc lays them out on x86-64: every field
 * of the structures is aligned to 8 bytes, so offsets are multiples of 8 except inside
 * {@code mar_cpg_iteration_description_t} and the totem member list. The sizes and offsets below were
 * printed by a C program from Corosync 3.1.7's headers.
 */
final class CpgIpcCodec {

	// request ids (enum req_cpg_types)

	static final int REQ_JOIN = 0;

	static final int REQ_LEAVE = 1;

	static final int REQ_MCAST = 2;

	static final int REQ_MEMBERSHIP = 3;

	static final int REQ_LOCAL_GET = 4;

	static final int REQ_ITERATION_INITIALIZE = 5;

	static final int REQ_ITERATION_NEXT = 6;

	static final int REQ_ITERATION_FINALIZE = 7;

	static final int REQ_FINALIZE = 8;

	static final int REQ_ZC_ALLOC = 9;

	static final int REQ_ZC_FREE = 10;

	static final int REQ_ZC_EXECUTE = 11;

	static final int REQ_PARTIAL_MCAST = 12;

	/** The daemon's {@code lib_engine_count}: ids from here on are refused. */
	static final int REQUEST_COUNT = 13;

	// response and event ids (enum res_cpg_types)

	static final int RES_JOIN = 0;

	static final int RES_LEAVE = 1;

	static final int RES_MCAST = 2;

	static final int RES_MEMBERSHIP = 3;

	static final int RES_CONFCHG_CALLBACK = 4;

	static final int RES_DELIVER_CALLBACK = 5;

	static final int RES_LOCAL_GET = 7;

	static final int RES_ITERATION_INITIALIZE = 9;

	static final int RES_ITERATION_NEXT = 10;

	static final int RES_ITERATION_FINALIZE = 11;

	static final int RES_FINALIZE = 12;

	static final int RES_TOTEM_CONFCHG_CALLBACK = 13;

	static final int RES_PARTIAL_DELIVER_CALLBACK = 17;

	static final int RES_PARTIAL_SEND = 18;

	/** The zero-copy calls' answers carry id 0: the daemon leaves it so and libcpg does not look. */
	static final int RES_ZC = 0;

	// mar_cpg_name_t: u32 length, then 128 bytes at +8; 136 in all

	static final int NAME_SIZE = 136;

	static final int NAME_VALUE = 8;

	static final int NAME_MAX = 128;

	// mar_cpg_address_t: nodeid, pid, reason at 0, 8, 16; 24 in all

	static final int ADDRESS_SIZE = 24;

	// struct req_lib_cpg_join (168): group_name 16, pid 152, flags 160

	static final int JOIN_SIZE = 168;

	static final int JOIN_GROUP = 16;

	static final int JOIN_PID = 152;

	static final int JOIN_FLAGS = 160;

	/** {@code CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF}. */
	static final int FLAG_INITIAL_TOTEM_CONF = 1;

	// struct req_lib_cpg_leave (160): group_name 16, pid 152

	static final int LEAVE_SIZE = 160;

	// struct req_lib_cpg_mcast (40, starts with a 24-byte response header): guarantee 24, msglen 32, message 40

	static final int MCAST_HEADER = 40;

	static final int MCAST_MSGLEN = 32;

	// struct req_lib_cpg_partial_mcast (56): guarantee 24, msglen 32, fraglen 40, type 48, message 56

	static final int PARTIAL_HEADER = 56;

	static final int PARTIAL_MSGLEN = 32;

	static final int PARTIAL_FRAGLEN = 40;

	static final int PARTIAL_TYPE = 48;

	/** {@code LIBCPG_PARTIAL_FIRST}, {@code _CONTINUED}, {@code _LAST}. */
	static final int PARTIAL_FIRST = 1;

	static final int PARTIAL_CONTINUED = 2;

	static final int PARTIAL_LAST = 3;

	// struct req_lib_cpg_membership_get (152): group_name 16

	static final int MEMBERSHIP_REQUEST_SIZE = 152;

	/** {@code PROCESSOR_COUNT_MAX}: the membership answer always has room for this many. */
	static final int MEMBERSHIP_MAX = 384;

	// struct res_lib_cpg_membership_get (9248): member_count 24, member_list 32

	static final int MEMBERSHIP_SIZE = 9248;

	static final int MEMBERSHIP_COUNT = 24;

	static final int MEMBERSHIP_LIST = 32;

	// struct res_lib_cpg_local_get (32): local_nodeid 24

	static final int LOCAL_GET_SIZE = 32;

	// struct req_lib_cpg_iterationinitialize (160): group_name 16, iteration_type 152

	static final int ITERATION_INITIALIZE_SIZE = 160;

	static final int ITERATION_TYPE = 152;

	/** {@code CPG_ITERATION_NAME_ONLY}, {@code _ONE_GROUP} ({@code _ALL} is any other). */
	static final int ITERATION_NAME_ONLY = 1;

	static final int ITERATION_ONE_GROUP = 2;

	// struct res_lib_cpg_iterationinitialize (32): iteration_handle 24

	static final int ITERATION_HANDLE_RESPONSE_SIZE = 32;

	// struct req_lib_cpg_iterationnext and _iterationfinalize (24): iteration_handle 16

	static final int ITERATION_REQUEST_SIZE = 24;

	static final int ITERATION_HANDLE = 16;

	// struct res_lib_cpg_iterationnext (168): description 24 = group 24, nodeid 160, pid 164

	static final int ITERATION_NEXT_SIZE = 168;

	// mar_req_coroipcc_zc_alloc_t (152): map_size 16, path_to_file 24 (128 bytes)

	static final int ZC_ALLOC_SIZE = 152;

	static final int ZC_MAP_SIZE = 16;

	static final int ZC_PATH = 24;

	static final int ZC_PATH_MAX = 128;

	// mar_req_coroipcc_zc_free_t (32): map_size 16, server_address 24

	static final int ZC_FREE_SIZE = 32;

	static final int ZC_FREE_ADDRESS = 24;

	// mar_req_coroipcc_zc_execute_t (24): server_address 16

	static final int ZC_EXECUTE_SIZE = 24;

	static final int ZC_EXECUTE_ADDRESS = 16;

	/**
	 * The mapped file starts with {@code struct coroipcs_zc_header} (16: map_size 0, server_address 8);
	 * the client writes a {@code req_lib_cpg_mcast} after it.
	 */
	static final int ZC_HEADER = 16;

	static final int ZC_SERVER_ADDRESS = 8;

	// struct res_lib_cpg_deliver_callback (184): group_name 24, msglen 160, nodeid 168, pid 176, message 184

	static final int DELIVER_HEADER = 184;

	// struct res_lib_cpg_partial_deliver_callback (200): group_name 24, msglen 160, fraglen 168, nodeid 176,
	// pid 184, type 192, message 200

	static final int PARTIAL_DELIVER_HEADER = 200;

	// struct res_lib_cpg_confchg_callback (184): group_name 24, member_list_entries 160,
	// joined_list_entries 168, left_list_entries 176; members, then left, then joined from 184

	static final int CONFCHG_HEADER = 184;

	// struct res_lib_cpg_totem_confchg_callback (48): ring_id 24 (nodeid 24, seq 32), member_list_entries 40,
	// member_list 44; the daemon sizes it 48 + 4 per member, so 4 bytes of padding follow the list

	static final int TOTEM_CONFCHG_SIZE = 48;

	static final int TOTEM_MEMBERS = 44;

	/**
	 * libcpg's {@code max_msg_size} ({@code IPC_REQUEST_SIZE - 1024}): a larger message reaches a client in
	 * pieces of at most this size ({@code MESSAGE_RES_CPG_PARTIAL_DELIVER_CALLBACK}), which it puts together.
	 */
	static final int MAX_FRAGMENT = 1024 * 1024 - 1024;

	private CpgIpcCodec() {
	}

	/** The group name at {@code offset} of a request, or null when its length is out of range. */
	static @Nullable CpgName readName(ByteBuf request, int offset) {
		int length = request.getIntLE(request.readerIndex() + offset);
		if (length < 0 || length > NAME_MAX) {
			return null;
		}
		byte[] value = new byte[length];
		request.getBytes(request.readerIndex() + offset + NAME_VALUE, value);
		return CpgName.of(value);
	}

	/** Writes a {@code mar_cpg_name_t} at {@code offset}; the buffer is zero there already. */
	static void writeName(ByteBuf out, int offset, CpgName name) {
		byte[] value = name.bytes();
		out.setIntLE(offset, value.length);
		out.setBytes(offset + NAME_VALUE, value);
	}

	static void writeAddress(ByteBuf out, int offset, CpgAddress address) {
		out.setIntLE(offset, (int) address.nodeid());
		out.setIntLE(offset + 8, (int) address.pid());
		out.setIntLE(offset + 16, address.reason().code());
	}

	static ByteBuf deliver(ByteBufAllocator alloc, CpgName group, long nodeid, long pid, byte[] message) {
		ByteBuf out = IpcMessages.response(alloc, RES_DELIVER_CALLBACK, DELIVER_HEADER + message.length, CsError.OK);
		writeName(out, 24, group);
		out.setIntLE(160, message.length);
		out.setIntLE(168, (int) nodeid);
		out.setIntLE(176, (int) pid);
		out.setBytes(DELIVER_HEADER, message);
		return IpcMessages.finish(out);
	}

	static ByteBuf partialDeliver(ByteBufAllocator alloc, CpgName group, long nodeid, long pid, byte[] message,
			int from, int length, int type) {
		ByteBuf out = IpcMessages.response(alloc, RES_PARTIAL_DELIVER_CALLBACK, PARTIAL_DELIVER_HEADER + length,
				CsError.OK);
		writeName(out, 24, group);
		out.setIntLE(160, message.length);
		out.setIntLE(168, length);
		out.setIntLE(176, (int) nodeid);
		out.setIntLE(184, (int) pid);
		out.setIntLE(192, type);
		out.setBytes(PARTIAL_DELIVER_HEADER, message, from, length);
		return IpcMessages.finish(out);
	}

	static ByteBuf confchg(ByteBufAllocator alloc, CpgName group, List<CpgAddress> members, List<CpgAddress> left,
			List<CpgAddress> joined) {
		int entries = members.size() + left.size() + joined.size();
		ByteBuf out = IpcMessages.response(alloc, RES_CONFCHG_CALLBACK, CONFCHG_HEADER + ADDRESS_SIZE * entries,
				CsError.OK);
		writeName(out, 24, group);
		out.setIntLE(160, members.size());
		out.setIntLE(168, joined.size());
		out.setIntLE(176, left.size());
		int at = CONFCHG_HEADER;
		for (List<CpgAddress> list : List.of(members, left, joined)) {
			for (CpgAddress address : list) {
				writeAddress(out, at, address);
				at += ADDRESS_SIZE;
			}
		}
		return IpcMessages.finish(out);
	}

	static ByteBuf totemConfchg(ByteBufAllocator alloc, CpgTotemConfiguration configuration) {
		List<Long> members = configuration.members();
		ByteBuf out = IpcMessages.response(alloc, RES_TOTEM_CONFCHG_CALLBACK, TOTEM_CONFCHG_SIZE + 4 * members.size(),
				CsError.OK);
		out.setIntLE(24, (int) configuration.ringId().rep());
		out.setLongLE(32, configuration.ringId().seq());
		out.setIntLE(40, members.size());
		for (int i = 0; i < members.size(); i++) {
			out.setIntLE(TOTEM_MEMBERS + 4 * i, (int) (long) members.get(i));
		}
		return IpcMessages.finish(out);
	}

	static ByteBuf membership(ByteBufAllocator alloc, List<CpgAddress> members) {
		ByteBuf out = IpcMessages.response(alloc, RES_MEMBERSHIP, MEMBERSHIP_SIZE, CsError.OK);
		int count = Math.min(members.size(), MEMBERSHIP_MAX);
		out.setIntLE(MEMBERSHIP_COUNT, count);
		for (int i = 0; i < count; i++) {
			CpgAddress member = members.get(i);
			out.setIntLE(MEMBERSHIP_LIST + ADDRESS_SIZE * i, (int) member.nodeid());
			out.setIntLE(MEMBERSHIP_LIST + ADDRESS_SIZE * i + 8, (int) member.pid());
		}
		return IpcMessages.finish(out);
	}

	static ByteBuf localGet(ByteBufAllocator alloc, long nodeid) {
		ByteBuf out = IpcMessages.response(alloc, RES_LOCAL_GET, LOCAL_GET_SIZE, CsError.OK);
		out.setIntLE(24, (int) nodeid);
		return IpcMessages.finish(out);
	}

	static ByteBuf iterationInitialize(ByteBufAllocator alloc, CsError error, long handle) {
		ByteBuf out = IpcMessages.response(alloc, RES_ITERATION_INITIALIZE, ITERATION_HANDLE_RESPONSE_SIZE, error);
		out.setLongLE(24, handle);
		return IpcMessages.finish(out);
	}

	/** One process of the iteration, or with a null group the answer past its end. */
	static ByteBuf iterationNext(ByteBufAllocator alloc, CsError error, @Nullable CpgName group, long nodeid,
			long pid) {
		ByteBuf out = IpcMessages.response(alloc, RES_ITERATION_NEXT, ITERATION_NEXT_SIZE, error);
		if (group != null) {
			writeName(out, 24, group);
			out.setIntLE(160, (int) nodeid);
			out.setIntLE(164, (int) pid);
		}
		return IpcMessages.finish(out);
	}

}
