package io.corosync4j.engine.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Corosync's {@code udpu} ({@code exec/totemudpu.c}): one socket bound to the local
 * {@code ring0_addr:mcastport}; a "multicast" is one datagram to every nodelist member, this node
 * included; a token is one datagram to the next member. With {@code block_unlisted_ips} datagrams from
 * addresses outside the nodelist are dropped and counted.
 */
public final class UdpuTransport extends DatagramTransport {

	private static final Logger logger = LoggerFactory.getLogger(UdpuTransport.class);


	private final InetSocketAddress bindAddress;

	private final boolean blockUnlistedIps;

	private @Nullable Set<InetAddress> allowedSources;

	private final Channel channel;

	private UdpuTransport(InetSocketAddress bindAddress, Map<Long, InetSocketAddress> members,
			boolean blockUnlistedIps, EventLoop loop, Receiver receiver) {
		super("udpu " + bindAddress.getAddress().getHostAddress() + ":" + bindAddress.getPort() + " to "
				+ members.size() + " members", members, receiver);
		this.bindAddress = bindAddress;
		this.blockUnlistedIps = blockUnlistedIps;
		membersChanged();
		Bootstrap bootstrap = new Bootstrap().group(loop)
			.channelFactory(NettyDatagrams.channelFactory(bindAddress.getAddress()))
			.option(ChannelOption.SO_RCVBUF, NettyDatagrams.SOCKET_BUFFER)
			.option(ChannelOption.SO_SNDBUF, NettyDatagrams.SOCKET_BUFFER)
			.option(ChannelOption.RCVBUF_ALLOCATOR, NettyDatagrams.receiveAllocator())
			.option(ChannelOption.ALLOCATOR, NettyDatagrams.RECEIVE_ALLOCATOR)
			.handler(new Inbound());
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
		sendToMembers(message, true);
	}

	@Override
	public void multicastToPeers(ByteBuf message) {
		sendToMembers(message, false);
	}

	private void sendToMembers(ByteBuf message, boolean includingSelf) {
		try {
			for (InetSocketAddress member : this.members.values()) {
				if (includingSelf || !member.equals(this.bindAddress)) {
					send(this.channel, message.retainedDuplicate(), member);
				}
			}
			flushMulticast(this.channel);
		}
		finally {
			message.release();
		}
	}

	@Override
	void membersChanged() {
		this.allowedSources = this.blockUnlistedIps ? this.members.values()
			.stream()
			.map(InetSocketAddress::getAddress)
			.collect(Collectors.toUnmodifiableSet()) : null;
	}

	@Override
	Channel unicastChannel() {
		return this.channel;
	}

	@Override
	boolean admits(InetSocketAddress sender) {
		Set<InetAddress> allowed = this.allowedSources;
		return allowed == null || allowed.contains(sender.getAddress());
	}

	/** The members' addresses, for status output. */
	public List<InetSocketAddress> memberAddresses() {
		return List.copyOf(this.members.values());
	}

	@Override
	public void close() {
		close(this.channel);
	}

}
