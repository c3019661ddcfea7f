package io.corosync4j.engine.ipc.cfg;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * {@code ipc_cfg.h}'s messages and {@code cfg.h}'s node status, at the offsets gcc gives them on x86-64
 * (checked with {@code offsetof}).
 */
final class CfgCodec {

	static final int REQ_RINGSTATUSGET = 0;

	static final int REQ_RINGREENABLE = 1;

	static final int REQ_KILLNODE = 2;

	static final int REQ_TRYSHUTDOWN = 3;

	static final int REQ_REPLYTOSHUTDOWN = 4;

	static final int REQ_GET_NODE_ADDRS = 5;

	static final int REQ_LOCAL_GET = 6;

	static final int REQ_RELOAD_CONFIG = 7;

	static final int REQ_REOPEN_LOG_FILES = 8;

	static final int REQ_NODESTATUSGET = 9;

	static final int REQ_TRACKSTART = 10;

	static final int REQ_TRACKSTOP = 11;

	/**
	 * The size of each request's struct, by id: the bare header (16) but for killnode (288: nodeid at 16, a
	 * {@code cs_name_t} reason at 24), tryshutdown and replytoshutdown (24: a u32 at 16), get_node_addrs
	 * (24: nodeid at 16), nodestatusget (32: nodeid at 16, version at 24) and trackstart (24: a u8 at 16).
	 */
	static final int[] REQUEST_SIZES = { 16, 16, 288, 24, 24, 24, 16, 16, 16, 32, 24, 16 };

	static final int RES_RINGSTATUSGET = 0;

	static final int RES_RINGREENABLE = 1;

	static final int RES_STATETRACKSTART = 2;

	static final int RES_STATETRACKSTOP = 3;

	static final int RES_KILLNODE = 8;

	static final int RES_TRYSHUTDOWN = 9;

	static final int RES_TESTSHUTDOWN = 10;

	static final int RES_GET_NODE_ADDRS = 11;

	static final int RES_LOCAL_GET = 12;

	static final int RES_REPLYTOSHUTDOWN = 13;

	static final int RES_RELOAD_CONFIG = 14;

	static final int RES_REOPEN_LOG_FILES = 15;

	static final int RES_NODESTATUSGET = 16;

	/** The u32 after a request's header: killnode's and get_node_addrs' nodeid, the shutdown flag and reply. */
	static final int REQUEST_VALUE = 16;

	/** {@code cs_name_t}: a u16 length at 24, then 256 bytes of name at 26. */
	static final int KILLNODE_REASON_LENGTH = 24;

	static final int KILLNODE_REASON = 26;

	static final int REASON_MAX = 256;

	static final int NODESTATUSGET_VERSION = 24;

	/**
	 * {@code res_lib_cfg_ringstatusget}: interface_count at 24, 16 names of 128 bytes from 32, 16 statuses
	 * of 512 bytes from 2080; 10272 bytes.
	 */
	static final int RINGSTATUS_SIZE = 10272;

	static final int RINGSTATUS_NAMES = 32;

	static final int RINGSTATUS_STATUSES = 2080;

	static final int MAX_INTERFACES = 16;

	static final int INTERFACE_NAME_LENGTH = 128;

	static final int INTERFACE_STATUS_LENGTH = 512;

	/** {@code res_lib_cfg_nodestatusget_version}: the version (a u32 enum) at 24; 32 bytes. */
	static final int NODESTATUS_VERSION_SIZE = 32;

	/**
	 * {@code res_lib_cfg_nodestatusget_v1}: {@code corosync_cfg_node_status_v1} at 24 (version 0, nodeid 4,
	 * reachable, remote, external, onwire min, max and current as bytes from 8, eight link statuses of 520
	 * bytes from 16); 4200 bytes.
	 */
	static final int NODESTATUS_V1_SIZE = 4200;

	static final int NODESTATUS = 24;

	static final int NODESTATUS_LINKS = NODESTATUS + 16;

	/**
	 * {@code corosync_knet_link_status_v1}: enabled, connected and dynconnected as bytes from 0, mtu at 4,
	 * src_ipaddr at 8 and dst_ipaddr at 264, 256 bytes each; 520 bytes.
	 */
	static final int LINK_STATUS_SIZE = 520;

	static final int LINK_SRC = 8;

	static final int LINK_DST = 264;

	static final int HOST_LENGTH = 256;

	static final int MAX_LINKS = 8;

	/** {@code CFG_NODE_STATUS_V1}. */
	static final int NODE_STATUS_V1 = 1;

	/** {@code res_lib_cfg_get_node_addrs}: family 24, num_addrs 28, addresses of 16 bytes each from 32. */
	static final int NODE_ADDRS_SIZE = 32;

	static final int ADDRESS_LENGTH = 16;

	/** {@code res_lib_cfg_local_get}: local_nodeid at 24; 32 bytes. {@code res_lib_cfg_testshutdown}: flags at 24. */
	static final int VALUE_RESPONSE_SIZE = 32;

	private CfgCodec() {
	}

