package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves libqb IPC for a set of services, as the Corosync daemon does.
 * <p>
 * Listening and libqb's set-up run on a loop of the server's own (made in the network namespace when one
 * is configured, since a socket belongs to the namespace of the thread that makes it). Each admitted
 * client's requests, responses and events run on the serving loop: a node's own event loop when it is
 * given one (as the daemon serves its clients on its one thread, so a request reaches the ring and an
 * event reaches the client without a hand-off between threads), else the server's loop.
 * <p>
 * Each service listens on its libqb name. A client connects, sends libqb's connection request, and is
 * admitted when it is root or {@link IpcAccess} admits it (otherwise it is answered {@code -EACCES},
 * which Corosync's libraries report as an access error). The answer names the transport the settings
 * choose, either of which every libqb client supports: shared memory (three ring buffers per client),
 * or sockets (a control file and two datagram sockets per client); a client's files sit in a fresh
 * directory under the settings' control directory. A shared-memory client's set-up stream wakes its
 * requests, so it is watched on the serving loop from the start.
 */
public final class IpcServer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(IpcServer.class);

	private static final int EACCES = 13;

	/** No client is offered messages larger than this, whatever the kernel would take. */
	private static final long LARGEST_OFFERED = 64L * 1024 * 1024;

	/** A client that connects and never finishes libqb's set-up is closed after this long. */
	private static final long SETUP_TIMEOUT_MILLIS = 10_000;

	private final IpcSettings settings;

	private final IpcAccess access;

	private final EventLoopGroup group;

	private final EventLoop loop;

	/** Where the clients' sockets and sessions run: a node's loop, or {@link #loop}. */
	private final IoEventLoop servingLoop;

	private final List<Channel> listeners = new ArrayList<>();

	private final List<Path> socketFiles = new ArrayList<>();

	/** The services served, closed with the server. */
	private final List<IpcService> services = new ArrayList<>();

	private final Set<IpcConnection> connections = ConcurrentHashMap.newKeySet();

	/** Clients still in libqb's set-up: closed with the server, wherever their set-up runs. */
	private final Set<Channel> settingUp = ConcurrentHashMap.newKeySet();

	private final long pid = ProcessHandle.current().pid();

	private final int maxDatagram;

	/**
	 * Every request is read into this one buffer, as large as the largest datagram (a datagram is read
	 * whole or not at all): all request sockets are read on the serving loop, each datagram is handled
	 * before the next is read, and sessions copy what they keep ({@link IpcSession#request}).
	 */
	private final ByteBuf requestBuffer;

	/**
	 * Where requests are copied out of shared-memory rings, on the serving loop as {@link #requestBuffer}:
	 * it grows to the largest request seen, up to the largest message offered.
	 */
	private final ByteBuf ringRequestBuffer;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final AtomicLong serials = new AtomicLong();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	private final AtomicLong invalid = new AtomicLong();

	private final AtomicLong overflowed = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private IpcServer(IpcSettings settings, IpcAccess access, @Nullable EventLoop servingLoop) {
		this.settings = settings;
		this.access = access;
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("corosync-ipc", true),
				EpollIoHandler.newFactory());
		this.loop = this.group.next();
		this.servingLoop = (servingLoop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class)) ? io
				: (IoEventLoop) this.loop;
		this.maxDatagram = largestDatagram();
		this.requestBuffer = Unpooled.directBuffer(this.maxDatagram, this.maxDatagram);
		this.ringRequestBuffer = Unpooled.directBuffer(64 * 1024, (int) LARGEST_OFFERED);
	}

	/**
	 * Serves {@code services} until closed. Fails when Netty's native epoll transport is missing, or when
	 * a name is already served in the namespace (another daemon or node), naming it.
	 */
	public static IpcServer start(IpcSettings settings, IpcAccess access, List<? extends IpcService> services)
			throws IOException {
		return start(settings, access, services, null);
	}

	/**
	 * As {@link #start(IpcSettings, IpcAccess, List)}, serving the clients on {@code servingLoop} when it
	 * is an epoll loop (a node's {@link io.corosync4j.engine.runtime.CorosyncNode#eventLoop()}); sessions
	 * then run there and must never block it.
	 */
	public static IpcServer start(IpcSettings settings, IpcAccess access, List<? extends IpcService> services,
			@Nullable EventLoop servingLoop) throws IOException {
		if (!Epoll.isAvailable()) {
			throw new IOException("libqb IPC needs Netty's native epoll transport"
					+ " (io.netty:netty-transport-native-epoll for this platform): " + Epoll.unavailabilityCause());
		}
		IpcServer server = new IpcServer(settings, access, servingLoop);
		try {
			server.onLoop(() -> {
				Path namespace = settings.networkNamespace();
				if (namespace != null) {
					UnixSockets.enterNetworkNamespace(namespace);
				}
				for (IpcService service : services) {
					server.services.add(service);
					server.listen(service);
				}
				return null;
			});
		}
		catch (IOException | RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	private void listen(IpcService service) throws IOException {
		int fd = UnixSockets.listen(service.name(), this.settings.socketDirectory());
		EpollServerDomainSocketChannel listener = new EpollServerDomainSocketChannel(fd, true);
		listener.pipeline().addLast(new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext context, Object child) {
				accepted(service, (EpollDomainSocketChannel) child);
			}

		});
		// on the loop already, so the registration is done when this returns
		Throwable failure = this.loop.register(listener).cause();
		if (failure != null) {
			listener.close();
			throw new IOException("cannot serve IPC " + service.name(), failure);
		}
		this.listeners.add(listener);
		Path directory = this.settings.socketDirectory();
		if (directory != null) {
			this.socketFiles.add(directory.resolve(service.name()));
		}
	}

	private void accepted(IpcService service, EpollDomainSocketChannel client) {
		ScheduledFuture<?> timeout = this.loop.schedule(() -> {
			if (client.pipeline().get(Setup.class) != null) {
				logger.warn("IPC client of {} did not finish libqb's set-up in {} ms: closing it", service.name(),
						SETUP_TIMEOUT_MILLIS);
				client.close();
			}
		}, SETUP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
		this.settingUp.add(client);
		client.pipeline().addLast(new Setup(service, timeout));
		// a shared-memory client's set-up stream carries its requests' wake-ups, so it is watched where
		// its session runs; a socket client's only tells when the client goes
		(sharedMemory() ? this.servingLoop : this.loop).register(client);
	}

	/** Reads libqb's 24-byte connection request, then answers it. */
	private final class Setup extends ChannelInboundHandlerAdapter {

		private final IpcService service;

		private final ScheduledFuture<?> timeout;

		private @Nullable ByteBuf received;

		Setup(IpcService service, ScheduledFuture<?> timeout) {
			this.service = service;
			this.timeout = timeout;
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			ByteBuf bytes = (ByteBuf) message;
			ByteBuf buffer = this.received;
			if (buffer == null) {
				buffer = context.alloc().buffer(QbSetup.REQUEST_SIZE);
				this.received = buffer;
			}
			buffer.writeBytes(bytes, Math.min(bytes.readableBytes(), buffer.writableBytes()));
			bytes.release();
			if (buffer.readableBytes() < QbSetup.REQUEST_SIZE) {
				return;
			}
			QbSetup.Request request = QbSetup.Request.read(buffer);
			release();
			this.timeout.cancel(false);
			context.pipeline().remove(this);
			IpcServer.this.settingUp.remove(context.channel());
			answer((EpollDomainSocketChannel) context.channel(), this.service, request);
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			release();
			this.timeout.cancel(false);
			IpcServer.this.settingUp.remove(context.channel());
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			context.close();
		}

		private void release() {
			if (this.received != null) {
				this.received.release();
				this.received = null;
			}
		}

	}

	private void answer(EpollDomainSocketChannel client, IpcService service, QbSetup.Request request) {
		if (request.id() != QbSetup.AUTHENTICATE || request.size() != QbSetup.REQUEST_SIZE) {
			this.invalid.incrementAndGet();
			logger.warn("IPC client of {} sent no libqb connection request (id {}, size {}): closing it",
					service.name(), request.id(), request.size());
			client.close();
			return;
		}
		PeerCredentials credentials;
		try {
			credentials = client.peerCredentials();
		}
		catch (IOException ex) {
			logger.warn("IPC client of {}: no peer credentials, closing it", service.name(), ex);
			client.close();
			return;
		}
		int uid = credentials.uid();
		int gid = (credentials.gids().length > 0) ? credentials.gids()[0] : -1;
		if (uid != 0 && gid != 0 && !this.access.admits(uid, gid)) {
			this.refused.incrementAndGet();
			logger.error("Denied IPC connection attempt to {} from {}:{} (pid {})", service.name(), uid, gid,
					credentials.pid());
			refuse(client, EACCES);
			return;
		}
		long serial = this.serials.incrementAndGet();
		if (sharedMemory()) {
			answerWithRings(client, service, request, credentials.pid(), uid, gid, serial);
			return;
		}
		int maxMessageSize = (int) Math.min(Math.max(request.maxMessageSize(), this.settings.maxMessageSize()),
				this.maxDatagram);
		QbControl control = null;
		int requests = -1;
		int events = -1;
		try {
			control = QbControl.create(this.settings.controlDirectory(), this.pid, credentials.pid(), serial,
					service.name(), uid, gid);
			requests = datagramSocket(control.baseName() + "-request", maxMessageSize);
			events = datagramSocket(control.baseName() + "-event-tx", maxMessageSize);
		}
		catch (IOException | RuntimeException ex) {
			logger.error("IPC client {} of {}: cannot make its connection", credentials.pid(), service.name(), ex);
			if (requests >= 0) {
				UnixSockets.close(requests);
			}
			if (events >= 0) {
				UnixSockets.close(events);
			}
			if (control != null) {
				control.close();
			}
			refuse(client, 12); // ENOMEM, what libqb answers when it cannot make a connection's resources
			return;
		}
		QbSocketConnection connection = new QbSocketConnection(this, this.servingLoop, service.name(),
				credentials.pid(), uid, gid, serial, client, requests, events, this.requestBuffer, control,
				this.settings.connectionQueueBytes());
		client.pipeline().addLast(new SetupStream(connection));
		this.connections.add(connection);
		try {
			// a request sent before this runs waits in the socket, and is read once the socket is watched
			this.servingLoop.execute(() -> open(connection, service, client));
		}
		catch (RejectedExecutionException ex) {
			// the node stopped
			connection.disconnect();
			return;
		}
		ByteBuf answer = client.alloc().buffer(QbSetup.RESPONSE_SIZE);
		new QbSetup.Response(0, QbSetup.SOCKET_TRANSPORT, maxMessageSize, serial, control.controlName(),
				control.baseName(), "").write(answer);
		client.writeAndFlush(answer);
	}

	/** An admitted client's set-up stream: what it reads goes to its connection, and its end ends it. */
	private static final class SetupStream extends ChannelInboundHandlerAdapter {

		private final QbConnection connection;

		SetupStream(QbConnection connection) {
			this.connection = connection;
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			((ByteBuf) message).release();
			this.connection.setupRead();
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			this.connection.setupClosed();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			this.connection.setupClosed();
		}

	}

	private boolean sharedMemory() {
		return this.settings.transport() == IpcSettings.Transport.SHARED_MEMORY;
	}

	/**
	 * On the serving loop: answers with libqb's shared-memory transport, its three rings in a directory
	 * of the connection's own, and starts the session behind the answer on the same stream.
	 */
	private void answerWithRings(EpollDomainSocketChannel client, IpcService service, QbSetup.Request request,
			long clientPid, int uid, int gid, long serial) {
		// no datagram bounds a ring: the larger of the two sizes, as libqb takes it
		int maxMessageSize = (int) Math.min(Math.max(request.maxMessageSize(), this.settings.maxMessageSize()),
				LARGEST_OFFERED);
		Path directory = null;
		List<QbRing> rings = new ArrayList<>(3);
		try {
			directory = QbFiles.connectionDirectory(this.settings.controlDirectory(), this.pid, clientPid, serial, uid,
					gid);
			String description = directory.resolve("qb").toString();
			for (String ring : List.of("request", "response", "event")) {
				rings.add(QbRing.create(description + "-" + ring + "-" + service.name(), maxMessageSize, uid, gid));
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.error("IPC client {} of {}: cannot make its connection", clientPid, service.name(), ex);
			rings.forEach(QbRing::close);
			if (directory != null) {
				QbFiles.deleteQuietly(directory);
			}
			refuse(client, 12); // ENOMEM, as for the socket transport
			return;
		}
		QbShmConnection connection = new QbShmConnection(this, this.servingLoop, service.name(), clientPid, uid, gid,
				serial, client, directory, rings.get(0), rings.get(1), rings.get(2), this.ringRequestBuffer,
				this.settings.connectionQueueBytes());
		client.pipeline().addLast(new SetupStream(connection));
		this.connections.add(connection);
		ByteBuf answer = client.alloc().buffer(QbSetup.RESPONSE_SIZE);
		new QbSetup.Response(0, QbSetup.SHM_TRANSPORT, maxMessageSize, serial, rings.get(0).name(), rings.get(1).name(),
				rings.get(2).name()).write(answer);
		client.writeAndFlush(answer);
		try {
			connection.start(service.connected(connection));
		}
		catch (RuntimeException ex) {
			this.failed.incrementAndGet();
			logger.error("IPC service {} failed to open a session for client {}", service.name(), clientPid, ex);
			connection.disconnect();
		}
	}

	/** On the serving loop: the client's sockets are watched from now on, with its session in place. */
	private void open(QbSocketConnection connection, IpcService service, Channel client) {
		if (!connection.isOpen()) {
			return;
		}
		try {
			connection.start(service.connected(connection));
		}
		catch (RuntimeException ex) {
			this.failed.incrementAndGet();
			logger.error("IPC service {} failed to open a session for client {}", service.name(), connection.pid(),
					ex);
			connection.disconnect();
			return;
		}
		catch (IOException ex) {
			logger.error("IPC client {} of {}: its sockets cannot be watched, disconnecting it", connection.pid(),
					service.name(), ex);
			connection.disconnect();
			return;
		}
		if (!client.isActive()) {
			connection.setupClosed();
		}
	}

	private static int datagramSocket(String name, int maxMessageSize) throws IOException {
		int fd = UnixSockets.datagram(name);
		try {
			Socket socket = new Socket(fd);
			// as libqb: room for a whole message; on Linux a Unix datagram is charged to its sender's buffer
			// only, so the receive side needs nothing (the kernel caps what it grants at twice wmem_max)
			if (socket.getSendBufferSize() <= maxMessageSize) {
				socket.setSendBufferSize(maxMessageSize);
			}
		}
		catch (IOException ex) {
			UnixSockets.close(fd);
			throw ex;
		}
		return fd;
	}

	private static void refuse(EpollDomainSocketChannel client, int errno) {
		ByteBuf answer = client.alloc().buffer(QbSetup.RESPONSE_SIZE);
		QbSetup.Response.refusal(errno).write(answer);
		client.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
	}

	/**
	 * The largest datagram a client can send here: the kernel refuses one longer than the sender's
	 * buffer, which libqb asks to be the message size but which is capped at twice
	 * {@code net.core.wmem_max}. Offering no more than that makes libraries that split long messages
	 * (libcpg) split them to fit, instead of failing with {@code EMSGSIZE}.
	 */
	private static int largestDatagram() {
		try {
			// read as a stream: procfs files state no size, and Files.readString trusts the size
			long max;
			try (var in = Files.newInputStream(Path.of("/proc/sys/net/core/wmem_max"))) {
				max = Long.parseLong(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
			}
			return (int) Math.max(8192, Math.min(LARGEST_OFFERED, 2 * max - 32));
		}
		catch (IOException | NumberFormatException ex) {
			return IpcSettings.DEFAULT_MAX_MESSAGE_SIZE;
		}
	}

	void requested() {
		this.requests.incrementAndGet();
	}

	void invalid() {
		this.invalid.incrementAndGet();
	}

	void overflowed() {
		this.overflowed.incrementAndGet();
	}

	void failed() {
		this.failed.incrementAndGet();
	}

	void removed(IpcConnection connection) {
		this.connections.remove(connection);
	}

	/** Clients connected now. */
	public int connections() {
		return this.connections.size();
	}

	/** What the server has done since it started. */
	public Stats stats() {
		return new Stats(this.connections.size(), this.serials.get(), this.requests.get(), this.refused.get(),
				this.invalid.get(), this.overflowed.get(), this.failed.get());
	}

	/**
	 * Counters of the server.
	 *
	 * @param connections clients connected now
	 * @param accepted clients admitted since the start
	 * @param requests requests handed to services
	 * @param refused clients refused for their credentials
	 * @param invalid malformed set-up messages and requests (answered or disconnected, never passed on)
	 * @param overflowed clients disconnected for leaving more than their bound unread
	 * @param failed requests on which a service failed (the client was disconnected)
	 */
	public record Stats(int connections, long accepted, long requests, long refused, long invalid, long overflowed,
			long failed) {
	}

	private <T> T onLoop(IoCallable<T> task) throws IOException {
		try {
			return this.loop.submit(task::call).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted starting IPC", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof IOException io) {
				throw io;
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IOException(cause);
		}
	}

	/** Disconnects every client on the serving loop, and waits (boundedly) until their sessions are closed. */
	private void disconnectAll() {
		Runnable all = () -> List.copyOf(this.connections).forEach(IpcConnection::disconnect);
		if (this.servingLoop == this.loop || this.servingLoop.inEventLoop()) {
			// the server's own loop runs what is queued before it ends
			all.run();
			return;
		}
		try {
			if (!this.servingLoop.submit(all).awaitUninterruptibly(5, TimeUnit.SECONDS)) {
				logger.warn("IPC clients not disconnected in 5 s: the serving loop is busy");
			}
		}
		catch (RejectedExecutionException ex) {
			// the node stopped first: each connection closes from here (see QbConnection.disconnect)
			all.run();
		}
	}

	@FunctionalInterface
	private interface IoCallable<T> {

		T call() throws IOException;

	}

	/**
	 * Disconnects every client and stops listening; the sessions are told their clients went. Closing
	 * again does nothing.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			// closed already, or being closed by another thread (a launcher's signal hook and its main thread)
			return;
		}
		for (Channel listener : this.listeners) {
			listener.close();
		}
		this.settingUp.forEach(Channel::close);
		disconnectAll();
		this.group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
		this.requestBuffer.release();
		this.ringRequestBuffer.release();
		for (IpcService service : this.services) {
			try {
				service.close();
			}
			catch (RuntimeException ex) {
				logger.warn("IPC service {} failed to close", service.name(), ex);
			}
		}
		for (Path socket : this.socketFiles) {
			// a filesystem socket outlives its descriptor; libqb removes it when it withdraws too
			try {
				Files.deleteIfExists(socket);
			}
			catch (IOException ex) {
				logger.warn("cannot remove IPC socket {}", socket, ex);
			}
		}
	}

}
