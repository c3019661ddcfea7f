package io.corosync4j.engine.service.cpg;

import java.nio.ByteBuffer;
import java.util.List;

import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.ServiceHeader;

/**
 * CPG's wire messages ({@code struct req_exec_cpg_*} in {@code exec/cpg.c}), little-endian on send,
 * read in the sender's order: procjoin/procleave (168 bytes), joinlist (24 + 144 per process), mcast
 * (184 + data), downlist (1568 bytes), partial mcast (200 + fragment).
 */
final class CpgMessages {

	static final int PROCJOIN = 0;

	static final int PROCLEAVE = 1;

	static final int JOINLIST = 2;

	static final int MCAST = 3;

	static final int DOWNLIST_OLD = 4;

	static final int DOWNLIST = 5;

	static final int PARTIAL_MCAST = 6;

	static final int PROCJOIN_SIZE = 168;

	static final int JOINLIST_HEADER = 24;

	static final int JOINLIST_ENTRY = 144;

	static final int MCAST_HEADER = 184;

	static final int PARTIAL_HEADER = 200;

	/** {@code PROCESSOR_COUNT_MAX}: the downlist always carries room for this many node ids. */
	static final int DOWNLIST_NODES = 384;

	static final int DOWNLIST_SIZE = 32 + 4 * DOWNLIST_NODES;

	/** Partial message types ({@code LIBCPG_PARTIAL_*}). */
	static final int PARTIAL_FIRST = 1;

	static final int PARTIAL_CONTINUED = 2;

	static final int PARTIAL_LAST = 3;

	private CpgMessages() {
	}

	static byte[] procJoinOrLeave(int function, CpgName group, long pid, CpgReason reason) {
		ByteBuffer out = ServiceHeader.allocate(ServiceEngine.CPG, function, PROCJOIN_SIZE);
		group.write(out, 16);
		out.putInt(152, (int) pid);
		out.putInt(160, reason.code);
		return out.array();
	}

	/** The joinlist: a response header (id, size, error) and one entry per local process. */
	static byte[] joinList(List<CpgAddress> localProcesses, List<CpgName> groups) {
		int size = JOINLIST_HEADER + JOINLIST_ENTRY * localProcesses.size();
		ByteBuffer out = ServiceHeader.allocate(ServiceEngine.CPG, JOINLIST, size);
		for (int i = 0; i < localProcesses.size(); i++) {
			int at = JOINLIST_HEADER + JOINLIST_ENTRY * i;
			out.putInt(at, (int) localProcesses.get(i).pid());
			groups.get(i).write(out, at + 8);
		}
		return out.array();
	}

	/** The 184-byte header of a multicast; the data follows as a second buffer. */
	static byte[] mcastHeader(CpgName group, long pid, long nodeid, int length) {
		ByteBuffer out = ServiceHeader.allocate(ServiceEngine.CPG, MCAST, MCAST_HEADER);
		out.putInt(8, MCAST_HEADER + length);
		group.write(out, 16);
		out.putInt(152, length);
		out.putInt(160, (int) pid);
		out.putInt(168, (int) nodeid);
		return out.array();
	}

	static byte[] partialHeader(CpgName group, long pid, long nodeid, int total, int fragment, int type) {
		ByteBuffer out = ServiceHeader.allocate(ServiceEngine.CPG, PARTIAL_MCAST, PARTIAL_HEADER);
		out.putInt(8, PARTIAL_HEADER + fragment);
		group.write(out, 16);
		out.putInt(152, total);
		out.putInt(160, fragment);
		out.putInt(168, (int) pid);
		out.putInt(176, type);
		out.putInt(184, (int) nodeid);
		return out.array();
	}

	static byte[] downList(int oldMembers, List<Long> leftNodes) {
		ByteBuffer out = ServiceHeader.allocate(ServiceEngine.CPG, DOWNLIST, DOWNLIST_SIZE);
		out.putInt(16, oldMembers);
		out.putInt(24, leftNodes.size());
		for (int i = 0; i < leftNodes.size() && i < DOWNLIST_NODES; i++) {
			out.putInt(32 + 4 * i, (int) (long) leftNodes.get(i));
		}
		return out.array();
	}

}
