package io.corosync4j.engine.transport.knet;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;

/** Heap buffers that count themselves: {@link #live()} is how many were allocated and not yet released. */
final class CountingAllocator extends AbstractByteBufAllocator {

	private long live;

	private long allocated;

	CountingAllocator() {
		super(false);
	}

	long live() {
		return this.live;
	}

	long allocated() {
		return this.allocated;
	}

	@Override
	protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
		this.live++;
		this.allocated++;
		return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity) {

			@Override
			protected void deallocate() {
				super.deallocate();
				CountingAllocator.this.live--;
			}

		};
	}

	@Override
	protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
		throw new UnsupportedOperationException("knet asks for heap buffers");
	}

	@Override
	public boolean isDirectBufferPooled() {
		return false;
	}

}
