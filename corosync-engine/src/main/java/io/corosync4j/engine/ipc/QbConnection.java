package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.util.ArrayDeque;
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
 * One client on libqb's socket transport: its set-up stream (kept open only to notice the client go),
 * the request socket (requests in, responses out, connected to the client's {@code -response} socket),
 * the event socket (connected to its {@code -event} socket) and the control file.
 * <p>
 * Everything unread by the client counts against one bound: past half of it the client is asked to
 * hold its requests (the control file's flow-control flag: its sends fail with {@code EAGAIN}, which
 * Corosync's libraries turn into {@code CS_ERR_TRY_AGAIN}, and a client then dispatches before it
 * retries); past all of it the client is disconnected, so a client that stops reading costs the node
 * memory only up to the bound and never stalls it. Requests already sent are still read and answered:
 * a client blocked waiting for an answer reads nothing else, and would wait for ever.
 */
final class QbConnection implements IpcConnection, QbSocket.Owner {

	private static final Logger logger = LoggerFactory.getLogger(QbConnection.class);

	private final IpcServer server;

	/** Where the sockets' work and the session run. */
	private final IoEventLoop loop;

	private final String service;

	private final long pid;

	private final int uid;

	private final int gid;

	private final long serial;

	private final Channel setup;

	/** Requests in, responses out (connected to the client's {@code -response} socket). */
	private final QbSocket requests;

	/** Events out (connected to the client's {@code -event} socket); nothing is read there. */
	private final QbSocket events;

	private final QbControl control;

	private final long bound;

	private final AtomicLong unread = new AtomicLong();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Responses and events from other threads, waiting for the loop, in call order. */
	private final Queue<Outgoing> incoming = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	/** Events sent before the client's first request, when its sockets may not be bound yet. */
	private final Queue<ByteBuf> early = new ArrayDeque<>();

	private boolean peersConnected;

	/** Whether the client left more than half its bound unread: it is asked to hold every request. */
	private volatile boolean backlogged;

	/** Whether the service asked the client to hold its multicasts. */
	private volatile boolean multicastsHeld;

	private @Nullable IpcSession session;

	private record Outgoing(ByteBuf message, boolean response) {
	}

	QbConnection(IpcServer server, IoEventLoop loop, String service, long pid, int uid, int gid, long serial,
			Channel setup, int requestSocket, int eventSocket, ByteBuf requestBuffer, QbControl control, long bound) {
		this.server = server;
		this.loop = loop;
		this.service = service;
		this.pid = pid;
		this.uid = uid;
		this.gid = gid;
		this.serial = serial;
		this.setup = setup;
		this.requests = new QbSocket(requestSocket, this, requestBuffer);
		this.events = new QbSocket(eventSocket, this, null);
		this.control = control;
		this.bound = bound;
	}

	/** On the loop: the session takes the requests from now on. */
	void start(IpcSession session) throws IOException {
		this.session = session;
		this.requests.register(this.loop);
		this.events.register(this.loop);
	}

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

	private void put(ByteBuf message, boolean response) {
		if (this.closed.get()) {
			message.release();
			return;
		}
		if (response) {
			this.requests.send(message, true);
		}
		else if (this.peersConnected) {
			this.events.send(message, false);
		}
		else {
			this.early.add(message);
		}
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
			this.server.overflowed(this);
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

	@Override
	public void sent(int bytes, boolean response) {
		if (response) {
			this.control.responseSent();
		}
		else {
			this.control.eventSent();
		}
		long now = this.unread.addAndGet(-bytes);
		if (now < this.bound / 4 && this.backlogged && !this.closed.get()) {
			this.backlogged = false;
			applyFlowControl();
		}
	}

	@Override
	public void failed(String what, IOException cause) {
		if (!this.closed.get()) {
			logger.warn("IPC client {} of {}: {} failed, disconnecting it", this.pid, this.service, what, cause);
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
			this.control.flowControl(this.backlogged ? 1 : (this.multicastsHeld ? 2 : 0));
		}
	}

	/**
	 * A datagram on the request socket. The first one shows the client's sockets are bound (it binds them
	 * before its first send), so both of ours are connected to them then: from that moment no other process
	 * can send to them.
	 */
	@Override
	public void datagram(@Nullable ByteBuf message) {
		if (this.closed.get()) {
			return;
		}
		if (!this.peersConnected && !connectPeers()) {
			return;
		}
		this.control.requestReceived();
		int length = (message != null) ? message.readableBytes() : 0;
		if (message == null || length < IpcMessages.REQUEST_HEADER_SIZE) {
			this.server.invalid(this);
			logger.warn("IPC client {} of {} sent a {}-byte datagram, shorter than a request header: disconnecting it",
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
			this.server.invalid(this);
			respond(IpcMessages.header(alloc(), 0, CsError.INVALID_PARAM));
			return;
		}
		IpcSession current = this.session;
		if (current == null) {
			return;
		}
		this.server.requested(this);
		try {
			current.request(id, message.slice(message.readerIndex(), size));
		}
		catch (RuntimeException ex) {
			// a service that cannot answer a request is a bug in it; the client goes, the node stays, as
			// nothing a client asks is half-applied to the ring's state by the IPC layer
			this.server.failed(this);
			logger.error("IPC service {} failed on request {} of client {}: disconnecting it", this.service, id,
					this.pid, ex);
			disconnect();
		}
	}

	private boolean connectPeers() {
		try {
			UnixSockets.connect(this.requests.descriptor(), this.control.baseName() + "-response");
			UnixSockets.connect(this.events.descriptor(), this.control.baseName() + "-event");
		}
		catch (IOException ex) {
			logger.warn("IPC client {} of {}: cannot connect to its sockets, disconnecting it", this.pid, this.service,
					ex);
			disconnect();
			return false;
		}
		this.peersConnected = true;
		ByteBuf event;
		while ((event = this.early.poll()) != null) {
			this.events.send(event, false);
		}
		return true;
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

	/** The set-up stream closed: the client went. */
	void setupClosed() {
		disconnect();
	}

	private void closeOnLoop() {
		ByteBuf event;
		while ((event = this.early.poll()) != null) {
			event.release();
		}
		Outgoing waiting;
		while ((waiting = this.incoming.poll()) != null) {
			waiting.message().release();
		}
		this.setup.close();
		this.requests.close();
		this.events.close();
		this.control.close();
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

	@Override
	public String toString() {
		return this.service + " client " + this.pid + " (uid " + this.uid + ", connection " + this.serial + ")";
	}

}
