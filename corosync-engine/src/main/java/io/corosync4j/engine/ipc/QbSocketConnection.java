package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.IoEventLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client on libqb's socket transport: the request socket (requests in, responses out, connected
 * to the client's {@code -response} socket), the event socket (connected to its {@code -event} socket)
 * and the control file, whose flow-control flag the client reads before each send.
 */
final class QbSocketConnection extends QbConnection implements QbSocket.Owner {

	private static final Logger logger = LoggerFactory.getLogger(QbSocketConnection.class);

	/** Requests in, responses out (connected to the client's {@code -response} socket). */
	private final QbSocket requests;

	/** Events out (connected to the client's {@code -event} socket); nothing is read there. */
	private final QbSocket events;

	private final QbControl control;

	/** Events sent before the client's first request, when its sockets may not be bound yet. */
	private final Queue<ByteBuf> early = new ArrayDeque<>();

	private boolean peersConnected;

	QbSocketConnection(IpcServer server, IoEventLoop loop, String service, long pid, int uid, int gid, long serial,
			Channel setup, int requestSocket, int eventSocket, ByteBuf requestBuffer, QbControl control, long bound) {
		super(server, loop, service, pid, uid, gid, serial, setup, bound);
		this.requests = new QbSocket(requestSocket, this, requestBuffer);
		this.events = new QbSocket(eventSocket, this, null);
		this.control = control;
	}

	/** On the loop: the session takes the requests from now on. */
	void start(IpcSession session) throws IOException {
		session(session);
		this.requests.register(this.loop);
		this.events.register(this.loop);
	}

	@Override
	void put(ByteBuf message, boolean response) {
		if (!isOpen()) {
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

	@Override
	public void sent(int bytes, boolean response) {
		if (response) {
			this.control.responseSent();
		}
		else {
			this.control.eventSent();
		}
		delivered(bytes);
	}

	@Override
	public void failed(String what, IOException cause) {
		if (isOpen()) {
			logger.warn("IPC client {} of {}: {} failed, disconnecting it", this.pid, this.service, what, cause);
			disconnect();
		}
	}

	@Override
	void flowControl(int level) {
		this.control.flowControl(level);
	}

	/**
	 * A datagram on the request socket. The first one shows the client's sockets are bound (it binds them
	 * before its first send), so both of ours are connected to them then: from that moment no other process
	 * can send to them.
	 */
	@Override
	public void datagram(@Nullable ByteBuf message) {
		if (!isOpen()) {
			return;
		}
		if (!this.peersConnected && !connectPeers()) {
			return;
		}
		this.control.requestReceived();
		request(message);
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
	void closeTransport() {
		ByteBuf event;
		while ((event = this.early.poll()) != null) {
			event.release();
		}
		this.requests.close();
		this.events.close();
		this.control.close();
	}

	@Override
	public String toString() {
		return this.service + " client " + this.pid + " (uid " + this.uid + ", connection " + this.serial + ")";
	}

}
