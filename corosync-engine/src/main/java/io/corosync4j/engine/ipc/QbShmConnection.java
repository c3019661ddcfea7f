package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.IoEventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client on libqb's shared-memory transport: three ring buffers ({@link QbRing}) for requests,
 * responses and events, and the set-up stream, which wakes each side. The client writes a request into
 * its ring and sends one byte; the server writes an event into its ring and sends one byte, which the
 * client polls for; a response needs no byte, since the client waits on the ring's semaphore for it.
 * <p>
 * A ring holds one largest message. What does not fit while the client reads slowly waits here, in
 * order, and is tried again every millisecond (a ring tells nobody when its reader makes room); it
 * counts against the connection's bound. Everything runs on the serving loop; a client that broke a
 * ring (shrank its files, spoiled its header) is disconnected.
 */
final class QbShmConnection extends QbConnection {

	private static final Logger logger = LoggerFactory.getLogger(QbShmConnection.class);

	/** How long a message that found its ring full waits before it is tried again. */
	private static final long RETRY_MICROS = 1000;

	/** Requests taken per turn of the loop before the loop's other work (the ring's token) gets its turn. */
	private static final int REQUEST_BUDGET = 64;

	private final Path directory;

	private final QbRing requests;

	private final QbRing responses;

	private final QbRing events;

	/** Where requests are copied out of their ring: the server's, shared by every client on the loop. */
	private final ByteBuf requestBuffer;

	private final Queue<ByteBuf> waitingResponses = new ArrayDeque<>();

	private final Queue<ByteBuf> waitingEvents = new ArrayDeque<>();

	private boolean retryScheduled;

	/** Event bytes owed to the client, sent together once the loop's current task is done. */
	private int wakeUps;

	private boolean wakeUpScheduled;

	private boolean requestsScheduled;

	QbShmConnection(IpcServer server, IoEventLoop loop, String service, long pid, int uid, int gid, long serial,
			Channel setup, Path directory, QbRing requests, QbRing responses, QbRing events, ByteBuf requestBuffer,
			long bound) {
		super(server, loop, service, pid, uid, gid, serial, setup, bound);
		this.directory = directory;
		this.requests = requests;
		this.responses = responses;
		this.events = events;
		this.requestBuffer = requestBuffer;
	}

	/** On the loop: the session takes the requests from now on, and any already written are read. */
	void start(IpcSession session) {
		session(session);
		takeRequests();
	}

	/** On the loop: into the ring now, or behind those already waiting for room. */
	@Override
	void put(ByteBuf message, boolean response) {
		if (!isOpen()) {
			message.release();
			return;
		}
		Queue<ByteBuf> waiting = response ? this.waitingResponses : this.waitingEvents;
		if (waiting.isEmpty() && write(message, response)) {
			return;
		}
		waiting.add(message);
		if (!this.retryScheduled) {
			scheduleRetry();
		}
	}

	private void scheduleRetry() {
		this.retryScheduled = true;
		try {
			this.loop.schedule(this::retryWaiting, RETRY_MICROS, TimeUnit.MICROSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the serving loop stopped: what waits goes with the connection
			disconnect();
		}
	}

	/** True when the message went into its ring (and was released). */
	private boolean write(ByteBuf message, boolean response) {
		int size = message.readableBytes();
		try {
			if (!(response ? this.responses : this.events).write(message)) {
				return false;
			}
		}
		catch (IllegalStateException ex) {
			this.server.invalid();
			logger.warn("IPC client {} of {}: its {} ring is broken, disconnecting it", this.pid, this.service,
					response ? "response" : "event", ex);
			disconnect();
			return false;
		}
		message.release();
		if (!response) {
			wakeClient();
		}
		delivered(size);
		return true;
	}

	private void retryWaiting() {
		this.retryScheduled = false;
		flush(this.waitingResponses, true);
		flush(this.waitingEvents, false);
		if (isOpen() && (!this.waitingResponses.isEmpty() || !this.waitingEvents.isEmpty())) {
			scheduleRetry();
		}
	}

	private void flush(Queue<ByteBuf> waiting, boolean response) {
		ByteBuf next;
		while (isOpen() && (next = waiting.peek()) != null && write(next, response)) {
			waiting.poll();
		}
	}

	/** One byte per event on the set-up stream, all of a turn's in one write. */
	private void wakeClient() {
		this.wakeUps++;
		if (!this.wakeUpScheduled) {
			this.wakeUpScheduled = true;
			try {
				this.loop.execute(this::sendWakeUps);
			}
			catch (RejectedExecutionException ex) {
				// the serving loop stopped: the connection goes with it
				disconnect();
			}
		}
	}

	private void sendWakeUps() {
		this.wakeUpScheduled = false;
		int count = this.wakeUps;
		this.wakeUps = 0;
		if (count > 0 && isOpen()) {
			this.setup.writeAndFlush(this.setup.alloc().buffer(count).writeZero(count), this.setup.voidPromise());
		}
	}

	/** On the loop: the client sent wake-up bytes, one per request it wrote; takes what its ring holds. */
	@Override
	void setupRead() {
		if (session() != null && !this.requestsScheduled) {
			takeRequests();
		}
	}

	private void takeRequests() {
		this.requestsScheduled = false;
		for (int taken = 0; taken < REQUEST_BUDGET; taken++) {
			if (!isOpen()) {
				return;
			}
			int length;
			try {
				length = this.requests.take(this.requestBuffer);
			}
			catch (IOException | IllegalStateException ex) {
				this.server.invalid();
				logger.warn("IPC client {} of {}: its request ring is broken, disconnecting it", this.pid, this.service,
						ex);
				disconnect();
				return;
			}
			if (length < 0) {
				return;
			}
			request(this.requestBuffer);
		}
		// more may wait: the rest on a later turn, after the loop's other work
		this.requestsScheduled = true;
		try {
			this.loop.execute(this::takeRequests);
		}
		catch (RejectedExecutionException ex) {
			disconnect();
		}
	}

	@Override
	void flowControl(int level) {
		try {
			this.requests.flowControl(level);
		}
		catch (IllegalStateException ex) {
			// shrunk files: the loop's next access of the ring disconnects the client
		}
	}

	@Override
	void closeTransport() {
		release(this.waitingResponses);
		release(this.waitingEvents);
		this.requests.close();
		this.responses.close();
		this.events.close();
		QbFiles.deleteQuietly(this.directory);
	}

	private static void release(Queue<ByteBuf> messages) {
		ByteBuf message;
		while ((message = messages.poll()) != null) {
			message.release();
		}
	}

	@Override
	public String toString() {
		return this.service + " client " + this.pid + " (uid " + this.uid + ", shared-memory connection " + this.serial
				+ ")";
	}

}
