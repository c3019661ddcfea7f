package io.corosync4j.engine.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Corosync's {@code udpu} ({@code exec/totemudpu.c}): one socket bound to the local
 * {@code ring0_addr:mcastport}; a "multicast" is one datagram to every nodelist member, this node
 * included; a token is one datagram to the next member. With {@code block_unlisted_ips} datagrams from
 * addresses outside the nodelist are dropped and counted.
 */
public final class UdpuTransport implements TotemTransport {

	private static final Logger logger = LoggerFactory.getLogger(UdpuTransport.class);

	/** Corosync asks for 16 frames of receive buffer. */
	private static final int SOCKET_BUFFER = 16 * NettyDatagrams.MAX_DATAGRAM;

	private final InetSocketAddress bindAddress;

	private final Map<Long, InetSocketAddress> members;

	private final @Nullable Set<InetAddress> allowedSources;

	private final TransportStats stats;

	private final Channel channel;

	private boolean discarding;

	private UdpuTransport(InetSocketAddress bindAddress, Map<Long, InetSocketAddress> members,
			boolean blockUnlistedIps, EventLoop loop, Receiver receiver) {
		this.bindAddress = bindAddress;
		this.members = new LinkedHashMap<>(members);
		this.allowedSources = blockUnlistedIps
				? members.values().stream().map(InetSocketAddress::getAddress).collect(Collectors.toUnmodifiableSet())
				: null;
		this.stats = new TransportStats("udpu " + bindAddress.getAddress().getHostAddress() + ":"
				+ bindAddress.getPort() + " to " + members.size() + " members");
		Bootstrap bootstrap = new Bootstrap().group(loop)
			.channelFactory(NettyDatagrams.channelFactory(bindAddress.getAddress()))
			.option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
			.option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
			.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(NettyDatagrams.MAX_DATAGRAM))
			.handler(new Inbound(receiver));
		ChannelFuture bound = bootstrap.bind(bindAddress).awaitUninterruptibly();
		if (!bound.isSuccess()) {
			throw new TransportException("udpu cannot bind " + bindAddress.getAddress().getHostAddress() + " port "
					+ bindAddress.getPort() + ": " + bound.cause().getMessage()
					+ " (is another corosync running, or is the address not on this host?)", bound.cause());
		}
		this.channel = bound.channel();
		logger.info("Initializing transport (UDP/IP Unicast). Bound to {}; {} nodelist members", bindAddress,
				members.size());
	}

	/**
	 * Binds the socket; returns once it is bound.
	 * @param bindAddress the local node's ring0 address and the mcastport
	 * @param members every nodelist member by node id (this node included) with its address and port
	 * @param blockUnlistedIps drop datagrams from other source addresses
	 * @param loop the node's event loop
	 * @param receiver gets every datagram, on {@code loop}
	 * @throws TransportException when the address cannot be bound
	 */
	public static UdpuTransport open(InetSocketAddress bindAddress, Map<Long, InetSocketAddress> members,
			boolean blockUnlistedIps, EventLoop loop, Receiver receiver) {
		return new UdpuTransport(bindAddress, members, blockUnlistedIps, loop, receiver);
	}

	public InetSocketAddress localAddress() {
		return this.bindAddress;
	}

	@Override
	public void multicast(ByteBuf message) {
		try {
			for (InetSocketAddress member : this.members.values()) {
				send(message.retainedDuplicate(), member);
			}
			this.channel.flush();
		}
		finally {
			message.release();
		}
	}

	@Override
	public void unicast(long nodeid, ByteBuf message) {
		InetSocketAddress target = this.members.get(nodeid);
		if (target == null) {
			message.release();
			this.stats.sendErrors.incrementAndGet();
			logger.warn("No address for node {}: not in the nodelist", nodeid);
			return;
		}
		send(message, target);
		this.channel.flush();
	}

	private void send(ByteBuf datagram, InetSocketAddress target) {
		int length = datagram.readableBytes();
		this.channel.write(new DatagramPacket(datagram, target)).addListener((future) -> {
			if (future.isSuccess()) {
				this.stats.packetsSent.incrementAndGet();
				this.stats.bytesSent.addAndGet(length);
			}
			else {
				this.stats.sendErrors.incrementAndGet();
				logger.debug("sending to {} failed", target, future.cause());
			}
		});
	}

	@Override
	public boolean discardPending() {
		this.discarding = true;
		return false;
	}

	@Override
	public TransportStats stats() {
		return this.stats;
	}

	/** The members' addresses, for status output. */
	public List<InetSocketAddress> memberAddresses() {
		return List.copyOf(this.members.values());
	}

	@Override
	public void close() {
		ChannelFuture closing = this.channel.close();
		if (!this.channel.eventLoop().inEventLoop()) {
			closing.awaitUninterruptibly();
		}
	}

	private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {

		private final Receiver receiver;

		Inbound(Receiver receiver) {
			this.receiver = receiver;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
			Set<InetAddress> allowed = UdpuTransport.this.allowedSources;
			TransportStats counters = UdpuTransport.this.stats;
			if (allowed != null && !allowed.contains(packet.sender().getAddress())) {
				counters.blockedUnlisted.incrementAndGet();
				return;
			}
			if (UdpuTransport.this.discarding) {
				counters.discarded.incrementAndGet();
				return;
			}
			counters.packetsReceived.incrementAndGet();
			counters.bytesReceived.addAndGet(packet.content().readableBytes());
			this.receiver.received(packet.content(), packet.sender());
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext context) {
			UdpuTransport.this.discarding = false;
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			// an ICMP port unreachable (a member not running yet) surfaces here on some platforms
			logger.debug("udpu socket: {}", cause.toString());
		}

	}

}
