package io.corosync4j.engine.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.corosync4j.engine.fixtures.MessageId;
import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.srp.ConfigurationType;
import io.corosync4j.engine.totem.wire.RingId;

/**
 * The simulation's extended-virtual-synchrony checks applied to what real nodes deliver: no duplicates,
 * one agreed order, each message delivered in one ring only, agreement on regular and transitional
 * memberships, the same old-ring messages for processes that move to a new ring together, and in the
 * end every live process has delivered its own messages. Callbacks arrive from several event loops.
 */
final class DeliveryChecker {

	/** One incarnation of a node. */
	final class Process {

		final long nodeid;

		final int incarnation;

		final List<MessageId> delivered = new ArrayList<>();

		final Map<MessageId, Integer> index = new HashMap<>();

		final Set<MessageId> accepted = new LinkedHashSet<>();

		final Map<RingId, Set<MessageId>> perRing = new HashMap<>();

		RingId regular;

		RingId previous;

		boolean transitional;

		boolean alive = true;

		long counter;

		Process(long nodeid, int incarnation) {
			this.nodeid = nodeid;
			this.incarnation = incarnation;
		}

		MessageId next() {
			return new MessageId(this.nodeid, this.incarnation, ++this.counter);
		}

		@Override
		public String toString() {
			return "n" + this.nodeid + "/" + this.incarnation;
		}

	}

	private final List<Process> processes = new ArrayList<>();

	private final Map<MessageId, RingId> ringOf = new HashMap<>();

	private final Map<RingId, List<Long>> regularMembers = new HashMap<>();

	private final Map<String, List<Long>> transitionalMembers = new HashMap<>();

	private final Map<String, Set<MessageId>> oldRingDeliveries = new HashMap<>();

	private final List<String> violations = new ArrayList<>();

	long deliveries;

	long configurations;

	synchronized Process started(long nodeid, int incarnation) {
		Process process = new Process(nodeid, incarnation);
		this.processes.add(process);
		return process;
	}

	synchronized void stopped(Process process) {
		process.alive = false;
	}

	synchronized void accepted(Process process, MessageId id) {
		process.accepted.add(id);
	}

	synchronized void delivered(Process p, long from, byte[] payload) {
		this.deliveries++;
		MessageId id = MessageId.of(payload);
		if (id.nodeid() != from) {
			violation(p + " got " + id + " attributed to node " + from);
		}
		if (p.index.containsKey(id)) {
			violation(p + " delivered " + id + " twice");
			return;
		}
		RingId ring = p.transitional ? p.previous : p.regular;
		// a listener registered after the ring formed has not seen a configuration yet
		RingId earlier = (ring != null) ? this.ringOf.putIfAbsent(id, ring) : null;
		if (earlier != null && !earlier.equals(ring)) {
			violation(id + " was delivered in ring " + earlier + " and, by " + p + ", in ring " + ring);
		}
		for (Process q : this.processes) {
			Integer at = (q != p) ? q.index.get(id) : null;
			if (at == null) {
				continue;
			}
			for (int k = at + 1; k < q.delivered.size(); k++) {
				if (p.index.containsKey(q.delivered.get(k))) {
					violation("agreed order broken: " + q + " delivered " + id + " before " + q.delivered.get(k) + ", " + p
							+ " the other way round");
				}
			}
		}
		p.index.put(id, p.delivered.size());
		p.delivered.add(id);
		if (ring != null) {
			p.perRing.computeIfAbsent(ring, (key) -> new HashSet<>()).add(id);
		}
	}

	synchronized void configuration(Process p, ConfigurationChange change) {
		this.configurations++;
		if (change.type() == ConfigurationType.TRANSITIONAL) {
			if (p.regular != null) {
				agree(this.transitionalMembers, change.ringId() + "<" + p.regular, change.members(),
						p + " transitional configuration");
			}
			p.transitional = true;
			p.previous = p.regular;
			return;
		}
		agree(this.regularMembers, change.ringId(), change.members(), p + " regular configuration");
		if (p.previous != null) {
			Set<MessageId> old = p.perRing.getOrDefault(p.previous, Set.of());
			Set<MessageId> other = this.oldRingDeliveries.putIfAbsent(change.ringId() + "<" + p.previous, Set.copyOf(old));
			if (other != null && !other.equals(old)) {
				violation(p + " moved from " + p.previous + " to " + change.ringId()
						+ " with other old-ring messages than its transitional peers");
			}
		}
		p.transitional = false;
		p.regular = change.ringId();
	}

	private <K> void agree(Map<K, List<Long>> agreed, K key, List<Long> members, String what) {
		List<Long> earlier = agreed.putIfAbsent(key, List.copyOf(members));
		if (earlier != null && !earlier.equals(members)) {
			violation(what + " " + key + " has members " + members + ", others saw " + earlier);
		}
	}

	/** Messages of live processes they have not delivered to themselves yet. */
	synchronized List<MessageId> undeliveredOwnMessages() {
		List<MessageId> missing = new ArrayList<>();
		for (Process p : this.processes) {
			if (p.alive) {
				for (MessageId id : p.accepted) {
					if (!p.index.containsKey(id)) {
						missing.add(id);
					}
				}
			}
		}
		return missing;
	}

	synchronized List<String> violations() {
		return List.copyOf(this.violations);
	}

	private void violation(String text) {
		if (this.violations.size() < 20) {
			this.violations.add(text);
		}
	}

}
