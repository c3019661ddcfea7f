package io.corosync4j.engine.transport;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import org.jspecify.annotations.Nullable;
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

	/** The receive handler handing a read on to the protocol, if one is. */
	private @Nullable Inbound dispatching;

	/**
	 * Whether multicasts were written while a received datagram is handled and not flushed yet: they leave
	 * with the token if it is passed on (one {@code sendmmsg} for the visit), else once the datagram is handled.
	 */
	private boolean unflushed;

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
		// the multicasts of this token's visit were written to the same socket before it: one flush sends all
		this.unflushed = false;
		channel.flush();
	}

	/**
	 * Flushes the multicasts just written to {@code channel}, the socket tokens leave from, unless a received
	 * datagram is being handled: then they wait for the token or for the end of that datagram.
	 */
	void flushMulticast(Channel channel) {
		if (handlingReceived()) {
			this.unflushed = true;
		}
		else {
			channel.flush();
		}
	}

	/** Whether a received datagram is being handed to the protocol (on the loop). */
	boolean handlingReceived() {
		return this.dispatching != null;
	}

	/** After each received datagram: what its handling multicast and did not flush with a token leaves now. */
	private void flushUnflushed() {
		if (this.unflushed) {
			this.unflushed = false;
			unicastChannel().flush();
		}
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

	/**
	 * Corosync's pause flush ({@code totemudpu_recv_mcast_empty}): throws away what queued up behind the
	 * datagram being handled — the rest of its read, and the following reads while they fill their limit
	 * (the socket holds more) — and says whether there was anything. knet's links are sockets of their
	 * own here; the flush empties the one the datagram came on (Corosync's knet reads one merged socket).
	 */
	@Override
	public boolean discardPending() {
		Inbound inbound = this.dispatching;
		return inbound != null && inbound.discardRest();
	}

	@Override
	public TransportStats stats() {
		return this.stats;
	}

	static void close(Channel... channels) {
		for (Channel channel : channels) {
			// what a received datagram's handling wrote waits for its end: a node closed from inside it
			// (a leave) still sends it
			channel.flush();
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

	/**
	 * Receives on one socket. A read's datagrams are handed on when the read completes, so that a pause
	 * flush while one of them is handled knows what else was queued.
	 */
	final class Inbound extends ChannelInboundHandlerAdapter {

		private final int link;

		private final ArrayDeque<DatagramPacket> batch = new ArrayDeque<>();

		/** Whether the read being handed on filled its limit. */
		private boolean full;

		/** Whether the next read is thrown away: a flush met a read that filled its limit. */
		private boolean flushNext;

		Inbound() {
			this(0);
		}

		Inbound(int link) {
			this.link = link;
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			DatagramPacket packet = (DatagramPacket) message;
			if (!admits(packet.sender())) {
				DatagramTransport.this.stats.blockedUnlisted.incrementAndGet();
				packet.release();
				return;
			}
			this.batch.add(packet);
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext context) {
			this.full = this.batch.size() >= maxMessagesPerRead(context.channel());
			if (this.flushNext) {
				// still emptying the socket: this read too was queued (and the next, if it is full again)
				discardRest();
				return;
			}
			DatagramTransport.this.dispatching = this;
			try {
				DatagramPacket packet;
				while ((packet = this.batch.poll()) != null) {
					try {
						receive(this.link, packet.content(), packet.sender());
					}
					finally {
						packet.release();
						flushUnflushed();
					}
				}
			}
			finally {
				DatagramTransport.this.dispatching = null;
				release();
			}
		}

		/** Throws away the rest of this read (and the next, after a full one); whether there was anything. */
		boolean discardRest() {
			boolean any = !this.batch.isEmpty() || this.full;
			DatagramTransport.this.stats.discarded.addAndGet(this.batch.size());
			release();
			this.flushNext = this.full;
			return any;
		}

		private void release() {
			DatagramPacket packet;
			while ((packet = this.batch.poll()) != null) {
				packet.release();
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) throws Exception {
			release();
			super.channelInactive(context);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			// an ICMP port unreachable (a member not running yet) surfaces here on some platforms
			logger.debug("datagram socket: {}", cause.toString());
		}

	}

	private static int maxMessagesPerRead(Channel channel) {
		return (channel.config().getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator allocator)
				? allocator.maxMessagesPerRead() : Integer.MAX_VALUE;
	}

}
