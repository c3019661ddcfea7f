package io.corosync4j.engine.transport.knet;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import io.corosync4j.engine.config.CryptoModel;
import io.corosync4j.engine.config.LinkMode;
import io.corosync4j.engine.crypto.PacketCrypto;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KnetHandle} on a hand-driven clock: two or three hosts with two links each, joined by an
 * in-memory network whose links can be cut.
 */
class KnetHandleTests {

	private static final long MS = 1_000_000L;

	private static final long PING_INTERVAL = 250 * MS;

	private static final long PONG_TIMEOUT = 500 * MS;

	private final Random random = new Random(7);

	private final List<Net> nets = new ArrayList<>();

	/** Every buffer a handle took from its allocator went back, whatever happened to the packets. */
	@AfterEach
	void nothingLeaks() {
		for (Net net : this.nets) {
			net.nodes.values().forEach(KnetHandle::close);
			assertThat(net.allocator.live()).as("buffers still held").isZero();
			assertThat(net.allocator.allocated()).isPositive();
		}
	}

	private final byte[] key = new byte[256];

	{
		this.random.nextBytes(this.key);
	}

	@Test
	void linksComeUpAfterThePongCountAndPassiveModeUsesTheBestLink() {
		Net net = new Net(LinkMode.PASSIVE, 2, 2);
		net.run(0, 10 * PING_INTERVAL);
		assertThat(net.node(1).reachable(2)).isTrue();
		assertThat(net.stats(1, 2, 0).connected()).isTrue();
		assertThat(net.stats(1, 2, 1).connected()).isTrue();
		assertThat(net.stats(1, 2, 0).upCount()).isEqualTo(1);
		// libknet: the link comes up on the pong after pong_count pongs
		assertThat(net.stats(1, 2, 0).counter(KnetCounter.RX_PONG_PACKETS)).isGreaterThanOrEqualTo(3);

		net.node(1).broadcast(Unpooled.wrappedBuffer(message(100, 1)), net.now);
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(2)).containsExactly("1:1");
		// equal priorities: the lowest link number
		assertThat(net.stats(1, 2, 0).counter(KnetCounter.TX_DATA_PACKETS)).isEqualTo(1);
		assertThat(net.stats(1, 2, 1).counter(KnetCounter.TX_DATA_PACKETS)).isZero();
	}

	@Test
	void aHigherPriorityWinsInPassiveMode() {
		Net net = new Net(LinkMode.PASSIVE, 2, 2, 1, 5);
		net.run(0, 10 * PING_INTERVAL);
		net.node(1).unicast(2, Unpooled.wrappedBuffer(message(50, 1)), net.now);
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(2)).containsExactly("1:1");
		assertThat(net.stats(1, 2, 1).counter(KnetCounter.TX_DATA_PACKETS)).isEqualTo(1);
		assertThat(net.stats(1, 2, 0).counter(KnetCounter.TX_DATA_PACKETS)).isZero();
	}

	@Test
	void activeModeSendsOnEveryLinkAndDeliversOnce() {
		Net net = new Net(LinkMode.ACTIVE, 2, 2);
		net.run(0, 10 * PING_INTERVAL);
		for (int i = 1; i <= 20; i++) {
			net.node(1).broadcast(Unpooled.wrappedBuffer(message(100, i)), net.now);
		}
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(2)).hasSize(20).doesNotHaveDuplicates();
		assertThat(net.stats(1, 2, 0).counter(KnetCounter.TX_DATA_PACKETS)).isEqualTo(20);
		assertThat(net.stats(1, 2, 1).counter(KnetCounter.TX_DATA_PACKETS)).isEqualTo(20);
		assertThat(net.node(2).duplicates()).isEqualTo(20);
	}

	@Test
	void roundRobinAlternatesTheLinks() {
		Net net = new Net(LinkMode.RR, 2, 2);
		net.run(0, 10 * PING_INTERVAL);
		for (int i = 1; i <= 10; i++) {
			net.node(1).broadcast(Unpooled.wrappedBuffer(message(100, i)), net.now);
		}
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(2)).hasSize(10);
		assertThat(net.stats(1, 2, 0).counter(KnetCounter.TX_DATA_PACKETS)).isEqualTo(5);
		assertThat(net.stats(1, 2, 1).counter(KnetCounter.TX_DATA_PACKETS)).isEqualTo(5);
	}

	@Test
	void aCutLinkGoesDownWithinThePongTimeoutOnceTheBackoffIsOverAndTrafficMovesToTheOther() {
		Net net = new Net(LinkMode.PASSIVE, 2, 2);
		net.run(0, 12_000 * MS);
		assertThat(net.stats(1, 2, 0).pongTimeoutMillis()).isEqualTo(PONG_TIMEOUT / MS);
		long cut = net.now;
		net.cut(0);
		long down = net.runUntil(cut + 5_000 * MS, () -> !net.stats(1, 2, 0).connected());
		// the timeout runs from the last pong, which came up to a ping interval before the cut
		assertThat(down - cut).isBetween(PONG_TIMEOUT - PING_INTERVAL - 50 * MS, PONG_TIMEOUT + 50 * MS);
		assertThat(net.node(1).reachable(2)).isTrue();
		net.node(1).broadcast(Unpooled.wrappedBuffer(message(10, 1)), net.now);
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(2)).containsExactly("1:1");
		assertThat(net.stats(1, 2, 1).counter(KnetCounter.TX_DATA_PACKETS)).isEqualTo(1);

		// right after going down the link's pong timeout is ten times longer, and shrinks each second
		assertThat(net.stats(1, 2, 0).pongTimeoutMillis()).isEqualTo(10 * PONG_TIMEOUT / MS);
		net.heal(0);
		net.runUntil(net.now + 5_000 * MS, () -> net.stats(1, 2, 0).connected());
		assertThat(net.stats(1, 2, 0).upCount()).isEqualTo(2);
		assertThat(net.stats(1, 2, 0).downCount()).isEqualTo(1);
		net.run(net.now, net.now + 3_000 * MS);
		assertThat(net.stats(1, 2, 0).pongTimeoutMillis()).isLessThan(10 * PONG_TIMEOUT / MS);

		net.cut(0);
		net.cut(1);
		net.runUntil(net.now + 20_000 * MS, () -> !net.node(1).reachable(2));
		assertThat(net.node(1).unicast(2, Unpooled.wrappedBuffer(message(10, 2)), net.now)).isFalse();
	}

	@Test
	void aDisabledLinkIsDownForEveryHostAndThePeersNoticeIt() {
		Net net = new Net(LinkMode.PASSIVE, 3, 2);
		net.run(0, 12_000 * MS);
		net.node(3).setLinkEnabled(0, false);
		assertThat(net.stats(3, 1, 0).connected()).isFalse();
		assertThat(net.stats(3, 1, 0).enabled()).isFalse();
		assertThat(net.node(3).reachable(1)).isTrue();
		net.runUntil(net.now + 2_000 * MS,
				() -> !net.stats(1, 3, 0).connected() && !net.stats(2, 3, 0).connected());
		assertThat(net.stats(1, 2, 0).connected()).isTrue();
		net.node(1).broadcast(Unpooled.wrappedBuffer(message(10, 1)), net.now);
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(3)).containsExactly("1:1");
		net.node(3).setLinkEnabled(0, true);
		net.runUntil(net.now + 10_000 * MS, () -> net.stats(1, 3, 0).connected() && net.stats(3, 1, 0).connected());
	}

	@Test
	void messagesAboveTheDataMtuAreCutAndReassembledOnceAcrossLinks() {
		Net net = new Net(LinkMode.ACTIVE, 2, 2);
		net.run(0, 10 * PING_INTERVAL);
		byte[] big = new byte[20_000];
		this.random.nextBytes(big);
		big[0] = 9;
		net.node(1).broadcast(Unpooled.wrappedBuffer(big), net.now);
		net.run(net.now, net.now + MS);
		assertThat(net.messages(2)).hasSize(1);
		assertThat(net.messages(2).get(0)).isEqualTo(big);
		int fragments = (big.length + net.node(1).dataMtu() - 1) / net.node(1).dataMtu();
		assertThat(net.stats(1, 2, 0).counter(KnetCounter.TX_DATA_PACKETS)).isEqualTo(fragments);
	}

	@Test
	void aSmallerDataMtuCutsMessagesIntoMoreFragments() {
		Net net = new Net(LinkMode.PASSIVE, 2, 1);
		net.run(0, 10 * PING_INTERVAL);
		byte[] message = new byte[3_000];
		message[0] = 5;
		net.node(1).setDataMtu(500);
		net.node(1).broadcast(Unpooled.wrappedBuffer(message), net.now);
		net.run(net.now, net.now + MS);
		assertThat(net.messages(2)).hasSize(1);
		assertThat(net.messages(2).get(0)).isEqualTo(message);
		assertThat(net.stats(1, 2, 0).counter(KnetCounter.TX_DATA_PACKETS)).isEqualTo(6);
		assertThat(net.stats(1, 2, 0).mtu()).isEqualTo(500);
	}

	@Test
	void reorderedFragmentsAndOldDuplicatesAreHandled() {
		Net net = new Net(LinkMode.PASSIVE, 2, 1);
		net.run(0, 10 * PING_INTERVAL);
		net.reverse = true;
		byte[] big = new byte[5_000];
		big[0] = 3;
		net.node(1).broadcast(Unpooled.wrappedBuffer(big), net.now);
		net.node(1).broadcast(Unpooled.wrappedBuffer(message(200, 4)), net.now);
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(2)).containsExactlyInAnyOrder("1:3", "1:4");
		// a replayed copy of an already delivered packet is dropped
		net.replayLast(2);
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(2)).hasSize(2);
	}

	@Test
	void aRestartedSenderIsHeardAgain() {
		Net net = new Net(LinkMode.PASSIVE, 2, 1);
		net.run(0, 10 * PING_INTERVAL);
		for (int i = 1; i <= 5; i++) {
			net.node(1).broadcast(Unpooled.wrappedBuffer(message(10, i)), net.now);
		}
		// its pings now carry sequence 5; a quick restart pings with 0, which clears node 2's window
		net.run(net.now, net.now + 2 * PING_INTERVAL);
		net.restart(1);
		// Totem's first join goes nowhere and must not move the sequence: the first pings carry 0
		assertThat(net.node(1).broadcast(Unpooled.wrappedBuffer(message(10, 99)), net.now)).isZero();
		net.runUntil(net.now + 20 * PING_INTERVAL, () -> net.node(1).reachable(2));
		net.node(1).broadcast(Unpooled.wrappedBuffer(message(10, 6)), net.now);
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(2)).containsExactly("1:1", "1:2", "1:3", "1:4", "1:5", "1:6");

		// a node gone long enough is down at node 2, which forgets its sequence numbers
		net.cut(0);
		net.runUntil(net.now + 20_000 * MS, () -> !net.node(2).reachable(1));
		net.restart(1);
		net.heal(0);
		net.runUntil(net.now + 20 * PING_INTERVAL, () -> net.node(1).reachable(2) && net.node(2).reachable(1));
		net.node(1).broadcast(Unpooled.wrappedBuffer(message(10, 7)), net.now);
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(2)).endsWith("1:6", "1:7");
	}

	@Test
	void aRestartedSenderWhoseFirstPingsAreLostIsStillHeard() {
		Net net = new Net(LinkMode.PASSIVE, 3, 1);
		// early on, when the pong timeout is still ten times knet_ping_timeout
		net.run(0, 3_000 * MS);
		for (int i = 1; i <= 5; i++) {
			net.node(1).broadcast(Unpooled.wrappedBuffer(message(10, i)), net.now);
		}
		net.run(net.now, net.now + 2 * PING_INTERVAL);
		// node 1 restarts; nothing from it reaches node 2 for a while, node 3 hears it at once
		net.blocked.add("1>2");
		net.restart(1);
		net.runUntil(net.now + 20 * PING_INTERVAL, () -> net.node(1).reachable(3));
		for (int i = 6; i <= 8; i++) {
			net.node(1).broadcast(Unpooled.wrappedBuffer(message(10, i)), net.now);
		}
		net.run(net.now, net.now + MS);
		assertThat(net.delivered(3)).endsWith("1:6", "1:7", "1:8");
		// node 2 still has node 1's old incarnation up (its pongs stopped only a moment ago)
		assertThat(net.node(2).reachable(1)).isTrue();
		net.blocked.clear();
		net.runUntil(net.now + 20 * PING_INTERVAL, () -> net.node(1).reachable(2));
		net.node(1).broadcast(Unpooled.wrappedBuffer(message(10, 9)), net.now);
		net.run(net.now, net.now + MS);
		// its sequence numbers 4.. were the old incarnation's too: the pings with 0 made node 2 forget them
		assertThat(net.delivered(2)).containsExactly("1:1", "1:2", "1:3", "1:4", "1:5", "1:9");
	}

	@Test
	void anotherKeyIsRefusedAndCounted() {
		Net net = new Net(LinkMode.PASSIVE, 2, 1);
		byte[] other = this.key.clone();
		other[100] ^= 1;
		net.crypto.put(2L, other);
		net.restart(2);
		net.run(0, 10 * PING_INTERVAL);
		assertThat(net.node(1).reachable(2)).isFalse();
		assertThat(net.node(1).invalidDigests()).isPositive();
		assertThat(net.node(2).invalidDigests()).isPositive();
		assertThat(net.node(1).unicast(2, Unpooled.wrappedBuffer(message(10, 1)), net.now)).isFalse();
	}

	@Test
	void statsCountSealedBytesOutAndPlainBytesIn() {
		Net net = new Net(LinkMode.PASSIVE, 2, 1);
		net.run(0, 10 * PING_INTERVAL);
		KnetLinkStats out = net.stats(1, 2, 0);
		KnetLinkStats in = net.stats(2, 1, 0);
		// a 26-byte ping is 80 bytes sealed with aes256/sha256
		assertThat(out.counter(KnetCounter.TX_PING_BYTES)).isEqualTo(80 * out.counter(KnetCounter.TX_PING_PACKETS));
		assertThat(in.counter(KnetCounter.RX_PING_BYTES)).isEqualTo(26 * in.counter(KnetCounter.RX_PING_PACKETS));
		Map<String, Long> values = out.values();
		assertThat(values).containsKeys("enabled", "connected", "mtu", "tx_total_packets", "rx_total_bytes",
				"latency_ave", "latency_samples", "up_count", "down_count", "tx_pong_retries", "tx_total_errors");
		assertThat(values.get("tx_total_packets")).isEqualTo(out.counter(KnetCounter.TX_PING_PACKETS)
				+ out.counter(KnetCounter.TX_PONG_PACKETS));
		assertThat(out.latencySamples()).isPositive();
		assertThat(out.mtu()).isEqualTo(1397);
	}

	@Test
	void theDataMtuFollowsLibknet() {
		PacketCrypto aes = PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, CryptoModel.JCA, this.key);
		assertThat(KnetHandle.dataMtu(1500, false, aes)).isEqualTo(1397);
		assertThat(KnetHandle.dataMtu(1500, false, PacketCrypto.none())).isEqualTo(1446);
		assertThat(KnetHandle.dataMtu(1500, true, PacketCrypto.none())).isEqualTo(1426);
	}

	private static byte[] message(int length, int id) {
		byte[] bytes = new byte[length];
		bytes[0] = (byte) id;
		return bytes;
	}

	/** Hosts 1..n with the same links, a queue of datagrams in flight, and a clock. */
	private final class Net {

		final LinkMode mode;

		final int hosts;

		final int[] priorities;

		final Map<Long, KnetHandle> nodes = new LinkedHashMap<>();

		final Map<Long, List<byte[]>> delivered = new LinkedHashMap<>();

		final Map<Long, byte[]> crypto = new LinkedHashMap<>();

		final Deque<Object[]> inFlight = new ArrayDeque<>();

		final CountingAllocator allocator = new CountingAllocator();

		final Map<Long, Object[]> lastData = new LinkedHashMap<>();

		final Set<Integer> cut = new HashSet<>();

		/** Directions that lose everything, as "from>to". */
		final Set<String> blocked = new HashSet<>();

		boolean reverse;

		long now;

		Net(LinkMode mode, int hosts, int links, int... priorities) {
			this.mode = mode;
			this.hosts = hosts;
			this.priorities = (priorities.length == links) ? priorities : filled(links);
			KnetHandleTests.this.nets.add(this);
			for (long id = 1; id <= hosts; id++) {
				this.crypto.put(id, KnetHandleTests.this.key);
				this.delivered.put(id, new ArrayList<>());
				restart(id);
			}
		}

		private static int[] filled(int links) {
			int[] values = new int[links];
			Arrays.fill(values, 1);
			return values;
		}

		static InetSocketAddress address(long host, int link) {
			return new InetSocketAddress("10.0." + link + "." + host, 5405 + link);
		}

		void restart(long id) {
			List<KnetHandle.LinkSettings> links = new ArrayList<>();
			for (int link = 0; link < this.priorities.length; link++) {
				links.add(new KnetHandle.LinkSettings(link, this.priorities[link], PING_INTERVAL, PONG_TIMEOUT, 2, 2048));
			}
			Map<Long, Map<Integer, InetSocketAddress>> peers = new LinkedHashMap<>();
			for (long peer = 1; peer <= this.hosts; peer++) {
				Map<Integer, InetSocketAddress> addresses = new LinkedHashMap<>();
				for (int link = 0; link < this.priorities.length; link++) {
					addresses.put(link, address(peer, link));
				}
				peers.put(peer, addresses);
			}
			PacketCrypto packets = PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, CryptoModel.JCA,
					this.crypto.get(id));
			KnetHandle old = this.nodes.get(id);
			if (old != null) {
				old.close();
			}
			this.nodes.put(id, new KnetHandle(id, this.mode, links, peers, packets,
					KnetHandle.dataMtu(1500, false, packets), this.allocator, new KnetHandle.Output() {

						@Override
						public void send(int link, InetSocketAddress target, ByteBuf datagram) {
							Net.this.inFlight.add(new Object[] { id, link, target, ByteBufUtil.getBytes(datagram) });
							datagram.release();
						}

						@Override
						public void deliver(long source, boolean broadcast, ByteBuf message) {
							Net.this.delivered.get(id).add(ByteBufUtil.getBytes(message));
						}

					}));
		}

		KnetHandle node(long id) {
			return this.nodes.get(id);
		}

		KnetLinkStats stats(long at, long peer, int link) {
			return node(at).linkStats().stream().filter((s) -> s.nodeid() == peer && s.link() == link).findFirst()
				.orElseThrow();
		}

		List<byte[]> messages(long id) {
			return this.delivered.get(id);
		}

		List<String> delivered(long id) {
			return this.delivered.get(id).stream().map((m) -> "1:" + m[0]).toList();
		}

		void cut(int link) {
			this.cut.add(link);
		}

		void heal(int link) {
			this.cut.remove(link);
		}

		void replayLast(long to) {
			this.inFlight.add(this.lastData.get(to));
		}

		/** Delivers what is in flight, and ticks every host every 50 ms, from {@code from} to {@code until}. */
		void run(long from, long until) {
			advance(until, () -> false);
			this.now = Math.max(this.now, until);
		}

		/** Runs until the condition holds and returns the time; fails when {@code until} passes first. */
		long runUntil(long until, java.util.function.BooleanSupplier condition) {
			long reached = advance(until, condition);
			assertThat(reached).as("condition within the bound").isNotNegative();
			return reached;
		}

		/** Delivers what is in flight and ticks every host every 50 ms; -1 when the bound passed. */
		private long advance(long until, java.util.function.BooleanSupplier condition) {
			while (true) {
				pump();
				if (condition.getAsBoolean()) {
					return this.now;
				}
				if (this.now + 50 * MS > until) {
					return -1;
				}
				this.now += 50 * MS;
				for (KnetHandle handle : this.nodes.values()) {
					handle.tick(this.now);
				}
			}
		}

		private void pump() {
			while (!this.inFlight.isEmpty()) {
				List<Object[]> batch = new ArrayList<>(this.inFlight);
				this.inFlight.clear();
				if (this.reverse) {
					java.util.Collections.reverse(batch);
				}
				for (Object[] datagram : batch) {
					long from = (Long) datagram[0];
					int link = (Integer) datagram[1];
					InetSocketAddress target = (InetSocketAddress) datagram[2];
					long to = Long.parseLong(target.getAddress().getHostAddress().split("\\.")[3]);
					if (this.cut.contains(link) || this.blocked.contains(from + ">" + to)) {
						continue;
					}
					if (((byte[]) datagram[3]).length > 100) {
						this.lastData.put(to, datagram);
					}
					node(to).received(link, address(from, link), Unpooled.wrappedBuffer((byte[]) datagram[3]), this.now);
				}
			}
		}

	}

}
