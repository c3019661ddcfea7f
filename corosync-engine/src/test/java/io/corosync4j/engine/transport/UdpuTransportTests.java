package io.corosync4j.engine.transport;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UdpuTransportTests {

	private final EventLoopGroup group = NettyDatagrams.newEventLoopGroup(new DefaultThreadFactory("udpu-test", true));

	private final List<String> received = new CopyOnWriteArrayList<>();

	@AfterEach
	void shutdown() {
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
	}

	@Test
	void blockUnlistedIpsDropsAndCountsDatagramsFromOutsideTheNodelist() throws Exception {
		InetSocketAddress self = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), freePort());
		UdpuTransport transport = UdpuTransport.open(self, Map.of(1L, self), true, this.group.next(),
				(datagram, sender) -> this.received.add(sender.getAddress().getHostAddress()));
		try {
			sendFrom("127.0.0.7", self);
			sendFrom("127.0.0.1", self);
			awaitCounts(transport, 1, 1);
			assertThat(this.received).containsExactly("127.0.0.1");
			assertThat(transport.stats().blockedUnlisted()).isEqualTo(1);
		}
		finally {
			transport.close();
		}
	}

	@Test
	void withoutTheBlockEverySourceGetsThrough() throws Exception {
		InetSocketAddress self = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), freePort());
		UdpuTransport transport = UdpuTransport.open(self, Map.of(1L, self), false, this.group.next(),
				(datagram, sender) -> this.received.add(sender.getAddress().getHostAddress()));
		try {
			sendFrom("127.0.0.7", self);
			awaitCounts(transport, 1, 0);
			assertThat(this.received).containsExactly("127.0.0.7");
		}
		finally {
			transport.close();
		}
	}

	@Test
	void aMulticastToPeersLeavesOutThisNode() throws Exception {
		int port = freePort();
		InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
		InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port);
		Map<Long, InetSocketAddress> members = Map.of(1L, a, 2L, b);
		List<String> atA = new CopyOnWriteArrayList<>();
		List<String> atB = new CopyOnWriteArrayList<>();
		EventLoop loop = this.group.next();
		UdpuTransport first = UdpuTransport.open(a, members, true, loop,
				(datagram, sender) -> atA.add(datagram.toString(StandardCharsets.US_ASCII)));
		UdpuTransport second = UdpuTransport.open(b, members, true, loop,
				(datagram, sender) -> atB.add(datagram.toString(StandardCharsets.US_ASCII)));
		try {
			loop.submit(() -> {
				first.multicastToPeers(Unpooled.copiedBuffer("peers", StandardCharsets.US_ASCII));
				first.multicast(Unpooled.copiedBuffer("all", StandardCharsets.US_ASCII));
			}).sync();
			Await.until("both datagrams at the peer and the multicast back home", Duration.ofSeconds(10),
					() -> atB.size() == 2 && atA.contains("all"), () -> atA + " " + atB);
			assertThat(atB).containsExactly("peers", "all");
			// the datagrams to this node's own socket arrive in the order they were sent
			assertThat(atA).containsExactly("all");
		}
		finally {
			first.close();
			second.close();
		}
	}

	/**
	 * What a received datagram's handling multicasts waits for the token of that visit, so one
	 * {@code sendmmsg} carries both; without a token it leaves once the datagram is handled (or when the
	 * transport closes inside that handling), and outside a receive at once.
	 */
	@Test
	void multicastsWhileHandlingADatagramLeaveWithTheToken() throws Exception {
		int port = freePort();
		InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
		InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port);
		Map<Long, InetSocketAddress> members = Map.of(1L, a, 2L, b);
		List<String> atB = new CopyOnWriteArrayList<>();
		List<Long> sentSeen = new CopyOnWriteArrayList<>();
		EventLoop loop = this.group.next();
		UdpuTransport[] first = new UdpuTransport[1];
		// the test's socket is not in the nodelist
		first[0] = UdpuTransport.open(a, members, false, loop, (datagram, sender) -> {
			UdpuTransport self = first[0];
			String text = datagram.toString(StandardCharsets.US_ASCII);
			long before = self.stats().packetsSent();
			self.multicastToPeers(Unpooled.copiedBuffer(text + "-m1", StandardCharsets.US_ASCII));
			self.multicastToPeers(Unpooled.copiedBuffer(text + "-m2", StandardCharsets.US_ASCII));
			sentSeen.add(self.stats().packetsSent() - before);
			if (text.equals("token")) {
				self.unicast(2, Unpooled.copiedBuffer("token-on", StandardCharsets.US_ASCII));
				sentSeen.add(self.stats().packetsSent() - before);
			}
			else if (text.equals("last")) {
				self.close();
			}
		});
		UdpuTransport second = UdpuTransport.open(b, members, true, loop,
				(datagram, sender) -> atB.add(datagram.toString(StandardCharsets.US_ASCII)));
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0))) {
			send(socket, a, "token");
			Await.until("the visit's datagrams at the next node", Duration.ofSeconds(10), () -> atB.size() == 3,
					() -> atB);
			assertThat(atB).containsExactly("token-m1", "token-m2", "token-on");
			// written, not sent, until the token left: then all three at once
			assertThat(sentSeen).containsExactly(0L, 3L);
			send(socket, a, "data");
			Await.until("multicasts without a token", Duration.ofSeconds(10), () -> atB.size() == 5, () -> atB);
			assertThat(atB).endsWith("data-m1", "data-m2");
			assertThat(first[0].stats().packetsSent()).isEqualTo(5);
			long sentOutside = loop.submit(() -> {
				long before = first[0].stats().packetsSent();
				first[0].multicastToPeers(Unpooled.copiedBuffer("outside", StandardCharsets.US_ASCII));
				return first[0].stats().packetsSent() - before;
			}).get(10, TimeUnit.SECONDS);
			assertThat(sentOutside).isEqualTo(1);
			// closed from inside the handling that wrote them, the transport still sends them
			send(socket, a, "last");
			Await.until("multicasts written just before the close", Duration.ofSeconds(10), () -> atB.size() == 8,
					() -> atB);
			assertThat(atB).endsWith("last-m1", "last-m2");
		}
		finally {
			first[0].close();
			second.close();
		}
	}

	/**
	 * Corosync's pause flush empties the socket and reports whether anything was in it, and Totem then
	 * drops the join that revealed the pause. Here the loop is held (a pause) while a join and three more
	 * datagrams queue up; handling the join, the node flushes.
	 */
	@Test
	void aPauseFlushEmptiesWhatQueuedAndSaysSo() throws Exception {
		InetSocketAddress self = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), freePort());
		CountDownLatch paused = new CountDownLatch(1);
		CountDownLatch queued = new CountDownLatch(1);
		List<Boolean> flushed = new CopyOnWriteArrayList<>();
		UdpuTransport[] transport = new UdpuTransport[1];
		transport[0] = UdpuTransport.open(self, Map.of(1L, self), false, this.group.next(), (datagram, sender) -> {
			String text = datagram.toString(StandardCharsets.US_ASCII);
			this.received.add(text);
			if (text.equals("pause")) {
				paused.countDown();
				await(queued);
			}
			else if (text.equals("join")) {
				flushed.add(transport[0].discardPending());
			}
		});
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
			send(socket, self, "pause");
			assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();
			for (String text : new String[] { "join", "a", "b", "c" }) {
				send(socket, self, text);
			}
			// datagrams on loopback are in the socket once sent
			queued.countDown();
			Await.until("the join handled", Duration.ofSeconds(10), () -> !flushed.isEmpty(), () -> this.received);
			send(socket, self, "after");
			Await.until("the next datagram", Duration.ofSeconds(10), () -> this.received.contains("after"),
					() -> this.received);
			assertThat(flushed).containsExactly(true);
			assertThat(this.received).containsExactly("pause", "join", "after");
			assertThat(transport[0].stats().discarded()).isEqualTo(3);
		}
		finally {
			transport[0].close();
		}
	}

	private static void send(DatagramSocket socket, InetSocketAddress target, String text) throws Exception {
		byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
		socket.send(new DatagramPacket(bytes, bytes.length, target));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sendFrom(String source, InetSocketAddress target) throws Exception {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0))) {
			socket.send(new DatagramPacket(new byte[] { 1, 2, 3 }, 3, target));
		}
	}

	private static void awaitCounts(UdpuTransport transport, long received, long blocked) throws InterruptedException {
		Await.until("the datagrams counted", Duration.ofSeconds(10),
				() -> transport.stats().packetsReceived() >= received && transport.stats().blockedUnlisted() >= blocked,
				transport::stats);
	}

	private static int freePort() throws Exception {
		try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

}
