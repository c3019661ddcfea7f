package io.corosync4j.engine.totem.srp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.corosync4j.engine.fixtures.MessageId;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.MessageType;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;

/**
 * The safety properties of Totem with extended virtual synchrony, checked as the simulation runs (each
 * delivery and configuration is checked when it happens, the cheap global ones after every event), and
 * the liveness and bookkeeping properties checked once the faults have stopped.
 *
 * <p>A "process" is one incarnation of a node: a restarted node is a new process with a fresh history.
 */
final class Invariants {

	private final Simulation sim;

	/** Where each application message sits in the agreed order: its ring and sequence number. */
	private final Map<MessageId, Placement> placements = new HashMap<>();

	private final Set<WireKey> onWire = new HashSet<>();

	private final Map<SimNode, Process> current = new IdentityHashMap<>();

	private final List<Process> processes = new ArrayList<>();

	private final Map<RingId, List<Long>> regularMembers = new HashMap<>();

	private final Map<TransitionKey, List<Long>> transitionalMembers = new HashMap<>();

	private final Map<TransitionKey, Set<MessageId>> oldRingDeliveries = new HashMap<>();

	/** Off for benchmarks: deliveries are only counted. */
	boolean enabled = true;

	/**
	 * Off when the nodes run totempg and services: Totem's payloads are then frames, not application
	 * messages, and the services are checked above it ({@link io.corosync4j.engine.fixtures.CpgChecker}).
	 */
	boolean payloads = true;

	/** Coverage of this run. */
	long deliveries;

	long configurations;

	long encapsulatedOnWire;

	long flushed;

	long leaves;

	long failedToReceive;

	long merges;

	Invariants(Simulation sim) {
		this.sim = sim;
	}

	// ---------------------------------------------------------------------------------------------
	// Processes

	void processStarted(SimNode node) {
		Process process = new Process(node, node.incarnation());
		this.current.put(node, process);
		this.processes.add(process);
	}

	void accepted(SimNode node, MessageId id) {
		if (this.enabled) {
			process(node).accepted.add(id);
		}
	}

	private Process process(SimNode node) {
		Process process = this.current.get(node);
		if (process == null) {
			throw new AssertionError(node + " has no process");
		}
		return process;
	}

	// ---------------------------------------------------------------------------------------------
	// The wire

	boolean seenOnWire(Mcast mcast) {
		return this.enabled && this.onWire.contains(new WireKey(mcast.ringId(), mcast.seq(), mcast.encapsulation()));
	}

