package io.corosync4j.engine.ipc;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.IoEventLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admitted libqb client, whatever its transport ({@link QbSocketConnection},
 * {@link QbShmConnection}): its set-up stream, which closes when the client goes, its session, and the
 * one bound on what it leaves unread.
 * <p>
 * Everything unread by the client counts against that bound: past half of it the client is asked to
 * hold its requests (libqb's flow-control flag: its sends fail with {@code EAGAIN}, which Corosync's
 * libraries turn into {@code CS_ERR_TRY_AGAIN}, and a client then dispatches before it retries); past
 * all of it the client is disconnected, so a client that stops reading costs the node memory only up
 * to the bound and never stalls it. Requests already sent are still read and answered: a client
 * blocked waiting for an answer reads nothing else, and would wait for ever. Responses and events may
 * come from any thread; they go out on the serving loop in call order.
 */
abstract class QbConnection implements IpcConnection {

	private static final Logger logger = LoggerFactory.getLogger(QbConnection.class);

	final IpcServer server;

	/** Where the transport's work and the session run. */
	final IoEventLoop loop;

	final String service;

	final long pid;

	final int uid;

	final int gid;

	final long serial;

	final Channel setup;

	private final long bound;

	private final AtomicLong unread = new AtomicLong();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Responses and events from other threads, waiting for the loop, in call order. */
	private final Queue<Outgoing> incoming = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	/** Whether the client left more than half its bound unread: it is asked to hold every request. */
	private volatile boolean backlogged;

	/** Whether the service asked the client to hold its multicasts. */
	private volatile boolean multicastsHeld;

	private @Nullable IpcSession session;

	private record Outgoing(ByteBuf message, boolean response) {
	}

	QbConnection(IpcServer server, IoEventLoop loop, String service, long pid, int uid, int gid, long serial,
			Channel setup, long bound) {
		this.server = server;
		this.loop = loop;
		this.service = service;
		this.pid = pid;
		this.uid = uid;
		this.gid = gid;
		this.serial = serial;
		this.setup = setup;
		this.bound = bound;
	}

	/** On the loop: a message goes to the client now, or waits its turn; takes ownership of it. */
	abstract void put(ByteBuf message, boolean response);

	/** Sets the flow-control flag the client reads before each send. */
	abstract void flowControl(int level);

	/** On the loop, once: releases the transport's sockets, files and waiting messages. */
	abstract void closeTransport();

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public int uid() {
		return this.uid;
	}

	@Override
	public int gid() {
		return this.gid;
	}

	@Override
	public String service() {
		return this.service;
	}

	@Override
	public Executor loop() {
		return this.loop;
	}

	@Override
	public ByteBufAllocator alloc() {
		return this.setup.alloc();
	}

	@Override
	public boolean isOpen() {
		return !this.closed.get();
	}

	@Nullable IpcSession session() {
		return this.session;
	}

	void session(IpcSession session) {
		this.session = session;
	}

	@Override
	public void respond(ByteBuf response) {
		if (admit(response)) {
			hand(response, true);
		}
	}

	@Override
	public boolean event(ByteBuf event) {
		if (!admit(event)) {
			return false;
		}
		hand(event, false);
		return true;
	}

	/** Counts a message against the bound; false (and the client disconnected) when it does not fit. */
	private boolean admit(ByteBuf message) {
		if (this.closed.get()) {
			message.release();
			return false;
		}
		long now = this.unread.addAndGet(message.readableBytes());
		if (now > this.bound) {
			this.unread.addAndGet(-message.readableBytes());
			message.release();
			this.server.overflowed();
			logger.warn("IPC client {} of {} left {} bytes unread, more than its bound of {}: disconnecting it",
					this.pid, this.service, now, this.bound);
			disconnect();
			return false;
		}
		if (now > this.bound / 2 && !this.backlogged) {
			this.backlogged = true;
			applyFlowControl();
		}
		return true;
	}

	/** {@code bytes} of a message left the node's hands: the client has them, or they wait no more here. */
	void delivered(int bytes) {
		long now = this.unread.addAndGet(-bytes);
		if (now < this.bound / 4 && this.backlogged && !this.closed.get()) {
			this.backlogged = false;
			applyFlowControl();
		}
	}

