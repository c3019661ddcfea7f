package io.corosync4j.engine.totem.srp;

import java.util.HashSet;
import java.util.Set;

import io.corosync4j.engine.totem.srp.Simulation.Event;
import io.corosync4j.engine.totem.wire.DecodeResult;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.MessageType;
import io.corosync4j.engine.totem.wire.TotemCodec;
import io.corosync4j.engine.totem.wire.TotemMessage;
import io.netty.buffer.Unpooled;

/**
 * The simulated network with udpu semantics: a multicast is one datagram to every node, the sender
 * included; a token is one datagram to its target. Every datagram is encoded and decoded with the real
 * codec and suffers, by the seeded random source, loss, duplication and a latency drawn per copy (which
 * reorders). Partitions split the nodes into groups that cannot reach each other; a "deaf" node loses
 * every multicast data message from others (the FAILED TO RECEIVE case).
 */
final class SimNetwork {

	private final Simulation sim;

	private long minLatency = 50_000;

	private long maxLatency = 500_000;

	private double loss;

	private double duplication;

	private int[] partition = new int[0];

	private final Set<Long> deaf = new HashSet<>();

	SimNetwork(Simulation sim) {
		this.sim = sim;
	}

	void latency(long minNanos, long maxNanos) {
		this.minLatency = minNanos;
		this.maxLatency = maxNanos;
	}

	void faults(double loss, double duplication) {
		this.loss = loss;
		this.duplication = duplication;
	}

	/** Puts each node in the group given by its position: {@code groups[nodeid - 1]}. */
	void partition(int... groups) {
		this.partition = groups.clone();
	}

	void heal() {
		this.partition = new int[0];
		this.deaf.clear();
		this.loss = 0;
		this.duplication = 0;
	}

	void deafen(long nodeid) {
		this.deaf.add(nodeid);
	}

	void multicast(SimNode from, TotemMessage message) {
		byte[] bytes = TotemCodec.encode(message);
		if (message instanceof Mcast mcast) {
			this.sim.invariants.onWire(from, mcast);
		}
		for (SimNode to : this.sim.nodes) {
			send(from, to, bytes, message);
		}
	}

	void unicast(SimNode from, long target, TotemMessage message) {
		send(from, this.sim.node(target), TotemCodec.encode(message), message);
	}

	private boolean reachable(SimNode from, SimNode to) {
		if (this.partition.length == 0) {
			return true;
		}
		return this.partition[(int) from.nodeid - 1] == this.partition[(int) to.nodeid - 1];
	}

	private void send(SimNode from, SimNode to, byte[] bytes, TotemMessage message) {
		MessageType type = message.type();
		if (from != to) {
			if (!reachable(from, to) || (type == MessageType.MCAST && this.deaf.contains(to.nodeid))
					|| this.sim.random.nextDouble() < this.loss) {
				return;
			}
		}
		int copies = (from != to && this.sim.random.nextDouble() < this.duplication) ? 2 : 1;
		for (int i = 0; i < copies; i++) {
			long latency = (from == to) ? this.minLatency / 2
					: this.minLatency + this.sim.random.nextLong(this.maxLatency - this.minLatency + 1);
			this.sim.after(latency, to, Event.Kind.PACKET, message, () -> {
				DecodeResult decoded = TotemCodec.decode(Unpooled.wrappedBuffer(bytes));
				if (!(decoded instanceof TotemMessage received)) {
					throw new AssertionError("the codec rejected its own encoding: " + decoded);
				}
				to.receive(received);
			});
		}
	}

}