	void onWire(SimNode from, Mcast mcast) {
		if (!this.enabled) {
			return;
		}
		this.onWire.add(new WireKey(mcast.ringId(), mcast.seq(), mcast.encapsulation()));
		Mcast message = mcast;
		if (mcast.isEncapsulated()) {
			this.encapsulatedOnWire++;
			message = mcast.inner();
		}
		if (!this.payloads) {
			return;
		}
		MessageId id = MessageId.of(message.payload());
		Placement placement = new Placement(message.ringId(), message.seq());
		Placement earlier = this.placements.putIfAbsent(id, placement);
		if (earlier == null) {
			if (mcast.isEncapsulated() || id.nodeid() != from.nodeid) {
				fail(from + " multicast " + id + " before its originator did");
			}
		}
		else if (!earlier.equals(placement)) {
			fail("message " + id + " was given two places in the order: " + earlier + " and " + placement);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Deliveries

	void delivered(SimNode node, long nodeid, byte[] payload) {
		this.deliveries++;
		if (!this.enabled) {
			return;
		}
		Process p = process(node);
		MessageId id = MessageId.of(payload);
		if (id.nodeid() != nodeid) {
			fail(p + " got " + id + " attributed to node " + nodeid);
		}
		if (p.index.containsKey(id)) {
			fail(p + " delivered " + id + " twice");
		}
		Placement placement = this.placements.get(id);
		if (placement == null) {
			fail(p + " delivered " + id + ", which never went over the wire");
			return;
		}
		RingId deliverable = p.transitional ? p.previousRing : p.regularRing;
		if (deliverable == null || !deliverable.equals(placement.ring())) {
			fail(p + " delivered " + id + " of ring " + placement.ring() + " in "
					+ (p.transitional ? "the transitional configuration after ring " : "regular configuration ")
					+ deliverable);
		}
		if (placement.ring().equals(p.lastRing)) {
			int previous = (int) p.lastSeq;
			int seq = (int) placement.seq();
			if (!p.transitional && seq != previous + 1) {
				fail(p + " delivered seq " + Long.toHexString(placement.seq()) + " after " + Long.toHexString(p.lastSeq)
						+ " in a regular configuration (a gap or a step back)");
			}
			if (p.transitional && !Sequence.lt(previous, seq)) {
				fail(p + " delivered seq " + Long.toHexString(placement.seq()) + " after " + Long.toHexString(p.lastSeq));
			}
		}
		p.lastRing = placement.ring();
		p.lastSeq = placement.seq();
		checkAgreedOrder(p, id);
		p.index.put(id, p.delivered.size());
		p.delivered.add(id);
		p.perRing.computeIfAbsent(placement.ring(), (ring) -> new HashSet<>()).add(id);
	}

	/** No two processes deliver two common messages in different orders. */
	private void checkAgreedOrder(Process p, MessageId id) {
		for (Process q : this.processes) {
			if (q == p) {
				continue;
			}
			Integer at = q.index.get(id);
			if (at == null) {
				continue;
			}
			for (int k = at + 1; k < q.delivered.size(); k++) {
				MessageId later = q.delivered.get(k);
				if (p.index.containsKey(later)) {
					fail("agreed order broken: " + q + " delivered " + id + " before " + later + ", " + p
							+ " delivered them the other way round");
				}
			}
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Configurations

	void configuration(SimNode node, ConfigurationChange change) {
		this.configurations++;
		if (!this.enabled) {
			return;
		}
		Process p = process(node);
		List<Long> members = change.members();
		if (change.type() == ConfigurationType.TRANSITIONAL) {
			if (p.transitional) {
				fail(p + " delivered two transitional configurations in a row: " + change);
			}
			if (p.regularRing != null) {
				if (Long.compareUnsigned(change.ringId().seq(), p.regularRing.seq()) <= 0) {
					fail(p + " moved from ring " + p.regularRing + " to the older ring " + change.ringId());
				}
				if (!members.contains(node.nodeid) || !p.regularMembers.containsAll(members)) {
					fail(p + " transitional members " + members + " are not this node's survivors of "
							+ p.regularMembers);
				}
			}
			else if (!members.isEmpty()) {
				fail(p + " has transitional members " + members + " without a previous ring");
			}
			Set<Long> left = new TreeSet<>(p.regularMembers);
			left.removeAll(members);
			if (!left.equals(new TreeSet<>(change.left())) || !change.joined().isEmpty()) {
				fail(p + " transitional configuration " + change + " has wrong left/joined lists");
			}
			if (p.regularRing != null) {
				agree(this.transitionalMembers, new TransitionKey(change.ringId(), p.regularRing), members,
						p + " transitional configuration");
			}
			p.transitional = true;
			p.transitionalMembers = members;
			p.previousRing = p.regularRing;
			p.pendingRing = change.ringId();
			return;
		}
		if (!p.transitional || !change.ringId().equals(p.pendingRing)) {
			fail(p + " delivered regular configuration " + change + " without its transitional configuration");
		}
		List<Long> sorted = new ArrayList<>(members);
		sorted.sort(Long::compareUnsigned);
		if (!sorted.equals(members) || !members.contains(node.nodeid) || !members.containsAll(p.transitionalMembers)) {
			fail(p + " regular configuration " + change + " is not sorted, lacks itself or the transitional members");
		}
		Set<Long> joined = new TreeSet<>(members);
		joined.removeAll(p.transitionalMembers);
		if (!joined.equals(new TreeSet<>(change.joined())) || !change.left().isEmpty()) {
			fail(p + " regular configuration " + change + " has wrong left/joined lists");
		}
		agree(this.regularMembers, change.ringId(), members, p + " regular configuration");
		if (!p.transitionalMembers.isEmpty() && !joined.isEmpty()) {
			this.merges++;
		}
		if (p.previousRing != null) {
			// failure atomicity: processes that move together delivered the same old-ring messages
			Set<MessageId> old = p.perRing.getOrDefault(p.previousRing, Set.of());
			TransitionKey key = new TransitionKey(change.ringId(), p.previousRing);
			Set<MessageId> other = this.oldRingDeliveries.putIfAbsent(key, Set.copyOf(old));
			if (other != null && !other.equals(old)) {
				Set<MessageId> onlyHere = new TreeSet<>(Invariants::compareIds);
				onlyHere.addAll(old);
				onlyHere.removeAll(other);
				Set<MessageId> onlyThere = new TreeSet<>(Invariants::compareIds);
				onlyThere.addAll(other);
				onlyThere.removeAll(old);
				fail(p + " moved from " + p.previousRing + " to " + change.ringId()
						+ " with other old-ring messages than its transitional peers; only here " + onlyHere
						+ ", only there " + onlyThere);
			}
		}
		p.transitional = false;
		p.regularRing = change.ringId();
		p.regularMembers = members;
		p.regularConfigurations++;
	}

	private <K> void agree(Map<K, List<Long>> agreed, K key, List<Long> members, String what) {
		List<Long> sorted = new ArrayList<>(members);
		sorted.sort(Long::compareUnsigned);
		List<Long> earlier = agreed.putIfAbsent(key, sorted);
		if (earlier != null && !earlier.equals(sorted)) {
			fail(what + " " + key + " has members " + sorted + ", others saw " + earlier);
		}
	}

	private static int compareIds(MessageId a, MessageId b) {
		int byNode = Long.compare(a.nodeid(), b.nodeid());
		if (byNode != 0) {
			return byNode;
		}
		int byIncarnation = Integer.compare(a.incarnation(), b.incarnation());
		return (byIncarnation != 0) ? byIncarnation : Long.compare(a.counter(), b.counter());
	}

	// ---------------------------------------------------------------------------------------------
	// After every event, and at the end

	/** Operational nodes that share a ring id share its member list. */
	void afterEvent() {
		if (!this.enabled) {
			return;
		}
		List<SimNode> nodes = this.sim.nodes;
		for (int i = 0; i < nodes.size(); i++) {
			SimNode a = nodes.get(i);
			if (!a.alive() || a.srp().state() != MembershipState.OPERATIONAL) {
				continue;
			}
			for (int j = 0; j < i; j++) {
				SimNode b = nodes.get(j);
				if (b.alive() && b.srp().state() == MembershipState.OPERATIONAL
						&& a.srp().ringId().equals(b.srp().ringId())
						&& !a.srp().membersView().equals(b.srp().membersView())) {
					fail(a + " and " + b + " are operational in ring " + a.srp().ringId() + " with members "
							+ a.srp().membersView() + " and " + b.srp().membersView());
				}
			}
		}
	}

	/** After the faults stopped and the bound passed: the live nodes form one operational ring of all of them. */
	void checkOneRing() {
		List<Long> live = new ArrayList<>();
		RingId ring = null;
		for (SimNode node : this.sim.nodes) {
			if (!node.alive()) {
				continue;
			}
			live.add(node.nodeid);
			TotemSrp core = node.srp();
			if (core.state() != MembershipState.OPERATIONAL) {
				fail(node + " is not operational but " + core.state());
			}
			if (ring == null) {
				ring = core.ringId();
			}
			else if (!ring.equals(core.ringId())) {
				fail("the live nodes are in different rings: " + ring + " and " + node + " in " + core.ringId());
			}
		}
		for (SimNode node : this.sim.nodes) {
			if (node.alive() && !node.srp().membersView().equals(live)) {
				fail(node + " has members " + node.srp().membersView() + ", the live nodes are " + live);
			}
		}
	}

	/**
	 * Once the traffic stopped: every live node delivered each of its own messages, all delivered the
	 * same messages of their common ring, and each node's counters match what the network saw.
	 */
	void checkDelivered() {
		checkOneRing();
		RingId ring = null;
		Set<MessageId> reference = null;
		for (SimNode node : this.sim.nodes) {
			if (!node.alive()) {
				continue;
			}
			Process p = process(node);
			Set<MessageId> missing = new LinkedHashSet<>(p.accepted);
			missing.removeAll(p.index.keySet());
			if (!missing.isEmpty()) {
				MessageId first = missing.iterator().next();
				fail(p + " never delivered " + missing.size() + " of its own messages, e.g. " + first + " placed at "
						+ this.placements.get(first) + " (available " + node.srp().available() + ")");
			}
			if (ring == null) {
				ring = node.srp().ringId();
			}
			Set<MessageId> inRing = p.perRing.getOrDefault(ring, Set.of());
			if (reference == null) {
				reference = inRing;
			}
			else if (!reference.equals(inRing)) {
				fail(p + " delivered " + inRing.size() + " messages of the final ring " + ring + ", another node "
						+ reference.size());
			}
			checkCounters(node, p);
		}
	}

	private void checkCounters(SimNode node, Process p) {
		SrpStats stats = node.srp().stats();
		if (this.payloads) {
			// with services, totempg queues the MCASTs, not the workload
			expect(node, SrpCounter.MCAST_TX, stats, p.accepted.size());
		}
		expect(node, SrpCounter.MCAST_RETX, stats, node.retransmittedMcasts);
		expect(node, SrpCounter.MEMB_COMMIT_TOKEN_TX, stats, node.commitTokensSent);
		expect(node, SrpCounter.ORF_TOKEN_TX, stats, node.initialTokensSent);
		expect(node, SrpCounter.MEMB_MERGE_DETECT_TX, stats, sent(node, MessageType.MEMB_MERGE_DETECT));
		expect(node, SrpCounter.TOKEN_HOLD_CANCEL_TX, stats, sent(node, MessageType.TOKEN_HOLD_CANCEL));
		if (node.srp().stats().get(SrpCounter.MEMB_JOIN_TX) < sent(node, MessageType.MEMB_JOIN)) {
			fail(node + " sent more joins than it counted");
		}
		expect(node, SrpCounter.ORF_TOKEN_RX, stats, received(node, MessageType.ORF_TOKEN));
		expect(node, SrpCounter.MCAST_RX, stats, received(node, MessageType.MCAST));
		expect(node, SrpCounter.MEMB_JOIN_RX, stats, received(node, MessageType.MEMB_JOIN));
		expect(node, SrpCounter.MEMB_COMMIT_TOKEN_RX, stats, received(node, MessageType.MEMB_COMMIT_TOKEN));
		expect(node, SrpCounter.MEMB_MERGE_DETECT_RX, stats, received(node, MessageType.MEMB_MERGE_DETECT));
		expect(node, SrpCounter.TOKEN_HOLD_CANCEL_RX, stats, received(node, MessageType.TOKEN_HOLD_CANCEL));
		expect(node, SrpCounter.OPERATIONAL_ENTERED, stats, p.regularConfigurations);
		if (stats.get(SrpCounter.COMMIT_ENTERED) < p.regularConfigurations
				|| stats.get(SrpCounter.RECOVERY_ENTERED) < p.regularConfigurations) {
			fail(node + " entered OPERATIONAL more often than COMMIT or RECOVERY: " + stats.counters());
		}
	}

	private static long sent(SimNode node, MessageType type) {
		return node.sent.getOrDefault(type, 0L);
	}

	private static long received(SimNode node, MessageType type) {
		return node.received.getOrDefault(type, 0L);
	}

	private void expect(SimNode node, SrpCounter counter, SrpStats stats, long expected) {
		if (stats.get(counter) != expected) {
			fail(node + " counted " + counter.key() + " = " + stats.get(counter) + ", the simulation saw " + expected);
		}
	}

	long regularConfigurations() {
		long total = 0;
		for (Process p : this.processes) {
			total += p.regularConfigurations;
		}
		return total;
	}

	private void fail(String message) {
		throw this.sim.failure(message, null);
	}

	// ---------------------------------------------------------------------------------------------

	private record Placement(RingId ring, long seq) {

		@Override
		public String toString() {
			return this.ring + "#" + Long.toHexString(this.seq);
		}

	}

	private record WireKey(RingId ring, long seq, int encapsulation) {
	}

	private record TransitionKey(RingId newRing, RingId oldRing) {
	}

	private static final class Process {

		final SimNode node;

		final int incarnation;

		final List<MessageId> delivered = new ArrayList<>();

		final Map<MessageId, Integer> index = new HashMap<>();

		final Set<MessageId> accepted = new LinkedHashSet<>();

		final Map<RingId, Set<MessageId>> perRing = new HashMap<>();

		@Nullable RingId regularRing;

		List<Long> regularMembers = List.of();

		boolean transitional;

		List<Long> transitionalMembers = List.of();

		@Nullable RingId previousRing;

		@Nullable RingId pendingRing;

		@Nullable RingId lastRing;

		long lastSeq;

		long regularConfigurations;

		Process(SimNode node, int incarnation) {
			this.node = node;
			this.incarnation = incarnation;
		}

		@Override
		public String toString() {
			return "n" + this.node.nodeid + "/" + this.incarnation;
		}

	}

}
