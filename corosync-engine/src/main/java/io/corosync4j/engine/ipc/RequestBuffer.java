package io.corosync4j.engine.ipc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Reads every request datagram into one buffer of the largest message size, reused. A datagram must be
 * read whole in one call, so the buffer is as large as the largest request; allocating that per
 * datagram cost more than the request itself. Reuse is safe because every request channel runs on the
 * server's one loop, the pipeline handles each datagram before the next is read, and sessions copy
 * what they keep ({@link IpcSession#request}).
 */
final class RequestBuffer implements RecvByteBufAllocator {

	private final ByteBuf buffer;

	private final FixedRecvByteBufAllocator fixed;

	RequestBuffer(int size) {
		this.buffer = Unpooled.directBuffer(size, size);
		this.fixed = new FixedRecvByteBufAllocator(size);
	}

	@Override
	public Handle newHandle() {
		ExtendedHandle delegate = (ExtendedHandle) this.fixed.newHandle();
		return new ExtendedHandle() {

			@Override
			public ByteBuf allocate(ByteBufAllocator alloc) {
				// the reader releases it after the datagram was handled: one retain per read
				return RequestBuffer.this.buffer.retain().clear();
			}

			@Override
			public int guess() {
				return delegate.guess();
			}

			@Override
			public void reset(ChannelConfig config) {
				delegate.reset(config);
			}

			@Override
			public void incMessagesRead(int numMessages) {
				delegate.incMessagesRead(numMessages);
			}

			@Override
			public void lastBytesRead(int bytes) {
				delegate.lastBytesRead(bytes);
			}

			@Override
			public int lastBytesRead() {
				return delegate.lastBytesRead();
			}

			@Override
			public void attemptedBytesRead(int bytes) {
				delegate.attemptedBytesRead(bytes);
			}

			@Override
			public int attemptedBytesRead() {
				return delegate.attemptedBytesRead();
			}

			@Override
			public boolean continueReading() {
				return delegate.continueReading();
			}

			@Override
			public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
				return delegate.continueReading(maybeMoreDataSupplier);
			}

			@Override
			public void readComplete() {
				delegate.readComplete();
			}

		};
	}

	/** Frees the buffer once the server's channels are closed. */
	void release() {
		this.buffer.release();
	}

}
