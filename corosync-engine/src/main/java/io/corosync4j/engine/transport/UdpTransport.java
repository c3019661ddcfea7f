package io.corosync4j.engine.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Map;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Corosync's {@code udp} ({@code exec/totemudp.c}): IP multicast. Multicasts arrive on a socket bound
 * to {@code mcastaddr:mcastport} that joined the group on the local link's interface, tokens on one
 * bound to {@code bindaddr:mcastport}; everything leaves from {@code bindaddr:mcastport − 1} with the
 * configured TTL and the kernel's multicast loopback off, and this node's own multicasts are handed back
 * to it locally, after the current event, as Corosync does through a socket pair.
 */
public final class UdpTransport extends DatagramTransport {

	private static final Logger logger = LoggerFactory.getLogger(UdpTransport.class);


	private final InetSocketAddress group;

	private final InetSocketAddress self;

	private final EventLoop loop;

	private final Channel multicastReceiver;

	private final Channel tokenReceiver;

	private final Channel sender;

	private UdpTransport(InetAddress bindAddress, InetSocketAddress group, int ttl, Map<Long, InetSocketAddress> members,
			EventLoop loop, Receiver receiver) {
		super("udp " + bindAddress.getHostAddress() + ":" + group.getPort() + " group "
				+ group.getAddress().getHostAddress() + " ttl " + ttl, members, receiver);
		int port = group.getPort();
		this.group = group;
		this.self = new InetSocketAddress(bindAddress, port);
		this.loop = loop;
		NetworkInterface nic = networkInterface(bindAddress);
		this.multicastReceiver = bind(bootstrap(bindAddress, new Inbound()), group, "multicast receive");
		ChannelFuture joined = ((DatagramChannel) this.multicastReceiver).joinGroup(group, nic).awaitUninterruptibly();
		if (!joined.isSuccess()) {
			this.multicastReceiver.close();
			throw new TransportException("udp cannot join multicast group " + group.getAddress().getHostAddress()
					+ " on " + nic.getName() + ": " + joined.cause().getMessage(), joined.cause());
		}
		this.tokenReceiver = bind(bootstrap(bindAddress, new Inbound()), this.self, "token receive");
		Bootstrap sending = bootstrap(bindAddress, new Inbound())
			.option(ChannelOption.IP_MULTICAST_TTL, ttl)
			.option(ChannelOption.IP_MULTICAST_IF, nic)
			.option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, true);
		this.sender = bind(sending, new InetSocketAddress(bindAddress, port - 1), "send");
		logger.info("Initializing transport (UDP/IP Multicast). Group {}, bound to {}", group, this.self);
	}

	/**
	 * Binds the three sockets and joins the group; returns once that is done.
	 * @param bindAddress the local address of link 0 ({@code bindnetaddr} resolved on this host)
	 * @param group {@code mcastaddr:mcastport}
	 * @param ttl {@code ttl}
	 * @param members where tokens go, by node id
	 * @param loop the node's event loop
	 * @param receiver gets every datagram, on {@code loop}
	 * @throws TransportException when a socket cannot be bound or the group not joined
	 */
	public static UdpTransport open(InetAddress bindAddress, InetSocketAddress group, int ttl,
			Map<Long, InetSocketAddress> members, EventLoop loop, Receiver receiver) {
		return new UdpTransport(bindAddress, group, ttl, members, loop, receiver);
	}

	private Bootstrap bootstrap(InetAddress family, Inbound handler) {
		return new Bootstrap().group(this.loop)
			.channelFactory(NettyDatagrams.channelFactory(family))
			.option(ChannelOption.SO_REUSEADDR, true)
			.option(ChannelOption.SO_RCVBUF, NettyDatagrams.SOCKET_BUFFER)
			.option(ChannelOption.SO_SNDBUF, NettyDatagrams.SOCKET_BUFFER)
			.option(ChannelOption.RCVBUF_ALLOCATOR, NettyDatagrams.receiveAllocator())
			.option(ChannelOption.ALLOCATOR, NettyDatagrams.RECEIVE_ALLOCATOR)
			.handler(handler);
	}

	private static Channel bind(Bootstrap bootstrap, InetSocketAddress address, String role) {
		ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
		if (!bound.isSuccess()) {
			throw new TransportException("udp cannot bind its " + role + " socket to "
					+ address.getAddress().getHostAddress() + " port " + address.getPort() + ": "
					+ bound.cause().getMessage(), bound.cause());
		}
		return bound.channel();
	}

	private static NetworkInterface networkInterface(InetAddress address) {
		try {
			NetworkInterface nic = NetworkInterface.getByInetAddress(address);
			if (nic == null) {
				throw new TransportException("udp: no network interface has address " + address.getHostAddress()
						+ " (check totem.interface.bindnetaddr and ring0_addr)", new SocketException("no interface"));
			}
			return nic;
		}
		catch (SocketException ex) {
			throw new TransportException("udp: cannot look up the interface of " + address.getHostAddress(), ex);
		}
	}

	@Override
	public void multicast(ByteBuf message) {
		ByteBuf own = message.retainedDuplicate();
		send(this.sender, message, this.group);
		flushMulticast(this.sender);
		// the kernel does not loop it back; the protocol sees its own message after the current event
		this.loop.execute(() -> {
			try {
				if (this.multicastReceiver.isActive()) {
					receive(own, this.self);
				}
			}
			finally {
				own.release();
			}
		});
	}

	@Override
	public void multicastToPeers(ByteBuf message) {
		send(this.sender, message, this.group);
		flushMulticast(this.sender);
	}

	@Override
	Channel unicastChannel() {
		return this.sender;
	}

	@Override
	public void close() {
		close(this.sender, this.tokenReceiver, this.multicastReceiver);
	}

}
