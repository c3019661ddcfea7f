package io.corosync4j.engine.transport;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.corosync4j.engine.crypto.PacketCrypto;
import io.corosync4j.engine.transport.knet.KnetPacket;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knet transport on one link (link 0), as libknet 1.x speaks it: every packet encrypted with the
 * cluster's authkey ({@link PacketCrypto}), PING/PONG heartbeats that decide whether a host is reachable,
 * answers to PMTUD probes, Totem messages as DATA packets (fragmented above the data MTU, numbered per
 * sender, duplicates dropped), multicasts to every reachable host and locally, tokens to their target only.
 * Runs on the node's event loop.
 */
public final class KnetTransport extends DatagramTransport {

	private static final Logger logger = LoggerFactory.getLogger(KnetTransport.class);

	private static final int SOCKET_BUFFER = 16 * NettyDatagrams.MAX_DATAGRAM;

	/** The largest knet header (PING), which libknet subtracts when it computes the data MTU. */
	private static final int LARGEST_HEADER = 26;

	/** Received sequence numbers remembered per host for de-duplication. */
	private static final int DEDUP_WINDOW = 1024;

	private final long localNodeid;

	private final InetSocketAddress bindAddress;

	private final PacketCrypto crypto;

	private final long pingIntervalMillis;

	private final long pingTimeoutMillis;

	private final long pongCount;

	private final int dataMtu;

	private final Channel channel;

	private final EventLoop loop;

	private final Map<Long, Host> hosts = new LinkedHashMap<>();

	private final AtomicLong rejectedPackets = new AtomicLong();

	private final ScheduledFuture<?> heartbeat;

	private int sequence;

	private long lastDigestWarning;

	/** One peer host and its link 0. */
	private final class Host {

		final long nodeid;

		InetSocketAddress address;

		boolean up;

		long pongs;

		long lastPong;

		final int[] seen = new int[DEDUP_WINDOW];

		int seenNext;

		final Map<Integer, byte[][]> fragments = new LinkedHashMap<>();

		Host(long nodeid, InetSocketAddress address) {
			this.nodeid = nodeid;
			this.address = address;
			Arrays.fill(this.seen, -1);
		}

		boolean duplicate(int seq) {
			for (int value : this.seen) {
				if (value == seq) {
					return true;
				}
			}
			this.seen[this.seenNext] = seq;
			this.seenNext = (this.seenNext + 1) % DEDUP_WINDOW;
			return false;
		}

	}

