package io.corosync4j.engine.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.config.LinkMode;
import io.corosync4j.engine.crypto.PacketCrypto;
import io.corosync4j.engine.transport.knet.KnetHandle;
import io.corosync4j.engine.transport.knet.KnetLinkStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knet transport: one UDP socket per configured link (up to eight), with everything libknet does
 * in a {@link KnetHandle} (heartbeats, link choice, crypto, de-duplication across links, fragments). Totem
 * multicasts go to every reachable host and loop back locally; tokens go to their target only, whose
 * node id knet's destination filter reads from the Totem header. Runs on the node's event loop.
 */
public final class KnetTransport extends DatagramTransport {

	private static final Logger logger = LoggerFactory.getLogger(KnetTransport.class);


	/** libknet's heartbeat thread wakes every 200 ms. */
	private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private final long localNodeid;

	private final InetSocketAddress loopbackSender;

	private final @Nullable Channel[] channels = new Channel[KnetHandle.MAX_LINKS];

	private final boolean[] written = new boolean[KnetHandle.MAX_LINKS];

	private final EventLoop loop;

	private final KnetHandle handle;

	private final ScheduledFuture<?> heartbeat;

	private InetSocketAddress currentSender;

	private final PacketCrypto crypto;

	private final List<Link> links;

	private final int knetMtu;

	private final @Nullable ScheduledFuture<?> pmtud;

	/**
	 * A link of this node.
	 *
	 * @param bind the local address and port of the link
	 * @param settings its heartbeat settings
	 */
	public record Link(InetSocketAddress bind, KnetHandle.LinkSettings settings) {
	}

	private KnetTransport(long localNodeid, LinkMode mode, List<Link> links,
			Map<Long, Map<Integer, InetSocketAddress>> hosts, PacketCrypto crypto, int knetMtu,
			long pmtudIntervalSeconds, EventLoop loop, Receiver receiver) {
		super(describe(mode, links, crypto, hosts.size()), firstLink(hosts), receiver);
		this.localNodeid = localNodeid;
		this.loop = loop;
		this.loopbackSender = links.get(0).bind();
		this.currentSender = this.loopbackSender;
		this.crypto = crypto;
		this.links = List.copyOf(links);
		this.knetMtu = knetMtu;
		this.handle = new KnetHandle(localNodeid, mode, links.stream().map(Link::settings).toList(), hosts, crypto,
				KnetHandle.dataMtu(pathMtu(), this.loopbackSender, crypto), PooledByteBufAllocator.DEFAULT, new Output());
		long tick = TICK_NANOS;
		try {
			for (Link link : links) {
				int id = link.settings().id();
				this.channels[id] = bind(link.bind(), id, loop);
				tick = Math.min(tick, Math.max(TimeUnit.MILLISECONDS.toNanos(10), link.settings().pingIntervalNanos() / 2));
			}
		}
		catch (RuntimeException ex) {
			closeChannels();
			throw ex;
		}
		this.heartbeat = loop.scheduleAtFixedRate(this::tick, 0, tick, TimeUnit.NANOSECONDS);
		this.pmtud = (knetMtu > 0) ? null
				: loop.scheduleAtFixedRate(this::rediscoverMtu, pmtudIntervalSeconds, Math.max(1, pmtudIntervalSeconds),
						TimeUnit.SECONDS);
		logger.info("Initializing transport (Kronosnet). {}; data MTU {}", this.stats.describe(), this.handle.dataMtu());
	}

	/**
	 * Binds every link's socket and starts the heartbeats.
	 * @param localNodeid this node
	 * @param mode {@code link_mode}
	 * @param links this node's links, link 0 (or the lowest) first
	 * @param hosts every nodelist member by node id with its address per link number
	 * @param crypto the packet crypto (none, or keyed from the authkey)
	 * @param knetMtu {@code knet_mtu}: the fixed path MTU, or 0 to follow the MTU of the links' interfaces
	 * @param pmtudIntervalSeconds {@code knet_pmtud_interval}: how often that MTU is looked at again
	 */
	public static KnetTransport open(long localNodeid, LinkMode mode, List<Link> links,
			Map<Long, Map<Integer, InetSocketAddress>> hosts, PacketCrypto crypto, int knetMtu,
			long pmtudIntervalSeconds, EventLoop loop, Receiver receiver) {
		if (links.isEmpty()) {
			throw new IllegalArgumentException("knet needs at least one link");
		}
		return new KnetTransport(localNodeid, mode, links, hosts, crypto, knetMtu, pmtudIntervalSeconds, loop,
				receiver);
	}

