package io.corosync4j.engine.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.concurrent.ThreadFactory;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;

/**
 * Netty's native epoll transport when its library is on the class path (add
 * {@code io.netty:netty-transport-native-epoll} with the platform classifier), NIO otherwise.
 */
public final class NettyDatagrams {

	/**
	 * {@code UDP_RECEIVE_FRAME_SIZE_MAX}: Corosync sizes its socket buffers as 16 of these and so do we.
	 */
	private static final int COROSYNC_FRAME_SIZE_MAX = 136192;

	/** Each socket's send and receive buffer, as Corosync asks for them. */
	static final int SOCKET_BUFFER = 16 * COROSYNC_FRAME_SIZE_MAX;

	/**
	 * The receive buffer of one datagram: no UDP payload is larger (65,507 bytes over IPv4, 65,527 over
	 * IPv6). Corosync reads into 136,192 bytes.
	 */
	static final int RECEIVE_BUFFER = 65536;

	/**
	 * Datagrams one read may take before the loop moves on: Netty's datagram default. An allocator set as
	 * an option starts at 1, which would also hide from a pause flush whether more is queued.
	 */
	static final int READS_PER_WAKEUP = 16;

	/** The receive allocator of every datagram socket. */
	static RecvByteBufAllocator receiveAllocator() {
		return new FixedRecvByteBufAllocator(RECEIVE_BUFFER).maxMessagesPerRead(READS_PER_WAKEUP);
	}

	/**
	 * The receive allocator's chunk: 8 KiB pages, 2^11 of them (16 MiB). A read takes up to
	 * {@link #READS_PER_WAKEUP} buffers of 64 KiB at once (1 MiB). With Netty's 4 MiB chunk that is a
	 * quarter of it, which moves the chunk out of the list whose chunks are kept; once the read's buffers are
	 * released it is freed, and the next read allocates and zeroes 4 MiB again: a third of a udpu receiver's
	 * CPU with 16 KiB messages (perf). A read fills a sixteenth of this chunk, which stays.
	 */
	static final int RECEIVE_CHUNK_ORDER = 11;

	/**
	 * Where receive buffers come from: a pooled allocator with larger chunks (above). Netty's default
	 * (adaptive) allocator serves 64 KiB requests at this rate by falling back to a fresh, zeroed direct
	 * buffer each time; a pooled one hands the same memory back, and every datagram is copied out or
	 * decrypted before the next read.
	 */
	static final ByteBufAllocator RECEIVE_ALLOCATOR = receiveAllocator(PooledByteBufAllocator.defaultNumDirectArena());

	/** A pooled allocator of direct buffers with {@link #RECEIVE_CHUNK_ORDER}'s chunks. */
	static PooledByteBufAllocator receiveAllocator(int arenas) {
		return new PooledByteBufAllocator(true, 0, arenas, PooledByteBufAllocator.defaultPageSize(),
				RECEIVE_CHUNK_ORDER, PooledByteBufAllocator.defaultSmallCacheSize(),
				PooledByteBufAllocator.defaultNormalCacheSize(), true);
	}

	private NettyDatagrams() {
	}

	public static boolean nativeEpoll() {
		return Epoll.isAvailable();
	}

	/** A one-thread event loop group: the node's protocol thread. */
	public static EventLoopGroup newEventLoopGroup(ThreadFactory threads) {
		IoHandlerFactory handler = nativeEpoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		return new MultiThreadIoEventLoopGroup(1, threads, handler);
	}

	/**
	 * The MTU of the interface that holds {@code address}, at most 65535, or 1500 when it cannot be told.
	 * knet's data MTU follows it: the JDK cannot set the don't-fragment flag that libknet's path MTU
	 * probes rely on, so the interface stands in for the path.
	 */
	public static int interfaceMtu(InetAddress address) {
		try {
			NetworkInterface device = NetworkInterface.getByInetAddress(address);
			int mtu = (device != null) ? device.getMTU() : -1;
			return (mtu > 0) ? Math.min(mtu, 65535) : 1500;
		}
		catch (SocketException ex) {
			return 1500;
		}
	}

	static ChannelFactory<DatagramChannel> channelFactory(InetAddress family) {
		SocketProtocolFamily protocol = (family instanceof Inet6Address) ? SocketProtocolFamily.INET6
				: SocketProtocolFamily.INET;
		if (nativeEpoll()) {
			return () -> new EpollDatagramChannel(protocol);
		}
		return () -> new NioDatagramChannel(protocol);
	}

}
