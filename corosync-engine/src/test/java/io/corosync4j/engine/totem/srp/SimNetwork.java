package io.corosync4j.engine.totem.srp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.corosync4j.engine.totem.srp.Simulation.Event;
import io.corosync4j.engine.totem.wire.DecodeResult;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.MessageType;
import io.corosync4j.engine.totem.wire.TotemCodec;
import io.corosync4j.engine.totem.wire.TotemMessage;
import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import io.corosync4j.engine.config.CryptoModel;
import io.corosync4j.engine.config.LinkMode;
import io.corosync4j.engine.crypto.PacketCrypto;
import io.corosync4j.engine.transport.knet.KnetHandle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * The simulated network with udpu semantics: a multicast is one datagram to every node, the sender
 * included; a token is one datagram to its target. Every datagram is encoded and decoded with the real
 * codec and suffers, by the seeded random source, loss, duplication and a latency drawn per copy (which
 * reorders). Partitions split the nodes into groups that cannot reach each other; a "deaf" node loses
 * every multicast data message from others (the FAILED TO RECEIVE case). A one-way partition lets
 * only a higher group reach a lower one; loss can hit one kind of message only (the token, or joins,
 * as a filter on the Totem type byte does); a few datagrams can arrive late, up to the token
 * retransmit timeout.
 *
 * <p>With {@link #knet}, every node runs a real {@link KnetHandle} with several links and aes256/sha256:
 * Totem messages travel as sealed knet DATA packets chosen by the link mode, heartbeats decide which
 * links are up, and the faults apply per datagram and link; {@link #cutLink} drops everything on one link.
 */
final class SimNetwork {

	private final Simulation sim;

	private long minLatency = 50_000;

	private long maxLatency = 500_000;

	private double loss;

	private double duplication;

	private int[] partition = new int[0];

	private final Set<Long> deaf = new HashSet<>();

	private final List<Rule> rules = new ArrayList<>();

	private boolean oneWay;

	private final Map<MessageType, Double> lossByType = new EnumMap<>(MessageType.class);

	private double lateProbability;

	private long lateMax;

	private int links;

	private LinkMode linkMode = LinkMode.PASSIVE;

	private byte @Nullable [] key;

	private final Set<Integer> cutLinks = new HashSet<>();

	SimNetwork(Simulation sim) {
		this.sim = sim;
	}

	/** Runs every node's traffic through knet with {@code links} links (set before the nodes start). */
	void knet(int links, LinkMode mode, byte[] key) {
		this.links = links;
		this.linkMode = mode;
		this.key = key.clone();
	}

	boolean knet() {
		return this.links > 0;
	}

	/** Drops every datagram on {@code link} until {@link #restoreLink}. */
	void cutLink(int link) {
		this.cutLinks.add(link);
	}

	void restoreLink(int link) {
		this.cutLinks.remove(link);
	}

	static InetSocketAddress knetAddress(long nodeid, int link) {
		return new InetSocketAddress("10." + link + "." + (nodeid >> 8) + "." + (nodeid & 0xFF), 5405 + link);
	}

	/** A node's knet handle for a new incarnation, sending through this network. */
	KnetHandle knetHandle(SimNode node, long pingInterval, long pongTimeout) {
		List<KnetHandle.LinkSettings> settings = new ArrayList<>();
		for (int link = 0; link < this.links; link++) {
			settings.add(new KnetHandle.LinkSettings(link, 1, pingInterval, pongTimeout, 2, 2048));
		}
		Map<Long, Map<Integer, InetSocketAddress>> hosts = new LinkedHashMap<>();
		for (SimNode other : this.sim.nodes) {
			Map<Integer, InetSocketAddress> addresses = new LinkedHashMap<>();
			for (int link = 0; link < this.links; link++) {
				addresses.put(link, knetAddress(other.nodeid, link));
			}
			hosts.put(other.nodeid, addresses);
		}
		PacketCrypto crypto = PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, CryptoModel.JCA, this.key);
		return new KnetHandle(node.nodeid, this.linkMode, settings, hosts, crypto,
				KnetHandle.dataMtu(1500, false, crypto), UnpooledByteBufAllocator.DEFAULT, new KnetHandle.Output() {

					@Override
					public void send(int link, InetSocketAddress target, ByteBuf datagram) {
						sendDatagram(node, link, target, ByteBufUtil.getBytes(datagram));
						datagram.release();
					}

					@Override
					public void deliver(long source, boolean broadcast, ByteBuf message) {
						DecodeResult decoded = TotemCodec.decode(message);
						if (!(decoded instanceof TotemMessage received)) {
							throw new AssertionError("knet delivered bytes that are not a Totem message: " + decoded);
						}
						if (received.type() == MessageType.MCAST && SimNetwork.this.deaf.contains(node.nodeid)) {
							return;
						}
						SimNetwork.this.sim.trace.add(SimNetwork.this.sim.now(), node, "KNET", received);
						node.receive(received);
					}

				});
	}

	private void sendDatagram(SimNode from, int link, InetSocketAddress target, byte[] datagram) {
		byte[] address = target.getAddress().getAddress();
		SimNode to = this.sim.node(((address[2] & 0xFF) << 8) | (address[3] & 0xFF));
		if (this.cutLinks.contains(link) || !reachable(from, to) || this.sim.random.nextDouble() < this.loss) {
			return;
		}
		int copies = (this.sim.random.nextDouble() < this.duplication) ? 2 : 1;
		for (int i = 0; i < copies; i++) {
			long latency = this.minLatency + this.sim.random.nextLong(this.maxLatency - this.minLatency + 1);
			this.sim.after(latency, to, Event.Kind.PACKET, "knet link " + link + " from " + from.nodeid, () -> {
				KnetHandle handle = to.knet();
				if (handle != null) {
					handle.received(link, knetAddress(from.nodeid, link), Unpooled.wrappedBuffer(datagram), this.sim.now());
				}
			});
		}
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
		this.oneWay = false;
	}

	/** As {@link #partition}, but a node still reaches the nodes of lower groups (a one-way cut). */
	void partitionOneWay(int... groups) {
		this.partition = groups.clone();
		this.oneWay = true;
	}

	/** Loses this share of the messages of one type only, on udpu (knet hides the type). */
	void loseOnly(MessageType type, double share) {
		if (share > 0) {
			this.lossByType.put(type, share);
		}
		else {
			this.lossByType.remove(type);
		}
	}

	/** Delays this share of the datagrams by up to {@code maxNanos} more. */
	void late(double probability, long maxNanos) {
		this.lateProbability = probability;
		this.lateMax = maxNanos;
	}

	void heal() {
		this.partition = new int[0];
		this.oneWay = false;
		this.lossByType.clear();
		this.lateProbability = 0;
		this.cutLinks.clear();
		this.deaf.clear();
		this.loss = 0;
		this.duplication = 0;
	}

	void deafen(long nodeid) {
		this.deaf.add(nodeid);
	}

	void multicast(SimNode from, TotemMessage message, boolean includingSelf) {
		byte[] bytes = TotemCodec.encode(message);
		if (message instanceof Mcast mcast) {
			this.sim.invariants.onWire(from, mcast);
		}
		if (knet()) {
			if (includingSelf) {
				send(from, from, bytes, message);
			}
			from.knet().broadcast(Unpooled.wrappedBuffer(bytes), this.sim.now());
			return;
		}
		for (SimNode to : this.sim.nodes) {
			if (includingSelf || to != from) {
				send(from, to, bytes, message);
			}
		}
	}

	void unicast(SimNode from, long target, TotemMessage message) {
		byte[] bytes = TotemCodec.encode(message);
		if (knet() && target != from.nodeid) {
			from.knet().unicast(target, Unpooled.wrappedBuffer(bytes), this.sim.now());
			return;
		}
		send(from, this.sim.node(target), bytes, message);
	}

	private boolean reachable(SimNode from, SimNode to) {
		if (this.partition.length == 0) {
			return true;
		}
		int fromGroup = this.partition[(int) from.nodeid - 1];
		int toGroup = this.partition[(int) to.nodeid - 1];
		return fromGroup == toGroup || (this.oneWay && fromGroup > toGroup);
	}

	/** Loses every packet {@code rule} picks: for runs that stage one exact fault. */
	void lose(Rule rule) {
		this.rules.add(rule);
	}

	/** Picks packets to lose by who sends what to whom, and when. */
	@FunctionalInterface
	interface Rule {

		boolean loses(SimNode from, SimNode to, TotemMessage message);

	}

	private void send(SimNode from, SimNode to, byte[] bytes, TotemMessage message) {
		MessageType type = message.type();
		if (from != to) {
			if (!reachable(from, to) || (type == MessageType.MCAST && this.deaf.contains(to.nodeid))
					|| this.rules.stream().anyMatch((rule) -> rule.loses(from, to, message))
					|| this.sim.random.nextDouble() < this.loss) {
				return;
			}
			Double typeLoss = this.lossByType.get(type);
			if (typeLoss != null && this.sim.random.nextDouble() < typeLoss) {
				return;
			}
		}
		int copies = (from != to && this.sim.random.nextDouble() < this.duplication) ? 2 : 1;
		for (int i = 0; i < copies; i++) {
			long latency = (from == to) ? this.minLatency / 2
					: this.minLatency + this.sim.random.nextLong(this.maxLatency - this.minLatency + 1);
			if (from != to && this.lateProbability > 0 && this.sim.random.nextDouble() < this.lateProbability) {
				latency += this.sim.random.nextLong(this.lateMax + 1);
			}
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
