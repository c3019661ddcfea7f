package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * One of a client's datagram sockets, registered straight with the serving loop's epoll: each datagram
 * is read whole into the server's one request buffer, and each message goes out with one {@code send},
 * queued in order while the client's buffer is full. A Netty channel would cost a pipeline pass, a
 * promise, an outbound-buffer entry and, per read, a JNI-made sender address: more than a small
 * request itself. Everything here runs on the loop it is registered with.
 */
final class QbSocket implements EpollIoHandle {

	/**
	 * Bytes read per readiness before the loop's other sockets get their turn (the socket is watched
	 * level-triggered, so the rest is read at the loop's next pass): a client that sends fast must not
	 * keep the token waiting, as the daemon polls its clients below the network.
	 */
	private static final int READ_BUDGET = 64 * 1024;

	/** What the socket tells its connection. */
	interface Owner {

		/** A datagram, valid until this returns ({@code null}: one of zero bytes). */
		void datagram(@Nullable ByteBuf datagram);

		/** A message left whole; {@code bytes} no longer wait. */
		void sent(int bytes, boolean response);

		/** The socket failed: the connection goes. */
		void failed(String what, IOException cause);

	}

	private final Socket socket;

	private final Owner owner;

	/** Where datagrams are read; null for a socket nothing is read from. */
	private final @Nullable ByteBuf readBuffer;

	private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();

	private @Nullable IoRegistration registration;

	/**
	 * What the socket is always watched for: datagrams where it reads them; elsewhere only the
	 * edge-triggered flag, since Netty takes "nothing" as a request to remove the descriptor from epoll
	 * and cannot add it back.
	 */
	private final EpollIoOps baseline;

	private EpollIoOps ops = EpollIoOps.NONE;

	private boolean closed;

	private record Outgoing(ByteBuf message, boolean response) {
	}

	QbSocket(int fd, Owner owner, @Nullable ByteBuf readBuffer) {
		this.socket = new Socket(fd);
		this.owner = owner;
		this.readBuffer = readBuffer;
		this.baseline = (readBuffer != null) ? EpollIoOps.EPOLLIN : EpollIoOps.EPOLLET;
	}

	/** The descriptor's number, for calls Netty's socket does not make. */
	int descriptor() {
		return this.socket.intValue();
	}

	/** On {@code loop}: starts watching the socket (for datagrams, when it reads any). */
	void register(IoEventLoop loop) throws IOException {
		Future<IoRegistration> registered = loop.register(this);
		if (!registered.isDone() || !registered.isSuccess()) {
			throw new IOException("cannot register an IPC socket with its loop", registered.cause());
		}
		this.registration = registered.getNow();
		watch(this.baseline);
	}

	/** Sends a message now, or after those waiting; takes ownership of it. */
	void send(ByteBuf message, boolean response) {
		if (this.closed) {
			message.release();
			return;
		}
		if (!this.waiting.isEmpty()) {
			this.waiting.add(new Outgoing(message, response));
			return;
		}
		try {
			if (!sendNow(message, response)) {
				this.waiting.add(new Outgoing(message, response));
				// edge-triggered or not, adding it reports a socket that has room again at once
				watch(this.baseline.with(EpollIoOps.EPOLLOUT));
			}
		}
		catch (IOException ex) {
			message.release();
			this.owner.failed("send", ex);
		}
	}

	/** True when the message left (and was released); false when the socket is full. */
	private boolean sendNow(ByteBuf message, boolean response) throws IOException {
		int size = message.readableBytes();
		int sent;
		if (message.hasMemoryAddress()) {
			sent = this.socket.sendAddress(message.memoryAddress(), message.readerIndex(), message.writerIndex());
		}
		else if (message.isDirect() && message.nioBufferCount() == 1) {
			sent = send(message.internalNioBuffer(message.readerIndex(), size));
		}
		else {
			// a heap or composite message: the kernel takes one direct run of bytes
			ByteBuf direct = message.alloc().directBuffer(size).writeBytes(message, message.readerIndex(), size);
			try {
				sent = send(direct.internalNioBuffer(0, size));
			}
			finally {
				direct.release();
			}
		}
		if (sent == 0 && size > 0) {
			return false;
		}
		message.release();
		this.owner.sent(size, response);
		return true;
	}

	/** The native call takes the buffer's base address: the bytes are those between position and limit. */
	private int send(ByteBuffer bytes) throws IOException {
		return this.socket.send(bytes, bytes.position(), bytes.limit());
	}

	@Override
	public void handle(IoRegistration registration, IoEvent event) {
		EpollIoOps ready = ((EpollIoEvent) event).ops();
		if (ready.contains(EpollIoOps.EPOLLOUT)) {
			writeWaiting();
		}
		if (!this.closed && this.readBuffer != null
				&& (ready.contains(EpollIoOps.EPOLLIN) || ready.contains(EpollIoOps.EPOLLERR))) {
			read(this.readBuffer);
		}
	}

	private void writeWaiting() {
		try {
			Outgoing next;
			while ((next = this.waiting.peek()) != null) {
				if (!sendNow(next.message(), next.response())) {
					return;
				}
				this.waiting.poll();
			}
			watch(this.baseline);
		}
		catch (IOException ex) {
			this.owner.failed("send", ex);
		}
	}

	private void read(ByteBuf buffer) {
		try {
			for (int budget = READ_BUDGET; budget > 0 && !this.closed;) {
				int read;
				if (buffer.hasMemoryAddress()) {
					read = this.socket.recvAddress(buffer.memoryAddress(), 0, buffer.capacity());
				}
				else {
					ByteBuffer into = buffer.internalNioBuffer(0, buffer.capacity());
					read = this.socket.recv(into, into.position(), into.limit());
				}
				if (read == 0) {
					return;
				}
				budget -= Math.max(read, 1);
				this.owner.datagram((read < 0) ? null : buffer.setIndex(0, read));
			}
		}
		catch (IOException ex) {
			this.owner.failed("receive", ex);
		}
	}

	private void watch(EpollIoOps wanted) {
		IoRegistration current = this.registration;
		if (current != null && !this.closed && wanted.value() != this.ops.value()) {
			this.ops = wanted;
			try {
				current.submit(wanted);
			}
			catch (UncheckedIOException ex) {
				this.owner.failed("epoll_ctl", ex.getCause());
			}
		}
	}

	@Override
	public FileDescriptor fd() {
		return this.socket;
	}

	/** Stops watching and closes the socket; what still waited is dropped. */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		IoRegistration current = this.registration;
		if (current != null) {
			try {
				current.cancel();
			}
			catch (RejectedExecutionException ex) {
				// closed from another thread after the loop stopped: its epoll is gone with it
			}
		}
		Outgoing left;
		while ((left = this.waiting.poll()) != null) {
			left.message().release();
		}
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing a datagram socket fails only for a descriptor already gone: it is closed either way
		}
	}

}
