package io.corosync4j.engine.transport;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the udp and udpu transports share: counted sends, the receive handler with the pause flush, and
 * closing channels from inside or outside the event loop.
 */
abstract class DatagramTransport implements TotemTransport {

	private static final Logger logger = LoggerFactory.getLogger(DatagramTransport.class);

	final TransportStats stats;

	/** Where each node's tokens go. */
	final Map<Long, InetSocketAddress> members;

	private final Receiver receiver;

	private boolean discarding;

	DatagramTransport(String description, Map<Long, InetSocketAddress> members, Receiver receiver) {
		this.stats = new TransportStats(description);
		this.members = new LinkedHashMap<>(members);
		this.receiver = receiver;
	}

	@Override
	public void updateMembers(Map<Long, InetSocketAddress> next) {
		this.members.clear();
		this.members.putAll(next);
		membersChanged();
	}

	/** The member map changed (udpu recomputes its allowed sources). */
	void membersChanged() {
	}

	/** The socket tokens leave from. */
	abstract Channel unicastChannel();

	@Override
	public void unicast(long nodeid, ByteBuf message) {
		InetSocketAddress target = this.members.get(nodeid);
		if (target == null) {
			message.release();
			this.stats.sendErrors.incrementAndGet();
			logger.warn("No address for node {}: not in the nodelist", nodeid);
			return;
		}
		Channel channel = unicastChannel();
		send(channel, message, target);
		channel.flush();
	}

	/** Whether a datagram from {@code sender} may reach the protocol (udpu's {@code block_unlisted_ips}). */
	boolean admits(InetSocketAddress sender) {
		return true;
	}

	/** Writes one datagram on {@code channel}, counting it once it left or failed; the caller flushes. */
	void send(Channel channel, ByteBuf datagram, InetSocketAddress target) {
		int length = datagram.readableBytes();
		channel.write(new DatagramPacket(datagram, target)).addListener((future) -> {
			if (future.isSuccess()) {
				this.stats.packetsSent.incrementAndGet();
				this.stats.bytesSent.addAndGet(length);
			}
			else {
				this.stats.sendErrors.incrementAndGet();
				sendFailed(channel, target);
				logger.debug("sending to {} failed", target, future.cause());
			}
		});
	}

	/** A datagram to {@code target} was refused by the operating system (already counted). */
	void sendFailed(Channel channel, InetSocketAddress target) {
	}

	/** Hands a datagram to the protocol as if it had been received, counting it. */
	void receive(ByteBuf datagram, InetSocketAddress sender) {
		this.stats.packetsReceived.incrementAndGet();
		this.stats.bytesReceived.addAndGet(datagram.readableBytes());
		this.receiver.received(datagram, sender);
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

	static void close(Channel... channels) {
		for (Channel channel : channels) {
			ChannelFuture closing = channel.close();
			if (!channel.eventLoop().inEventLoop()) {
				closing.awaitUninterruptibly();
			}
		}
	}

	/** Hands a datagram that arrived on {@code link} (knet has several) to the protocol. */
	void receive(int link, ByteBuf datagram, InetSocketAddress sender) {
		receive(datagram, sender);
	}

	/** Receives on one socket; after a pause the rest of the current read batch is dropped. */
	final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {

		private final int link;

		Inbound() {
			this(0);
		}

		Inbound(int link) {
			this.link = link;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
			if (!admits(packet.sender())) {
				DatagramTransport.this.stats.blockedUnlisted.incrementAndGet();
				return;
			}
			if (DatagramTransport.this.discarding) {
				DatagramTransport.this.stats.discarded.incrementAndGet();
				return;
			}
			receive(this.link, packet.content(), packet.sender());
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext context) {
			DatagramTransport.this.discarding = false;
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			// an ICMP port unreachable (a member not running yet) surfaces here on some platforms
			logger.debug("datagram socket: {}", cause.toString());
		}

	}

}
