package io.corosync4j.engine.transport;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read's receive buffers, once released, leave the allocator's chunk in place: the next read reuses it
 * instead of allocating and zeroing a chunk again.
 */
class ReceiveAllocatorTests {

	@Test
	void aFullReadReleasedKeepsTheChunk() {
		PooledByteBufAllocator allocator = NettyDatagrams.receiveAllocator(1);
		for (int i = 0; i < 20; i++) {
			read(allocator);
			assertThat(allocator.metric().usedDirectMemory()).isEqualTo(chunkSize(NettyDatagrams.RECEIVE_CHUNK_ORDER));
		}
	}

	@Test
	void nettysDefaultChunkIsFreedByTheSameRead() {
		// why the receive allocator has chunks of its own: with Netty's default geometry a full read lifts
		// the chunk to a list whose empty chunks are freed
		PooledByteBufAllocator defaults = new PooledByteBufAllocator(true, 0, 1, 8192, 9,
				PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(), true);
		read(defaults);
		assertThat(defaults.metric().usedDirectMemory()).isZero();
	}

	/** One read's datagrams held together until the read completes, then released. */
	private static void read(ByteBufAllocator allocator) {
		List<ByteBuf> batch = new ArrayList<>();
		for (int i = 0; i < NettyDatagrams.READS_PER_WAKEUP; i++) {
			batch.add(allocator.directBuffer(NettyDatagrams.RECEIVE_BUFFER));
		}
		batch.forEach(ByteBuf::release);
	}

	private static long chunkSize(int order) {
		return (long) PooledByteBufAllocator.defaultPageSize() << order;
	}

}