	private KnetTransport(InetSocketAddress bindAddress, long localNodeid, Map<Long, InetSocketAddress> members,
			PacketCrypto crypto, long pingIntervalMillis, long pingTimeoutMillis, long pongCount, int pathMtu,
			EventLoop loop, Receiver receiver) {
		super("knet " + bindAddress.getAddress().getHostAddress() + ":" + bindAddress.getPort() + " ("
				+ crypto.implementation() + ") to " + members.size() + " members", members, receiver);
		this.bindAddress = bindAddress;
		this.localNodeid = localNodeid;
		this.crypto = crypto;
		this.pingIntervalMillis = pingIntervalMillis;
		this.pingTimeoutMillis = pingTimeoutMillis;
		this.pongCount = pongCount;
		this.loop = loop;
		this.dataMtu = dataMtu(pathMtu, bindAddress, crypto);
		members.forEach((nodeid, address) -> {
			if (nodeid != localNodeid) {
				this.hosts.put(nodeid, new Host(nodeid, address));
			}
		});
		Bootstrap bootstrap = new Bootstrap().group(loop)
			.channelFactory(NettyDatagrams.channelFactory(bindAddress.getAddress()))
			.option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
			.option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
			.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(NettyDatagrams.MAX_DATAGRAM))
			.handler(new Inbound());
		ChannelFuture bound = bootstrap.bind(bindAddress).awaitUninterruptibly();
		if (!bound.isSuccess()) {
			throw new TransportException("knet cannot bind " + bindAddress.getAddress().getHostAddress() + " port "
					+ bindAddress.getPort() + ": " + bound.cause().getMessage()
					+ " (is another corosync running, or is the address not on this host?)", bound.cause());
		}
		this.channel = bound.channel();
		this.heartbeat = loop.scheduleAtFixedRate(this::heartbeat, 0, pingIntervalMillis, TimeUnit.MILLISECONDS);
		logger.info("Initializing transport (Kronosnet). Bound to {}; data MTU {}; {}", bindAddress, this.dataMtu,
				crypto.implementation());
	}

	/**
	 * Binds link 0's socket and starts its heartbeats.
	 * @param bindAddress this node's ring0 address and link port
	 * @param localNodeid this node
	 * @param members every nodelist member by node id with its link 0 address
	 * @param crypto the packet crypto (none, or keyed from the authkey)
	 * @param pingIntervalMillis {@code knet_ping_interval}
	 * @param pingTimeoutMillis {@code knet_ping_timeout}
	 * @param pongCount {@code knet_pong_count}: pongs before a link counts as up
	 * @param pathMtu the IP path MTU assumed for the data MTU ({@code knet_mtu}, else 1500)
	 */
	public static KnetTransport open(InetSocketAddress bindAddress, long localNodeid, Map<Long, InetSocketAddress> members,
			PacketCrypto crypto, long pingIntervalMillis, long pingTimeoutMillis, long pongCount, int pathMtu,
			EventLoop loop, Receiver receiver) {
		return new KnetTransport(bindAddress, localNodeid, members, crypto, pingIntervalMillis, pingTimeoutMillis,
				pongCount, pathMtu, loop, receiver);
	}

	/** libknet's {@code calc_max_data_outlen}: the user bytes a DATA packet carries on this path. */
	static int dataMtu(int pathMtu, InetSocketAddress address, PacketCrypto crypto) {
		int ipHeader = (address.getAddress() instanceof Inet6Address) ? 40 : 20;
		int available = pathMtu - ipHeader - 8;
		int overhead = crypto.overhead(0);
		if (overhead == 0) {
			return available - LARGEST_HEADER;
		}
		// salt + MAC around whole 16-byte blocks, one byte short of a full block of padding
		int fixed = overhead - 16;
		int blocks = available - fixed;
		blocks = blocks - (blocks % 16) - 1;
		return blocks - LARGEST_HEADER;
	}

	public int dataMtu() {
		return this.dataMtu;
	}

	/** Whether the link to {@code nodeid} is up (its pongs arrive). */
	public boolean reachable(long nodeid) {
		Host host = this.hosts.get(nodeid);
		return nodeid == this.localNodeid || (host != null && host.up);
	}

	/** Packets that failed authentication (another authkey) or were not knet packets. */
	public long rejectedPackets() {
		return this.rejectedPackets.get() + this.crypto.rejected();
	}

	// ---------------------------------------------------------------------------------------------
	// Sending

	@Override
	public void multicast(ByteBuf message) {
		try {
			setTarget(message, 0);
			byte[] bytes = ByteBufUtil.getBytes(message);
			int seq = nextSequence();
			for (Host host : this.hosts.values()) {
				if (host.up) {
					sendData(host, seq, true, bytes);
				}
			}
			this.channel.flush();
			// own broadcasts come back through the loopback link
			this.loop.execute(() -> super.receive(Unpooled.wrappedBuffer(bytes), this.bindAddress));
		}
		finally {
			message.release();
		}
	}

	@Override
	public void unicast(long nodeid, ByteBuf message) {
		try {
			setTarget(message, nodeid);
			byte[] bytes = ByteBufUtil.getBytes(message);
			if (nodeid == this.localNodeid) {
				this.loop.execute(() -> super.receive(Unpooled.wrappedBuffer(bytes), this.bindAddress));
				return;
			}
			Host host = this.hosts.get(nodeid);
			if (host == null || !host.up) {
				this.stats.sendErrors.incrementAndGet();
				logger.debug("Node {} is not reachable; its token is dropped", nodeid);
				return;
			}
			sendData(host, nextSequence(), false, bytes);
			this.channel.flush();
		}
		finally {
			message.release();
		}
	}

	/** knet's destination filter reads Totem's target node id: 0 broadcasts, else the only host. */
	private static void setTarget(ByteBuf message, long nodeid) {
		if (message.readableBytes() >= 13) {
			boolean littleEndian = message.getByte(message.readerIndex()) == 0x70;
			int index = message.readerIndex() + 9;
			if (littleEndian) {
				message.setIntLE(index, (int) nodeid);
			}
			else {
				message.setInt(index, (int) nodeid);
			}
		}
	}

	private int nextSequence() {
		this.sequence = (this.sequence % 0xFFFF) + 1;
		return this.sequence;
	}

	private void sendData(Host host, int seq, boolean broadcast, byte[] message) {
		int count = Math.max(1, (message.length + this.dataMtu - 1) / this.dataMtu);
		if (count > 255) {
			this.stats.sendErrors.incrementAndGet();
			logger.warn("A {}-byte message needs {} knet fragments (at most 255); not sent", message.length, count);
			return;
		}
		for (int i = 0; i < count; i++) {
			int from = i * this.dataMtu;
			byte[] piece = (count == 1) ? message
					: Arrays.copyOfRange(message, from, Math.min(message.length, from + this.dataMtu));
			send(host.address, new KnetPacket.Data((int) this.localNodeid, seq, broadcast, count, (count == 1) ? 0 : i + 1,
					0, piece));
		}
	}

	private void send(InetSocketAddress target, KnetPacket packet) {
		byte[] plain = packet.encode();
		send(this.channel, Unpooled.wrappedBuffer(this.crypto.encrypt(plain, 0, plain.length)), target);
	}

	/** Pings every host; a host whose pongs stopped for the ping timeout goes down. */
	private void heartbeat() {
		long now = System.nanoTime();
		byte[] time = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(now).array();
		for (Host host : this.hosts.values()) {
			if (host.up && TimeUnit.NANOSECONDS.toMillis(now - host.lastPong) > this.pingTimeoutMillis) {
				host.up = false;
				host.pongs = 0;
				logger.info("host: host: {} has no active links", host.nodeid);
			}
			send(host.address, new KnetPacket.Ping(false, (int) this.localNodeid, 0, time, this.sequence, 1));
		}
		this.channel.flush();
	}

	// ---------------------------------------------------------------------------------------------
	// Receiving (on the event loop)

	@Override
	void receive(ByteBuf datagram, InetSocketAddress sender) {
		byte[] encrypted = ByteBufUtil.getBytes(datagram);
		byte[] plain = this.crypto.decrypt(encrypted, 0, encrypted.length);
		if (plain == null) {
			warnDigest(sender);
			return;
		}
		KnetPacket packet = KnetPacket.decode(plain);
		Host host = (packet != null) ? this.hosts.get((long) packet.node()) : null;
		if (packet == null || host == null) {
			this.rejectedPackets.incrementAndGet();
			return;
		}
		if (packet instanceof KnetPacket.Ping ping) {
			if (ping.pong()) {
				pong(host);
			}
			else {
				host.address = sender;
				send(sender, ping.answer((int) this.localNodeid));
				this.channel.flush();
			}
		}
		else if (packet instanceof KnetPacket.Pmtud probe) {
			// this node does not probe itself (its data MTU comes from the configured path MTU), but it
			// answers: a host that gets no replies loses its valid MTU and stops sending to this one
			if (!probe.reply()) {
				send(sender, probe.answer((int) this.localNodeid));
				this.channel.flush();
			}
		}
		else {
			data(host, (KnetPacket.Data) packet, sender);
		}
	}

	private void pong(Host host) {
		host.lastPong = System.nanoTime();
		host.pongs++;
		if (!host.up && host.pongs >= this.pongCount) {
			host.up = true;
			logger.info("host: host: {} has {} active link(s)", host.nodeid, 1);
		}
	}

	private void data(Host host, KnetPacket.Data data, InetSocketAddress sender) {
		// as libknet: nothing from a host before one of its links is up
		if (!host.up || data.channel() != 0) {
			this.stats.discarded.incrementAndGet();
			return;
		}
		byte[] message;
		if (data.fragments() <= 1) {
			if (host.duplicate(data.seq())) {
				return;
			}
			message = data.payload();
		}
		else {
			message = reassemble(host, data);
			if (message == null) {
				return;
			}
		}
		if (message.length >= 13 && !data.broadcast()) {
			ByteBuffer header = ByteBuffer.wrap(message, 9, 4)
				.order((message[0] == 0x70) ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
			if (Integer.toUnsignedLong(header.getInt()) != this.localNodeid) {
				logger.debug("Packet is not for us");
				return;
			}
		}
		super.receive(Unpooled.wrappedBuffer(message), sender);
	}

	private byte @Nullable [] reassemble(Host host, KnetPacket.Data data) {
		if (data.fragment() < 1 || data.fragment() > data.fragments()) {
			this.rejectedPackets.incrementAndGet();
			return null;
		}
		byte[][] pieces = host.fragments.computeIfAbsent(data.seq(), (key) -> new byte[data.fragments()][]);
		if (pieces.length != data.fragments()) {
			host.fragments.remove(data.seq());
			return null;
		}
		pieces[data.fragment() - 1] = data.payload();
		for (byte[] piece : pieces) {
			if (piece == null) {
				// bound the half-built messages kept per host
				while (host.fragments.size() > 64) {
					Integer oldest = host.fragments.keySet().iterator().next();
					host.fragments.remove(oldest);
				}
				return null;
			}
		}
		host.fragments.remove(data.seq());
		if (host.duplicate(data.seq())) {
			return null;
		}
		int length = 0;
		for (byte[] piece : pieces) {
			length += piece.length;
		}
		byte[] message = new byte[length];
		int at = 0;
		for (byte[] piece : pieces) {
			System.arraycopy(piece, 0, message, at, piece.length);
			at += piece.length;
		}
		return message;
	}

	private void warnDigest(InetSocketAddress sender) {
		long now = System.nanoTime();
		if (now - this.lastDigestWarning > TimeUnit.SECONDS.toNanos(10)) {
			this.lastDigestWarning = now;
			logger.warn("Invalid digest from {}: the packet does not authenticate with this node's authkey "
					+ "(do the nodes have different keys or crypto settings?); {} dropped so far", sender,
					this.crypto.rejected());
		}
	}

	@Override
	Channel unicastChannel() {
		return this.channel;
	}

	@Override
	public void close() {
		this.heartbeat.cancel(false);
		close(this.channel);
	}

}
