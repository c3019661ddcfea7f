package io.corosync4j.engine.service.votequorum;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.corosync4j.engine.service.votequorum.VotequorumMessages.NodeInfo;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.QdeviceRegistration;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.Reconfigure;
import io.corosync4j.engine.service.votequorum.VotequorumSettings.TieBreaker;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * votequorum's decision, rule for rule as {@code exec/votequorum.c} makes it, free of I/O: messages go out
 * through {@link Host#send}, the last-man-standing window is a timer the host runs, and quorum notifications
 * are a call back. Every node applies the same messages in the same agreed order, so every member of a
 * partition reaches the same verdict at the same point of that order. Not thread-safe: the node's event
 * loop drives it.
 */
final class VoteQuorum {

	private static final Logger logger = LoggerFactory.getLogger(VoteQuorum.class);

	/** The node id of the quorum device's pseudo-node. */
	static final long QDEVICE_NODEID = 0;

	/** What the engine needs from the node. */
	interface Host {

		/** Multicasts a votequorum message in agreed order (the host queues it while Totem is full). */
		void send(byte[] message);

		/** Arms (or re-arms) the last-man-standing window. */
		void startLastManStandingTimer(long millis);

		void cancelLastManStandingTimer();

		/** Quorum callbacks: at sync activation, and on a change of quorum outside synchronization. */
		void quorumNotification();

		/** This node's expected votes went up with the votes present, or were set by a reconfigure. */
		default void expectedVotesNotification(long expectedVotes) {
		}

		/** A new ring's members, once per synchronization as this node's nodeinfo goes out. */
		default void nodeListNotification() {
		}

		/** Persists the expected-votes tracking barrier ({@code <state_dir>/ev_tracking}). */
		void storeExpectedVotesBarrier(long barrier);

	}

	/** A node entry ({@code struct cluster_node}). */
	private static final class Node {

		final long nodeid;

		NodeState state = NodeState.DEAD;

		long votes;

		long expectedVotes;

		int flags;

		Node(long nodeid) {
			this.nodeid = nodeid;
		}

		QuorumNode snapshot() {
			return new QuorumNode(this.nodeid, this.state, this.votes, this.expectedVotes, this.flags);
		}

	}

	private final Host host;

	private VotequorumSettings settings;

	private final Node us;

	private final Node qdevice = new Node(QDEVICE_NODEID);

	/** Every node but the device, ascending by id, this node included ({@code cluster_members_list}). */
	private final Map<Long, Node> nodes = new TreeMap<>();

	/** The same nodes in the order of Corosync's list, which its notifications use ({@link #listed}). */
	private final List<Long> listOrder = new ArrayList<>();

	private long quorum;

	private boolean quorate;

	private List<Long> quorumMembers = List.of();

	private List<Long> previousQuorumMembers = List.of();

	private @Nullable RingId quorumRingId;

	private boolean twoNode;

	private final boolean waitForAll;

	private boolean waitForAllStatus;

	private TieBreaker tieBreaker;

	private long lowestNodeId = -1;

	private long highestNodeId = -1;

	private boolean lastManStanding;

	private boolean lastManStandingTimerSet;

	private long expectedVotesBarrier;

	private final boolean expectedVotesTracking;

	private long expectedVotesTrackingBarrier;

	private String qdeviceName = "";

	private boolean syncInProgress;

	private boolean syncNodeinfoSent;

	/**
	 * Starts the engine as {@code votequorum_exec_init_fn} does: reads the settings, calculates once, and
	 * queues this node's first nodeinfo.
	 * @param nodeid this node
	 * @param settings the configuration
	 * @param storedBarrier the expected-votes tracking barrier found on disk (0 when none)
	 */
	VoteQuorum(long nodeid, VotequorumSettings settings, long storedBarrier, Host host) {
		this.host = host;
		this.settings = settings;
		this.us = new Node(nodeid);
		this.nodes.put(nodeid, this.us);
		listed(nodeid);
		this.us.state = NodeState.MEMBER;
		this.us.flags |= NodeFlags.FIRST;
		this.twoNode = settings.twoNode();
		this.waitForAll = settings.waitForAll();
		this.tieBreaker = settings.tieBreaker();
		this.lastManStanding = settings.lastManStanding();
		this.expectedVotesTracking = settings.expectedVotesTracking();
		long expected = settings.configuredExpectedVotes();
		if (this.expectedVotesTracking) {
			this.expectedVotesTrackingBarrier = storedBarrier;
			expected = storedBarrier;
		}
		this.us.votes = settings.votes();
		if (settings.nodelistExpectedVotes() > 0) {
			this.us.expectedVotes = settings.nodelistExpectedVotes();
		}
		if (expected != 0) {
			this.us.expectedVotes = expected;
		}
		this.qdevice.votes = settings.qdeviceVotes();
		this.expectedVotesBarrier = this.us.expectedVotes;
		if (this.waitForAll) {
			updateWaitForAllStatus(true);
		}
		recalculateQuorum(false, false);
		sendNodeInfo(this.us);
	}

	// ---------------------------------------------------------------------------------------------
	// Delivered messages

	/** {@code message_handler_req_exec_votequorum_nodeinfo}. */
	void nodeInfo(long sender, NodeInfo info) {
		long nodeid = info.nodeid();
		boolean newNode = false;
		Node node;
		if (nodeid == QDEVICE_NODEID) {
			node = this.qdevice;
		}
		else {
			node = this.nodes.get(nodeid);
			if (node == null) {
				node = new Node(nodeid);
				this.nodes.put(nodeid, node);
				listed(nodeid);
				newNode = true;
			}
		}
		long oldVotes = newNode ? 0 : node.votes;
		long oldExpected = newNode ? 0 : node.expectedVotes;
		NodeState oldState = newNode ? NodeState.DEAD : node.state;
		int oldFlags = newNode ? 0 : node.flags;
		boolean allowDecrease = false;
		boolean byNode = false;
		if (nodeid == QDEVICE_NODEID) {
			Node from = this.nodes.get(sender);
			if (from == null) {
				// Corosync asserts here; a device report from a node we never heard of carries nothing to trust
				logger.debug("Ignoring quorum device votes from unknown node {}", sender);
				return;
			}
			if (!this.quorate && (from.flags & NodeFlags.QUORATE) != 0) {
				node.votes = info.votes();
			}
			else {
				node.votes = Math.max(node.votes, info.votes());
			}
		}
		else {
			node.flags = info.flags();
			node.votes = info.votes();
			node.state = NodeState.MEMBER;
			if ((node.flags & NodeFlags.LEAVING) != 0) {
				node.state = NodeState.LEAVING;
				allowDecrease = true;
				byNode = true;
			}
			if (!this.quorate && (node.flags & NodeFlags.QUORATE) != 0) {
				allowDecrease = true;
				this.us.expectedVotes = info.expectedVotes();
			}
			if ((node.flags & NodeFlags.QUORATE) != 0 || this.expectedVotesTracking) {
				node.expectedVotes = info.expectedVotes();
			}
			else {
				node.expectedVotes = this.us.expectedVotes;
			}
			if (this.lastManStanding && node.votes > 1) {
				logger.warn("Last Man Standing feature is supported only when all cluster nodes votes are set "
						+ "to 1. Disabling LMS.");
				this.lastManStanding = false;
				if (this.lastManStandingTimerSet) {
					this.host.cancelLastManStandingTimer();
					this.lastManStandingTimerSet = false;
				}
			}
		}
		if (newNode || nodeid == this.us.nodeid || (node.flags & NodeFlags.FIRST) != 0 || oldVotes != node.votes
				|| oldExpected != node.expectedVotes || oldFlags != node.flags || oldState != node.state) {
			recalculateQuorum(allowDecrease, byNode);
		}
		if (this.waitForAll && (node.flags & NodeFlags.WAIT_FOR_ALL_STATUS) == 0
				&& (node.flags & NodeFlags.QUORATE) != 0) {
			updateWaitForAllStatus(false);
		}
	}

	/** {@code message_handler_req_exec_votequorum_reconfigure}. */
	void reconfigure(long sender, Reconfigure change) {
		switch (change.param()) {
			case VotequorumMessages.PARAM_EXPECTED_VOTES -> {
				updateNodeExpectedVotes(change.value());
				this.host.expectedVotesNotification(this.us.expectedVotes);
				this.expectedVotesBarrier = change.value();
				if (this.expectedVotesTracking) {
					this.us.expectedVotes = Math.max(this.us.expectedVotes, this.expectedVotesTrackingBarrier);
				}
				recalculateQuorum(true, false);
			}
			case VotequorumMessages.PARAM_NODE_VOTES -> {
				Node node = (change.nodeid() == QDEVICE_NODEID) ? this.qdevice : this.nodes.get(change.nodeid());
				if (node == null) {
					return;
				}
				node.votes = change.value();
				recalculateQuorum(true, false);
			}
			case VotequorumMessages.PARAM_CANCEL_WAIT_FOR_ALL -> {
				updateWaitForAllStatus(false);
				logger.info("wait_for_all_status reset by user on node {}.", change.nodeid());
				recalculateQuorum(false, false);
			}
			default -> logger.debug("Ignoring votequorum reconfigure parameter {} from node {}", change.param(),
					sender);
		}
	}

	/** {@code message_handler_req_exec_votequorum_qdevice_reg}, for devices registered on other nodes. */
	void qdeviceRegistration(long sender, QdeviceRegistration registration) {
		if (registration.operation() == VotequorumMessages.QDEVICE_REGISTER) {
			if (sender != this.us.nodeid && this.qdeviceName.isEmpty()) {
				this.qdeviceName = registration.name();
			}
			return;
		}
		boolean stillRegistered = this.nodes.values()
			.stream()
			.anyMatch((node) -> node.state == NodeState.MEMBER && (node.flags & NodeFlags.QDEVICE_REGISTERED) != 0);
		if (!stillRegistered) {
			this.qdeviceName = "";
		}
	}

	/** {@code message_handler_req_exec_votequorum_qdevice_reconfigure}. */
	void qdeviceRename(VotequorumMessages.QdeviceRename rename) {
		if (this.qdeviceName.equals(rename.oldName())) {
			this.qdeviceName = rename.newName();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Synchronization

	/** {@code votequorum_sync_init}. */
	void syncInit(List<Long> members, RingId ringId) {
		this.syncInProgress = true;
		this.syncNodeinfoSent = false;
		if (members.size() > 1) {
			this.us.flags &= ~NodeFlags.FIRST;
		}
		boolean nodesLeft = false;
		for (long previous : this.quorumMembers) {
			if (!members.contains(previous)) {
				nodesLeft = true;
				Node node = this.nodes.get(previous);
				if (node != null) {
					node.state = NodeState.DEAD;
				}
			}
		}
		if (this.lastManStanding && ((members.size() >= this.quorum && nodesLeft)
				|| (members.size() <= this.quorum && this.tieBreaker != TieBreaker.NONE && lowestNodeIdPresent()))) {
			this.host.startLastManStandingTimer(this.settings.lastManStandingWindowMillis());
			this.lastManStandingTimerSet = true;
		}
		this.previousQuorumMembers = this.quorumMembers;
		this.quorumMembers = List.copyOf(members);
		this.quorumRingId = ringId;
	}

	/** {@code votequorum_sync_process}: this node's nodeinfo, the device's, and a device name we know of. */
	void syncProcess() {
		if (this.syncNodeinfoSent) {
			return;
		}
		sendNodeInfo(this.us);
		sendNodeInfo(this.qdevice);
		if (!this.qdeviceName.isEmpty()) {
			this.host.send(new QdeviceRegistration(VotequorumMessages.QDEVICE_REGISTER, this.qdeviceName).encode());
		}
		this.host.nodeListNotification();
		this.syncNodeinfoSent = true;
	}

	/** {@code votequorum_sync_activate}. */
	void syncActivate() {
		recalculateQuorum(false, false);
		this.syncInProgress = false;
		this.host.quorumNotification();
	}

	/** The last-man-standing window expired: shrink expected votes to the members still here. */
	void lastManStandingExpired() {
		this.lastManStandingTimerSet = false;
		if (this.quorate) {
			recalculateQuorum(true, true);
		}
	}

	/** {@code votequorum_exec_exit_fn}: with {@code allow_downscale}, tell the others this is a clean leave. */
	boolean leaving() {
		if (!this.settings.allowDownscale()) {
			return false;
		}
		this.us.flags |= NodeFlags.LEAVING;
		sendNodeInfo(this.us);
		return true;
	}

	/**
	 * A reloaded configuration ({@code votequorum_readconfig} at runtime, then
	 * {@code votequorum_refresh_config}): {@code two_node}, expected votes and this node's votes take effect
	 * and are announced; the other features keep their start-up values, as in Corosync.
	 */
	void reloaded(VotequorumSettings next) {
		long oldVotes = this.us.votes;
		long oldExpected = this.us.expectedVotes;
		this.settings = next;
		this.twoNode = next.twoNode();
		long expected = this.expectedVotesTracking ? this.expectedVotesTrackingBarrier : next.configuredExpectedVotes();
		this.us.votes = next.votes();
		if (next.nodelistExpectedVotes() > 0) {
			this.us.expectedVotes = next.nodelistExpectedVotes();
		}
		if (expected != 0) {
			this.us.expectedVotes = expected;
		}
		this.qdevice.votes = next.qdeviceVotes();
		this.expectedVotesBarrier = this.us.expectedVotes;
		sendNodeInfo(this.us);
		sendNodeInfo(this.qdevice);
		if (this.us.votes != oldVotes) {
			this.host.send(new Reconfigure(this.us.nodeid, this.us.votes, VotequorumMessages.PARAM_NODE_VOTES).encode());
		}
		if (this.us.expectedVotes != oldExpected) {
			this.host.send(new Reconfigure(this.us.nodeid, this.us.expectedVotes,
					VotequorumMessages.PARAM_EXPECTED_VOTES).encode());
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Runtime changes requested on this node (the library calls), validated as Corosync does

	/**
	 * {@code votequorum_setexpected}: validates locally, then broadcasts the change.
	 * @throws IllegalArgumentException when the value is below the current votes or would cost quorum
	 */
	void requestExpectedVotes(long expected) {
		Calculation check = calculate(true, expected, false);
		if (expected < check.totalVotes || (this.quorate && check.quorum > check.totalVotes)) {
			throw new IllegalArgumentException("expected votes " + expected + " rejected: the members hold "
					+ check.totalVotes + " votes" + (this.quorate ? " and the cluster must stay quorate" : ""));
		}
		updateNodeExpectedVotes(expected);
		this.host.send(new Reconfigure(this.us.nodeid, expected, VotequorumMessages.PARAM_EXPECTED_VOTES).encode());
	}

	/**
	 * {@code votequorum_setvotes}: validates locally, then broadcasts the change.
	 * @throws IllegalArgumentException for an unknown node or a vote count that breaks the quorum bounds
	 */
	void requestVotes(long nodeid, long votes) {
		Node node = this.nodes.get(nodeid);
		if (node == null) {
			throw new IllegalArgumentException("votequorum knows no node " + nodeid);
		}
		long saved = node.votes;
		node.votes = votes;
		Calculation check = calculate(true, 0, true);
		// Corosync keeps the new value on success until the reconfigure comes back; restoring it keeps
		// every change to the node table in the agreed order
		node.votes = saved;
		if (check.quorum < check.totalVotes / 2 || check.quorum > check.totalVotes) {
			throw new IllegalArgumentException("votes " + votes + " for node " + nodeid
					+ " rejected: quorum would be " + check.quorum + " of " + check.totalVotes + " votes");
		}
		this.host.send(new Reconfigure(nodeid, votes, VotequorumMessages.PARAM_NODE_VOTES).encode());
	}

	/** {@code quorum.cancel_wait_for_all}: every node stops waiting for all. */
	void requestCancelWaitForAll() {
		this.host.send(new Reconfigure(this.us.nodeid, 0, VotequorumMessages.PARAM_CANCEL_WAIT_FOR_ALL).encode());
	}

	// ---------------------------------------------------------------------------------------------
	// State

	boolean quorate() {
		return this.quorate;
	}

	boolean synchronizing() {
		return this.syncInProgress;
	}

	long expectedVotesTrackingBarrier() {
		return this.expectedVotesTrackingBarrier;
	}

	/** The values of the {@code runtime.votequorum.*} CMAP keys, by key suffix. */
	Map<String, Long> runtimeKeys() {
		Map<String, Long> keys = new LinkedHashMap<>();
		keys.put("this_node_id", this.us.nodeid);
		keys.put("two_node", this.twoNode ? 1L : 0L);
		keys.put("wait_for_all_status", this.waitForAllStatus ? 1L : 0L);
		keys.put("atb_type", (long) this.tieBreaker.ordinal());
		if (this.lowestNodeId >= 0) {
			keys.put("lowest_node_id", this.lowestNodeId);
			keys.put("highest_node_id", this.highestNodeId);
		}
		keys.put("ev_barrier", this.expectedVotesBarrier);
		if (this.expectedVotesTracking) {
			keys.put("ev_tracking_barrier", this.expectedVotesTrackingBarrier);
		}
		keys.put("qdevice_can_operate", 1L);
		keys.put("qdevice_master_wins", 0L);
		return keys;
	}

	/** {@code votequorum_getinfo} for this node, plus the node table. */
	QuorumState state() {
		long highestExpected = 0;
		long totalVotes = 0;
		List<QuorumNode> table = new ArrayList<>();
		for (Node node : this.nodes.values()) {
			if (node.state == NodeState.MEMBER) {
				highestExpected = Math.max(highestExpected, node.expectedVotes);
				totalVotes += node.votes;
			}
			table.add(node.snapshot());
		}
		if ((this.us.flags & NodeFlags.QDEVICE_CAST_VOTE) != 0) {
			totalVotes += this.qdevice.votes;
		}
		Set<QuorumFeature> features = EnumSet.noneOf(QuorumFeature.class);
		if (this.twoNode) {
			features.add(QuorumFeature.TWO_NODE);
		}
		if (this.waitForAll) {
			features.add(QuorumFeature.WAIT_FOR_ALL);
		}
		if (this.lastManStanding) {
			features.add(QuorumFeature.LAST_MAN_STANDING);
		}
		if (this.tieBreaker != TieBreaker.NONE) {
			features.add(QuorumFeature.AUTO_TIE_BREAKER);
		}
		if (this.settings.allowDownscale()) {
			features.add(QuorumFeature.ALLOW_DOWNSCALE);
		}
		return new QuorumState(this.us.nodeid, this.quorumRingId, this.quorumMembers, this.quorate, this.quorum,
				totalVotes, this.us.expectedVotes, highestExpected, this.waitForAllStatus, features, this.qdeviceName,
				this.qdevice.votes, table, this.listOrder);
	}

	/**
	 * Adds a node to the list order as Corosync's {@code node_add_ordered} does: before the first node
	 * with a greater id, but when there is none, before the last node rather than after it.
	 */
	private void listed(long nodeid) {
		for (int i = 0; i < this.listOrder.size(); i++) {
			if (nodeid < this.listOrder.get(i)) {
				this.listOrder.add(i, nodeid);
				return;
			}
		}
		this.listOrder.add(Math.max(0, this.listOrder.size() - 1), nodeid);
	}

	// ---------------------------------------------------------------------------------------------
	// The calculation

	private record Calculation(long quorum, long totalVotes) {
	}

	/** {@code calculate_quorum}. */
	private Calculation calculate(boolean allowDecrease, long maxExpected, boolean allowDownscale) {
		if (allowDownscale && this.settings.allowDownscale() && allowDecrease && maxExpected != 0) {
			maxExpected = Math.max(this.expectedVotesBarrier, maxExpected);
		}
		long totalVotes = 0;
		long highestExpected = 0;
		long totalNodes = 0;
		for (Node node : this.nodes.values()) {
			if (node.state == NodeState.MEMBER) {
				highestExpected = Math.max(highestExpected, node.expectedVotes);
				totalVotes += node.votes;
				totalNodes++;
			}
		}
		if ((this.us.flags & NodeFlags.QDEVICE_CAST_VOTE) != 0) {
			totalVotes += this.qdevice.votes;
			totalNodes++;
		}
		if (maxExpected > 0) {
			highestExpected = maxExpected;
		}
		// the OpenVMS formula: a strict majority of the larger of expected and present votes
		long next = Math.max((highestExpected + 2) / 2, (totalVotes + 2) / 2);
		if (!allowDecrease) {
			next = Math.max(this.quorum, next);
		}
		if (this.twoNode && totalNodes <= 2) {
			next = 1;
		}
		return new Calculation(next, totalVotes);
	}

	/** {@code recalculate_quorum}. */
	private void recalculateQuorum(boolean allowDecrease, boolean byCurrentNodes) {
		long totalVotes = 0;
		long members = 0;
		for (Node node : this.nodes.values()) {
			if (node.state == NodeState.MEMBER) {
				members++;
				totalVotes += node.votes;
			}
		}
		if (this.qdevice.votes != 0) {
			totalVotes += this.qdevice.votes;
			members++;
		}
		if (!byCurrentNodes) {
			members = 0;
		}
		if (totalVotes > this.us.expectedVotes) {
			this.us.expectedVotes = totalVotes;
			this.host.expectedVotesNotification(totalVotes);
		}
		if (this.expectedVotesTracking && this.us.expectedVotes > this.expectedVotesTrackingBarrier) {
			this.expectedVotesTrackingBarrier = this.us.expectedVotes;
			this.host.storeExpectedVotesBarrier(this.expectedVotesTrackingBarrier);
		}
		Calculation result = calculate(allowDecrease, members, true);
		this.quorum = result.quorum;
		updateNodeExpectedVotes(members);
		areWeQuorate(result.totalVotes);
	}

	/** {@code are_we_quorate}. */
	private void areWeQuorate(long totalVotes) {
		if (this.waitForAll && this.waitForAllStatus) {
			if (totalVotes != this.us.expectedVotes) {
				logger.info("Waiting for all cluster members. Current votes: {} expected_votes: {}", totalVotes,
						this.us.expectedVotes);
				return;
			}
			updateWaitForAllStatus(false);
		}
		boolean next = this.quorum <= totalVotes;
		if (next) {
			this.lowestNodeId = extremeMemberId(true);
			this.highestNodeId = extremeMemberId(false);
		}
		// the member-count difference is signed in Corosync (its quorum is a byte), so a grown partition passes
		if (this.tieBreaker != TieBreaker.NONE && totalVotes == this.us.expectedVotes / 2
				&& this.previousQuorumMembers.size() - this.quorumMembers.size() < this.quorum && tieBreakerPresent()) {
			next = true;
		}
		boolean changed = next != this.quorate;
		if (changed) {
			logger.debug(next ? "quorum regained, resuming activity" : "quorum lost, blocking activity");
		}
		this.quorate = next;
		if (next) {
			this.us.flags |= NodeFlags.QUORATE;
		}
		else {
			this.us.flags &= ~NodeFlags.QUORATE;
		}
		if (this.waitForAll) {
			updateWaitForAllStatus(!next);
		}
		if (changed && !this.syncInProgress) {
			this.host.quorumNotification();
		}
	}

	private void updateNodeExpectedVotes(long expected) {
		if (expected == 0) {
			return;
		}
		for (Node node : this.nodes.values()) {
			if (node.state == NodeState.MEMBER) {
				node.expectedVotes = expected;
			}
		}
	}

	private void updateWaitForAllStatus(boolean waiting) {
		this.waitForAllStatus = waiting;
		if (waiting) {
			this.us.flags |= NodeFlags.WAIT_FOR_ALL_STATUS;
		}
		else {
			this.us.flags &= ~NodeFlags.WAIT_FOR_ALL_STATUS;
		}
	}

	private long extremeMemberId(boolean lowest) {
		long result = this.us.nodeid;
		for (Node node : this.nodes.values()) {
			if (node.state == NodeState.MEMBER
					&& (lowest ? node.nodeid < result : node.nodeid > result)) {
				result = node.nodeid;
			}
		}
		return result;
	}

	private boolean memberWithId(long nodeid) {
		Node node = this.nodes.get(nodeid);
		return node != null && node.state == NodeState.MEMBER;
	}

	private boolean lowestNodeIdPresent() {
		return memberWithId(this.lowestNodeId);
	}

	/** {@code check_auto_tie_breaker}. */
	private boolean tieBreakerPresent() {
		switch (this.tieBreaker) {
			case LOWEST:
				return memberWithId(this.lowestNodeId);
			case HIGHEST:
				return memberWithId(this.highestNodeId);
			default:
				List<Long> list = this.settings.tieBreakerNodes();
				for (int i = 0; i < list.size(); i++) {
					if (this.quorumMembers.contains(list.get(i))) {
						// an earlier list node seen before the split may hold the other half
						for (int j = 0; j < i; j++) {
							if (this.previousQuorumMembers.contains(list.get(j))) {
								return false;
							}
						}
						return true;
					}
				}
				return false;
		}
	}

	private void sendNodeInfo(Node node) {
		this.host.send(new NodeInfo(node.nodeid, node.votes, node.expectedVotes, node.flags).encode());
	}

}