	private static String describe(LinkMode mode, List<Link> links, PacketCrypto crypto, int hosts) {
		StringJoiner joiner = new StringJoiner(", ", "knet (" + mode + ", " + crypto.implementation() + ") link ", " to "
				+ hosts + " members");
		for (Link link : links) {
			joiner.add(link.settings().id() + " " + link.bind().getAddress().getHostAddress() + ":" + link.bind().getPort());
		}
		return joiner.toString();
	}

	private static Map<Long, InetSocketAddress> firstLink(Map<Long, Map<Integer, InetSocketAddress>> hosts) {
		Map<Long, InetSocketAddress> first = new TreeMap<>();
		hosts.forEach((nodeid, links) -> links.values().stream().findFirst().ifPresent((a) -> first.put(nodeid, a)));
		return first;
	}

	private Channel bind(InetSocketAddress address, int link, EventLoop loop) {
		Bootstrap bootstrap = new Bootstrap().group(loop)
			.channelFactory(NettyDatagrams.channelFactory(address.getAddress()))
			.option(ChannelOption.SO_RCVBUF, NettyDatagrams.SOCKET_BUFFER)
			.option(ChannelOption.SO_SNDBUF, NettyDatagrams.SOCKET_BUFFER)
			.option(ChannelOption.RCVBUF_ALLOCATOR, NettyDatagrams.receiveAllocator())
			.option(ChannelOption.ALLOCATOR, NettyDatagrams.RECEIVE_ALLOCATOR)
			.handler(new Inbound(link));
		ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
		if (!bound.isSuccess()) {
			throw new TransportException("knet link " + link + " cannot bind " + address.getAddress().getHostAddress()
					+ " port " + address.getPort() + ": " + bound.cause().getMessage()
					+ " (is another corosync running, or is the address not on this host?)", bound.cause());
		}
		return bound.channel();
	}

	public int dataMtu() {
		return this.handle.dataMtu();
	}

	/**
	 * The path MTU: {@code knet_mtu}, else the smallest MTU of the links' interfaces (the JDK cannot set
	 * the don't-fragment flag that libknet's probes rely on, so the interfaces stand in for the paths).
	 */
	private int pathMtu() {
		if (this.knetMtu > 0) {
			return this.knetMtu;
		}
		int mtu = Integer.MAX_VALUE;
		for (Link link : this.links) {
			mtu = Math.min(mtu, NettyDatagrams.interfaceMtu(link.bind().getAddress()));
		}
		return mtu;
	}

	/** {@code knet_pmtud_interval}: an interface's MTU may have changed since. */
	private void rediscoverMtu() {
		this.handle.setDataMtu(KnetHandle.dataMtu(pathMtu(), this.loopbackSender, this.crypto));
	}

	/** Whether a link to {@code nodeid} is up. On the event loop. */
	public boolean reachable(long nodeid) {
		return this.handle.reachable(nodeid);
	}

	/** Packets that failed authentication (another authkey) or were not knet packets. On the event loop. */
	public long rejectedPackets() {
		return this.handle.rejected() + this.handle.invalidDigests();
	}

	/** Every remote host's links with their state and counters. On the event loop. */
	public List<KnetLinkStats> linkStats() {
		return this.handle.linkStats();
	}

	/** Enables or disables one of this node's links; the peers see it go down. On the event loop. */
	public void setLinkEnabled(int link, boolean enabled) {
		this.handle.setLinkEnabled(link, enabled);
		flushAll();
	}

	/** Whether this node's {@code link} is enabled. On the event loop. */
	public boolean linkEnabled(int link) {
		return this.handle.linkEnabled(link);
	}

	/** Replaces the hosts' addresses after a configuration reload. On the event loop. */
	public void updateHosts(Map<Long, Map<Integer, InetSocketAddress>> hosts) {
		this.handle.setHosts(hosts);
		super.updateMembers(firstLink(hosts));
	}

	// ---------------------------------------------------------------------------------------------
	// Sending

	@Override
	public void multicast(ByteBuf message) {
		try {
			broadcast(message);
			loopBack(message.retain());
		}
		finally {
			message.release();
		}
	}

	@Override
	public void multicastToPeers(ByteBuf message) {
		try {
			broadcast(message);
		}
		finally {
			message.release();
		}
	}