	/** A killnode's reason: at most its stated length, up to the first zero. */
	static String reason(ByteBuf request) {
		int base = request.readerIndex();
		int length = Math.min(request.getUnsignedShortLE(base + KILLNODE_REASON_LENGTH), REASON_MAX);
		int end = 0;
		while (end < length && request.getByte(base + KILLNODE_REASON + end) != 0) {
			end++;
		}
		return request.toString(base + KILLNODE_REASON, end, StandardCharsets.UTF_8);
	}

	static ByteBuf value(ByteBufAllocator alloc, int id, CsError error, long value) {
		ByteBuf response = IpcMessages.response(alloc, id, VALUE_RESPONSE_SIZE, error);
		response.writeIntLE((int) value);
		return IpcMessages.finish(response);
	}

	static ByteBuf ringStatus(ByteBufAllocator alloc, RingStatus status) {
		ByteBuf response = IpcMessages.response(alloc, RES_RINGSTATUSGET, RINGSTATUS_SIZE, status.error());
		response.setIntLE(24, status.names().size());
		for (int i = 0; i < status.names().size(); i++) {
			writeString(response, RINGSTATUS_NAMES + i * INTERFACE_NAME_LENGTH, status.names().get(i),
					INTERFACE_NAME_LENGTH);
			writeString(response, RINGSTATUS_STATUSES + i * INTERFACE_STATUS_LENGTH, status.statuses().get(i),
					INTERFACE_STATUS_LENGTH);
		}
		return IpcMessages.finish(response);
	}

	static ByteBuf nodeStatus(ByteBufAllocator alloc, NodeStatus status) {
		ByteBuf response = IpcMessages.response(alloc, RES_NODESTATUSGET, NODESTATUS_V1_SIZE, CsError.OK);
		response.setIntLE(NODESTATUS, NODE_STATUS_V1);
		response.setIntLE(NODESTATUS + 4, (int) status.nodeid());
		response.setByte(NODESTATUS + 8, status.reachable() ? 1 : 0);
		response.setByte(NODESTATUS + 9, status.remote() ? 1 : 0);
		response.setByte(NODESTATUS + 10, status.external() ? 1 : 0);
		response.setByte(NODESTATUS + 11, status.onwireMin());
		response.setByte(NODESTATUS + 12, status.onwireMax());
		response.setByte(NODESTATUS + 13, status.onwireVersion());
		for (LinkState link : status.links()) {
			int at = NODESTATUS_LINKS + link.link() * LINK_STATUS_SIZE;
			response.setByte(at, link.enabled() ? 1 : 0);
			response.setByte(at + 1, link.connected() ? 1 : 0);
			response.setByte(at + 2, link.dynconnected() ? 1 : 0);
			response.setIntLE(at + 4, (int) link.mtu());
			writeString(response, at + LINK_SRC, link.source(), HOST_LENGTH);
			writeString(response, at + LINK_DST, link.destination(), HOST_LENGTH);
		}
		return IpcMessages.finish(response);
	}

	/** A node status refused: the version-only response. */
	static ByteBuf nodeStatusRefused(ByteBufAllocator alloc, CsError error) {
		return IpcMessages.finish(IpcMessages.response(alloc, RES_NODESTATUSGET, NODESTATUS_VERSION_SIZE, error));
	}

	static ByteBuf nodeAddresses(ByteBufAllocator alloc, NodeAddresses addresses) {
		List<byte[]> list = addresses.addresses();
		CsError error = list.isEmpty() ? CsError.NOT_EXIST : CsError.OK;
		ByteBuf response = IpcMessages.response(alloc, RES_GET_NODE_ADDRS, NODE_ADDRS_SIZE + ADDRESS_LENGTH * list.size(),
				error);
		response.writeIntLE(addresses.family());
		response.writeIntLE(list.size());
		for (byte[] address : list) {
			response.writeBytes(address);
			response.writeZero(ADDRESS_LENGTH - address.length);
		}
		return IpcMessages.finish(response);
	}

	/** A C string in a fixed field, cut to leave room for its terminating zero. */
	private static void writeString(ByteBuf buffer, int at, String text, int room) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		buffer.setBytes(at, bytes, 0, Math.min(bytes.length, room - 1));
	}

	/**
	 * {@code ringstatusget}'s answer: this node's interfaces as {@code "<link> <address>"} and each one's
	 * status string.
	 */
	record RingStatus(List<String> names, List<String> statuses, CsError error) {

		RingStatus {
			names = List.copyOf(names);
			statuses = List.copyOf(statuses);
		}

	}

	/**
	 * {@code corosync_cfg_node_status_v1}.
	 *
	 * @param links the links that have a status, each at its link number
	 */
	record NodeStatus(long nodeid, boolean reachable, boolean remote, boolean external, int onwireMin, int onwireMax,
			int onwireVersion, List<LinkState> links) {

		NodeStatus {
			links = List.copyOf(links);
		}

	}

	/** {@code corosync_knet_link_status_v1}, at link number {@code link}. */
	record LinkState(int link, boolean enabled, boolean connected, boolean dynconnected, long mtu, String source,
			String destination) {
	}

	/**
	 * A node's addresses, one per link, as {@code get_node_addrs} sends them: the raw address bytes of the
	 * {@code family} ({@code AF_INET} 2 or {@code AF_INET6} 10) of the first.
	 */
	record NodeAddresses(int family, List<byte[]> addresses) {

		NodeAddresses {
			addresses = List.copyOf(addresses);
		}

	}

}