	/** On the loop, behind anything other threads handed over first; from elsewhere, through the queue. */
	private void hand(ByteBuf message, boolean response) {
		if (this.loop.inEventLoop()) {
			if (!this.incoming.isEmpty()) {
				drainIncoming();
			}
			put(message, response);
			return;
		}
		// one task takes every message queued by then, so a burst costs the loop one wake-up
		this.incoming.add(new Outgoing(message, response));
		if (this.draining.compareAndSet(false, true)) {
			try {
				this.loop.execute(this::drainIncoming);
			}
			catch (RejectedExecutionException ex) {
				// the serving loop stopped: the connection is closed with it
				disconnect();
			}
		}
	}

	private void drainIncoming() {
		this.draining.set(false);
		Outgoing next;
		while ((next = this.incoming.poll()) != null) {
			put(next.message(), next.response());
		}
	}

	/**
	 * On the loop: one request as the client sent it ({@code null}: one of no bytes). A request shorter
	 * than its header disconnects the client, one whose size does not fit is answered as the daemon
	 * answers what it cannot take apart, and a session that fails on one loses its client.
	 */
	void request(@Nullable ByteBuf message) {
		int length = (message != null) ? message.readableBytes() : 0;
		if (message == null || length < IpcMessages.REQUEST_HEADER_SIZE) {
			this.server.invalid();
			logger.warn("IPC client {} of {} sent a {}-byte request, shorter than a request header: disconnecting it",
					this.pid, this.service, length);
			disconnect();
			return;
		}
		int id = IpcMessages.requestId(message);
		int size = IpcMessages.requestSize(message);
		if (size == 0 || id == QbSetup.DISCONNECT) {
			disconnect();
			return;
		}
		if (size < IpcMessages.REQUEST_HEADER_SIZE || size > length) {
			// as the daemon answers a request it cannot take apart: id 0, CS_ERR_INVALID_PARAM
			this.server.invalid();
			respond(IpcMessages.header(alloc(), 0, CsError.INVALID_PARAM));
			return;
		}
		IpcSession current = this.session;
		if (current == null) {
			return;
		}
		this.server.requested();
		try {
			current.request(id, message.slice(message.readerIndex(), size));
		}
		catch (RuntimeException ex) {
			// a service that cannot answer a request is a bug in it; the client goes, the node stays, as
			// nothing a client asks is half-applied to the ring's state by the IPC layer
			this.server.failed();
			logger.error("IPC service {} failed on request {} of client {}: disconnecting it", this.service, id,
					this.pid, ex);
			disconnect();
		}
	}

	@Override
	public void holdMulticasts(boolean hold) {
		if (this.multicastsHeld != hold) {
			this.multicastsHeld = hold;
			applyFlowControl();
		}
	}

	private synchronized void applyFlowControl() {
		if (!this.closed.get()) {
			flowControl(this.backlogged ? 1 : (this.multicastsHeld ? 2 : 0));
		}
	}

	@Override
	public void disconnect() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		if (this.loop.inEventLoop()) {
			closeOnLoop();
			return;
		}
		try {
			this.loop.execute(this::closeOnLoop);
		}
		catch (RejectedExecutionException ex) {
			// the serving loop (a node's) has stopped: nothing else runs for this connection any more
			closeOnLoop();
		}
	}

	/** On the loop: the client wrote to its set-up stream (what it wrote is of no further use). */
	void setupRead() {
		// a socket client sends nothing more there; the stream only tells when it goes
	}

	/** The set-up stream closed: the client went. */
	void setupClosed() {
		disconnect();
	}

	private void closeOnLoop() {
		Outgoing waiting;
		while ((waiting = this.incoming.poll()) != null) {
			waiting.message().release();
		}
		this.setup.close();
		closeTransport();
		this.server.removed(this);
		IpcSession current = this.session;
		if (current != null) {
			try {
				current.closed();
			}
			catch (RuntimeException ex) {
				logger.error("IPC service {} failed closing the session of client {}", this.service, this.pid, ex);
			}
		}
	}

}
