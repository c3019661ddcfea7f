package io.corosync4j.engine.replica;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.corosync4j.engine.replica.ReplicaMessage.Chunk;
import io.corosync4j.engine.totem.wire.RingId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members of one replicated group driven by hand through one agreed order: every message a member sends
 * goes through the codec and is delivered to every member, in one sequence, as CPG delivers it. For
 * tests of a service's {@link ReplicatedState} with the real protocol around it.
 */
public final class ReplicaTestGroup {

	/** The members now in the group, by member. */
	public final Map<Member, Node> nodes = new LinkedHashMap<>();

	/** Every member that ever joined. */
	public final List<Node> all = new ArrayList<>();

	private final ArrayDeque<Sent> order = new ArrayDeque<>();

	/** Whether the component is primary at the next deliveries. */
	public boolean primary = true;

	/** The ring's sequence number: every change comes with a new ring. */
	public long ringSeq;

	/** A process with pid (and nodeid) {@code pid} joins, running the state {@code states} makes. */
	public Node join(long pid, Function<ReplicaView, ReplicatedState> states) {
		Node node = new Node(new Member(pid, pid), states);
		this.nodes.put(node.member, node);
		this.all.add(node);
		change(List.of(), Set.of());
		return node;
	}

	/** A process leaves; {@code nodeDown}: with its node. What it sent and was not delivered is lost. */
	public void leave(Node node, boolean nodeDown) {
		this.nodes.remove(node.member);
		this.order.removeIf((sent) -> sent.from.equals(node.member));
		change(List.of(node.member), nodeDown ? Set.of(node.member) : Set.of());
	}

	private void change(List<Member> left, Set<Member> nodesDown) {
		RingId ring = nextRing();
		List<Member> members = new ArrayList<>(new TreeSet<>(this.nodes.keySet()));
		for (Node node : List.copyOf(this.nodes.values())) {
			node.protocol.changed(ring, members, left, nodesDown);
		}
	}

	/**
	 * The ring splits into {@code side} and the rest and merges again at once, as CPG reports it when the
	 * two sides meet in one new ring: each side first sees the other leave with its nodes, then everybody
	 * sees the whole group again. What was sent and not delivered is delivered after.
	 */
	public void splitAndMerge(Set<Node> side) {
		RingId ring = nextRing();
		List<Member> members = new ArrayList<>(new TreeSet<>(this.nodes.keySet()));
		List<Member> inside = members.stream().filter((member) -> side.contains(this.nodes.get(member))).toList();
		List<Member> outside = members.stream().filter((member) -> !inside.contains(member)).toList();
		for (Node node : List.copyOf(this.nodes.values())) {
			boolean in = side.contains(node);
			List<Member> gone = in ? outside : inside;
			node.protocol.changed(ring, in ? inside : outside, gone, Set.copyOf(gone));
		}
		for (Node node : List.copyOf(this.nodes.values())) {
			node.protocol.changed(ring, members, List.of(), Set.of());
		}
	}

	private RingId nextRing() {
		this.ringSeq += 4;
		for (Node node : this.nodes.values()) {
			node.protocol.ring(this.ringSeq);
		}
		return new RingId(1, this.ringSeq);
	}

	/** Delivers the next message to every member; false when none is left. */
	public boolean step() {
		Sent next = this.order.poll();
		if (next == null) {
			return false;
		}
		ReplicaMessage message = ReplicaCodec.decode(next.bytes);
		assertThat(message).isNotNull();
		for (Node node : List.copyOf(this.nodes.values())) {
			node.protocol.deliver(next.from, message, this.primary);
		}
		return true;
	}

	/** Delivers until nothing is left, running {@code check} after each delivery. */
	public void run(Runnable check) {
		for (int i = 0; i < 1_000_000 && step(); i++) {
			check.run();
		}
		assertThat(this.order).isEmpty();
	}

	/** Queues a message as if {@code from} had sent it (a forged or broken one). */
	void inject(Member from, ReplicaMessage message) {
		this.order.add(new Sent(from, ReplicaCodec.encode(message)));
	}

	/** Whether the next message is the last chunk of a state transfer. */
	public boolean nextIsLastChunk() {
		Sent next = this.order.peek();
		return next != null && ReplicaCodec.decode(next.bytes) instanceof Chunk chunk && chunk.last();
	}

	/** Whether the next message is a chunk of a state transfer. */
	public boolean nextIsChunk() {
		Sent next = this.order.peek();
		return next != null && ReplicaCodec.decode(next.bytes) instanceof Chunk;
	}

	/** Messages not delivered yet. */
	public int pending() {
		return this.order.size();
	}

	/** Every member holding the state holds the same: the same snapshot bytes. */
	public void assertAgreement() {
		byte[] first = null;
		Node firstNode = null;
		for (Node node : this.nodes.values()) {
			if (!node.holdsState) {
				continue;
			}
			byte[] snapshot = node.snapshot();
			if (first == null) {
				first = snapshot;
				firstNode = node;
			}
			else {
				assertThat(snapshot).as(node.member + " against " + firstNode.member).isEqualTo(first);
			}
		}
	}

	/** One member of the group. */
	public final class Node {

		public final Member member;

		public final ReplicatedState state;

		final ReplicaProtocol protocol;

		/** Whether the member holds the state, as the protocol told it. */
		public boolean holdsState;

		/** How often the member came to hold the state. */
		public int synchronizations;

		/** This member's operations as delivered: {@code true} where applied. */
		public final List<Boolean> ownDelivered = new ArrayList<>();

		Node(Member member, Function<ReplicaView, ReplicatedState> states) {
			this.member = member;
			this.protocol = new ReplicaProtocol(member, new ReplicaProtocol.Effects() {

				@Override
				public void send(ReplicaMessage message) {
					ReplicaTestGroup.this.order.add(new Sent(member, ReplicaCodec.encode(message)));
				}

				@Override
				public void synchronizedChanged(boolean synced) {
					Node.this.holdsState = synced;
					if (synced) {
						Node.this.synchronizations++;
					}
				}

				@Override
				public void delivered(Member from, byte[] operation, boolean applied) {
					if (from.equals(member)) {
						Node.this.ownDelivered.add(applied);
					}
				}

			});
			this.state = states.apply(this.protocol);
			this.protocol.replicate(this.state);
		}

		public ReplicaView view() {
			return this.protocol;
		}

		/** Multicasts an operation. */
		public void send(byte[] operation) {
			ReplicaTestGroup.this.order.add(new Sent(this.member, ReplicaCodec.encode(new ReplicaMessage.Operation(operation))));
		}

		/** Multicasts this member's status again, as a change of quorum makes it. */
		public void poke() {
			this.protocol.poke();
		}

		/** The state as a member joining now would receive it (the service's part). */
		public byte[] snapshot() {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (DataOutputStream out = new DataOutputStream(bytes)) {
				this.state.writeSnapshot(out);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return bytes.toByteArray();
		}

		@Override
		public String toString() {
			return this.member.toString();
		}

	}

	private record Sent(Member from, byte[] bytes) {
	}

}