	private void broadcast(ByteBuf message) {
		setTarget(message, 0);
		this.handle.broadcast(message, System.nanoTime());
		// while a received packet is handled, its flush sends these with the token of this visit, if any
		if (!handlingReceived()) {
			flushAll();
		}
	}

	@Override
	public void unicast(long nodeid, ByteBuf message) {
		try {
			setTarget(message, nodeid);
			if (nodeid == this.localNodeid) {
				loopBack(message.retain());
				return;
			}
			if (!this.handle.unicast(nodeid, message, System.nanoTime())) {
				this.stats.sendErrors.incrementAndGet();
				logger.debug("Node {} is not reachable; its token is dropped", nodeid);
				return;
			}
			flushAll();
		}
		finally {
			message.release();
		}
	}

	/** This node's own messages come back through knet's loopback link, after what is being handled now. */
	private void loopBack(ByteBuf message) {
		this.loop.execute(() -> {
			try {
				super.receive(message, this.loopbackSender);
			}
			finally {
				message.release();
			}
		});
	}

	/** knet's destination filter reads Totem's target node id: 0 broadcasts, else the only host. */
	private static void setTarget(ByteBuf message, long nodeid) {
		if (message.readableBytes() >= 13) {
			int index = message.readerIndex() + 9;
			if (message.getByte(message.readerIndex()) == 0x70) {
				message.setIntLE(index, (int) nodeid);
			}
			else {
				message.setInt(index, (int) nodeid);
			}
		}
	}

	private void tick() {
		this.handle.tick(System.nanoTime());
		flushAll();
	}

	private void flushAll() {
		for (int link = 0; link < KnetHandle.MAX_LINKS; link++) {
			Channel channel = this.channels[link];
			if (this.written[link] && channel != null) {
				this.written[link] = false;
				channel.flush();
			}
		}
	}

	/** Where the handle's packets and messages go. */
	private final class Output implements KnetHandle.Output {

		@Override
		public void send(int link, InetSocketAddress target, ByteBuf datagram) {
			Channel channel = KnetTransport.this.channels[link];
			if (channel == null) {
				datagram.release();
				return;
			}
			KnetTransport.this.written[link] = true;
			KnetTransport.this.send(channel, datagram, target);
		}

		@Override
		public void deliver(long source, boolean broadcast, ByteBuf message) {
			if (!broadcast && message.readableBytes() >= 13) {
				int at = message.readerIndex() + 9;
				long target = (message.getByte(message.readerIndex()) == 0x70) ? message.getUnsignedIntLE(at)
						: message.getUnsignedInt(at);
				if (target != KnetTransport.this.localNodeid) {
					logger.debug("Packet is not for us");
					return;
				}
			}
			KnetTransport.super.receive(message, KnetTransport.this.currentSender);
		}

	}

	// ---------------------------------------------------------------------------------------------
	// Receiving (on the event loop)

	@Override
	void receive(int link, ByteBuf datagram, InetSocketAddress sender) {
		this.currentSender = sender;
		this.handle.received(link, sender, datagram, System.nanoTime());
		flushAll();
	}

	@Override
	void sendFailed(Channel channel, InetSocketAddress target) {
		for (int link = 0; link < KnetHandle.MAX_LINKS; link++) {
			if (this.channels[link] == channel) {
				this.handle.sendFailed(link, target);
			}
		}
	}

	@Override
	Channel unicastChannel() {
		throw new UnsupportedOperationException("knet chooses a link per host");
	}

	@Override
	public void updateMembers(Map<Long, InetSocketAddress> members) {
		throw new UnsupportedOperationException("knet hosts have an address per link: use updateHosts");
	}

	private void closeChannels() {
		List<Channel> open = new ArrayList<>();
		for (Channel channel : this.channels) {
			if (channel != null) {
				open.add(channel);
			}
		}
		close(open.toArray(Channel[]::new));
	}

	@Override
	public void close() {
		if (this.heartbeat != null) {
			this.heartbeat.cancel(false);
		}
		if (this.pmtud != null) {
			this.pmtud.cancel(false);
		}
		closeChannels();
		if (this.loop.inEventLoop()) {
			this.handle.close();
		}
		else {
			try {
				this.loop.submit(this.handle::close).awaitUninterruptibly(5, TimeUnit.SECONDS);
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// the loop is gone, and with it everything that could still use the handle
				this.handle.close();
			}
		}
	}

}
