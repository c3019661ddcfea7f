package io.corosync4j.engine.totem.srp;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

import io.corosync4j.engine.fixtures.CpgChecker;

import io.corosync4j.engine.config.ConfigMap;
import io.corosync4j.engine.config.ConfigOrigin;
import io.corosync4j.engine.config.TotemTimers;
import io.corosync4j.engine.config.ValueType;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic run of N Totem nodes on a virtual clock: one event queue ordered by (time, insertion),
 * one seeded random source, a simulated network, and the invariant checker run after every event. The
 * same seed replays the same run event for event.
 */
final class Simulation {

	static final long MS = 1_000_000L;

	/** No run needs more; beyond it something spins (a zero-delay timer loop, a message storm). */
	private static final long EVENT_LIMIT = 5_000_000;

	final long seed;

	final SplittableRandom random;

	final SimNetwork network;

	final Invariants invariants;

	/** The last events, for the failure report; {@code -Dcorosync4j.simulation.trace=N} keeps more. */
	final Trace trace = new Trace(Integer.getInteger("corosync4j.simulation.trace", 600));

	final List<SimNode> nodes = new ArrayList<>();

	/** Set before the nodes start: they run totempg, sync and CPG, checked by {@link #cpg}. */
	boolean services;

	final CpgChecker cpg = new CpgChecker();

	/** With {@link #services}: told each time a node's services start, to run more on them (the lock service). */
	java.util.function.@Nullable Consumer<SimNode.Services> servicesStarted;

	/** Virtual synchrony of the whole messages totempg delivers, with {@link #services}. */
	final TotempgChecker totempg = new TotempgChecker();

	/**
	 * With {@link #services}: the nodes that behave as Corosync daemons do (they neither announce
	 * themselves as corosync4j nor repair their messages that membership changes cut); with any of them in
	 * a ring, the others follow Corosync's rule for cut fragment chains too.
	 */
	final java.util.Set<Long> corosyncNodes = new java.util.HashSet<>();

	private final PriorityQueue<Event> queue = new PriorityQueue<>();

	private long now;

	private long insertion;

	private long events;

	private int sequenceStart;

	Simulation(long seed) {
		this.seed = seed;
		this.random = new SplittableRandom(seed);
		this.network = new SimNetwork(this);
		this.invariants = new Invariants(this);
	}

	/** Adds nodes 1..count with settings made from their node id (not started). */
	List<SimNode> addNodes(int count, LongFunction<SrpSettings> settings) {
		List<SimNode> added = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			SimNode node = new SimNode(this, this.nodes.size() + 1, settings);
			this.nodes.add(node);
			added.add(node);
		}
		return added;
	}

	/** Every ring starts its sequence numbers at {@code start} (0 on real wires). */
	void startSequenceAt(int start) {
		this.sequenceStart = start;
	}

	int sequenceStart() {
		return this.sequenceStart;
	}

	SimNode node(long nodeid) {
		return this.nodes.get((int) nodeid - 1);
	}

	long now() {
		return this.now;
	}

	long events() {
		return this.events;
	}

	Event at(long time, @Nullable SimNode node, Event.Kind kind, Object detail, Runnable action) {
		Event event = new Event(Math.max(time, this.now), this.insertion++, node, kind, detail, action);
		this.queue.add(event);
		return event;
	}

	Event after(long delay, @Nullable SimNode node, Event.Kind kind, Object detail, Runnable action) {
		return at(this.now + delay, node, kind, detail, action);
	}

	/** Runs every event up to {@code time}, checking the invariants after each. */
	void runUntil(long time) {
		try {
			while (!this.queue.isEmpty() && this.queue.peek().time <= time) {
				Event event = this.queue.poll();
				if (event.cancelled) {
					continue;
				}
				this.now = event.time;
				SimNode node = event.node;
				if (node != null && node.defer(event)) {
					continue;
				}
				run(event);
				if (this.events > EVENT_LIMIT) {
					throw new AssertionError("more than " + EVENT_LIMIT + " events: a livelock or a storm");
				}
			}
			this.now = Math.max(this.now, time);
		}
		catch (Throwable ex) {
			throw failure(ex.toString(), ex);
		}
	}

	void run(Event event) {
		this.trace.add(this.now, (event.node != null) ? event.node : "sim", event.kind.name(), event.detail);
		event.action.run();
		this.events++;
		this.invariants.afterEvent();
	}

	AssertionError failure(String message, @Nullable Throwable cause) {
		AssertionError error = new AssertionError("seed " + this.seed + " at t=" + (this.now / 1e9) + " s: " + message
				+ "\n" + describeNodes() + this.trace.format(), cause);
		return error;
	}

	String describeNodes() {
		StringBuilder out = new StringBuilder();
		for (SimNode node : this.nodes) {
			out.append("  ").append(node.describe()).append('\n');
		}
		return out.toString();
	}

	/** The default Corosync timers for a ring of {@code members} nodes, optionally with another token. */
	static TotemTimers timers(int members, long token) {
		return timers(members, token, 0);
	}

	/** Corosync's timers for {@code members} nodes with {@code token} and {@code send_join} (0 = default). */
	static TotemTimers timers(int members, long token, long sendJoin) {
		ConfigMap.Builder map = ConfigMap.builder("simulation");
		if (token > 0) {
			map.putNumber("totem.token", ValueType.UINT32, token, ConfigOrigin.DEFAULT);
		}
		if (sendJoin > 0) {
			map.putNumber("totem.send_join", ValueType.UINT32, sendJoin, ConfigOrigin.DEFAULT);
		}
		return TotemTimers.derive(map.build(), members);
	}

	/** One scheduled thing: a packet arrival, a timer, a fault or a workload step. */
	static final class Event implements Comparable<Event> {

		enum Kind {

			PACKET, TIMER, CONTROL

		}

		final long time;

		final long insertion;

		final @Nullable SimNode node;

		final Kind kind;

		final Object detail;

		final Runnable action;

		boolean cancelled;

		Event(long time, long insertion, @Nullable SimNode node, Kind kind, Object detail, Runnable action) {
			this.time = time;
			this.insertion = insertion;
			this.node = node;
			this.kind = kind;
			this.detail = detail;
			this.action = action;
		}

		@Override
		public int compareTo(Event other) {
			int byTime = Long.compare(this.time, other.time);
			return (byTime != 0) ? byTime : Long.compare(this.insertion, other.insertion);
		}

	}

}
