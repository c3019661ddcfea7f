package io.corosync4j.engine.transport.knet;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.corosync4j.engine.config.CryptoCipher;
import io.corosync4j.engine.config.CryptoHash;
import io.corosync4j.engine.config.CryptoModel;
import io.corosync4j.engine.config.LinkMode;
import io.corosync4j.engine.crypto.PacketCrypto;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What one message costs through two knet handles (send, seal, open, deliver), in time and in heap
 * allocated per message. Not a test:
 * {@code ./mvnw -pl corosync-engine test -Dtest=KnetHandleBenchmark -Dcorosync4j.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "corosync4j.benchmark", matches = "true")
class KnetHandleBenchmark {

	private static final long MS = 1_000_000L;

	@Test
	void sendSealOpenDeliver() throws InterruptedException {
		// on a Netty thread, as on the node's event loop: the pooled allocator caches per such thread
		Thread thread = new DefaultThreadFactory("knet-benchmark").newThread(this::measure);
		thread.start();
		thread.join();
	}

	private void measure() {
		byte[] key = new byte[256];
		new Random(1).nextBytes(key);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		System.out.println("| crypto | message | µs per message | bytes allocated per message |");
		System.out.println("|---|---:|---:|---:|");
		for (boolean encrypted : new boolean[] { false, true }) {
			for (int size : new int[] { 64, 1024, 16 * 1024 }) {
				Pair pair = new Pair(encrypted ? PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256, CryptoModel.JCA, key)
						: PacketCrypto.none(), encrypted ? PacketCrypto.of(CryptoCipher.AES256, CryptoHash.SHA256,
								CryptoModel.JCA, key) : PacketCrypto.none());
				ByteBuf message = Unpooled.wrappedBuffer(new byte[size]);
				int rounds = Math.max(2_000, 40_000_000 / size);
				for (int i = 0; i < rounds; i++) {
					pair.send(message);
				}
				pair.delivered = 0;
				long thread = Thread.currentThread().getId();
				long allocated = threads.getThreadAllocatedBytes(thread);
				long start = System.nanoTime();
				for (int i = 0; i < rounds; i++) {
					pair.send(message);
				}
				long elapsed = System.nanoTime() - start;
				allocated = threads.getThreadAllocatedBytes(thread) - allocated;
				if (pair.delivered != 2L * rounds) {
					throw new AssertionError("delivered " + pair.delivered + " of " + 2L * rounds);
				}
				System.out.printf("| %s | %d B | %.2f | %d |%n", encrypted ? "aes256/sha256" : "none", size,
						elapsed / 1e3 / rounds, allocated / rounds);
			}
		}
	}

	/** Host 1 sends, host 2 receives, synchronously; links are up after the first heartbeats. */
	private static final class Pair {

		final KnetHandle one;

		final KnetHandle two;

		long now;

		long delivered;

		Pair(PacketCrypto first, PacketCrypto second) {
			InetSocketAddress a = new InetSocketAddress("10.0.0.1", 5405);
			InetSocketAddress b = new InetSocketAddress("10.0.0.2", 5405);
			Map<Long, Map<Integer, InetSocketAddress>> hosts = Map.of(1L, Map.of(0, a), 2L, Map.of(0, b));
			List<KnetHandle.LinkSettings> links = List.of(new KnetHandle.LinkSettings(0, 1, 250 * MS, 500 * MS, 2, 2048));
			KnetHandle[] handles = new KnetHandle[2];
			handles[0] = new KnetHandle(1, LinkMode.PASSIVE, links, hosts, first, KnetHandle.dataMtu(1500, false, first),
					PooledByteBufAllocator.DEFAULT, new KnetHandle.Output() {

						@Override
						public void send(int link, InetSocketAddress target, ByteBuf datagram) {
							handles[1].received(link, a, datagram, Pair.this.now);
							datagram.release();
						}

						@Override
						public void deliver(long source, boolean broadcast, ByteBuf message) {
						}

					});
			handles[1] = new KnetHandle(2, LinkMode.PASSIVE, links, hosts, second, KnetHandle.dataMtu(1500, false, second),
					PooledByteBufAllocator.DEFAULT, new KnetHandle.Output() {

						@Override
						public void send(int link, InetSocketAddress target, ByteBuf datagram) {
							handles[0].received(link, b, datagram, Pair.this.now);
							datagram.release();
						}

						@Override
						public void deliver(long source, boolean broadcast, ByteBuf message) {
							Pair.this.delivered++;
						}

					});
			this.one = handles[0];
			this.two = handles[1];
			for (int i = 0; i < 10 && !(this.one.reachable(2) && this.two.reachable(1)); i++) {
				this.now += 300 * MS;
				this.one.tick(this.now);
				this.two.tick(this.now);
			}
		}

		void send(ByteBuf message) {
			this.one.broadcast(message, this.now);
			this.one.unicast(2, message, this.now);
		}

	}

}
