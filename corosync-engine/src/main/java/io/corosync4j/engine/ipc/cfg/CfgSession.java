package io.corosync4j.engine.ipc.cfg;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcMessages;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.service.cfg.CfgException;
import io.corosync4j.engine.service.cfg.ShutdownFlag;
import io.corosync4j.engine.service.cfg.ShutdownListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code libcfg} handle. A tracking handle is a {@link ShutdownListener} of the node's CFG: a shutdown
 * request reaches it as a {@code testshutdown} event and its {@code replytoshutdown} is its answer.
 */
final class CfgSession implements IpcSession {

	private static final Logger logger = LoggerFactory.getLogger(CfgSession.class);

	private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

	private final CfgIpcService service;

	private final IpcConnection connection;

	private final ShutdownListener listener = new Tracker();

	private @Nullable AutoCloseable tracking;

	/** The shutdown question this handle has yet to answer; set on the node's loop. */
	private volatile @Nullable CompletableFuture<Boolean> question;

	/** This handle's own shutdown request is pending: Corosync does not ask the asker. */
	private volatile boolean requesting;

	/** That request, withdrawn if the handle goes; on the connection's loop. */
	private @Nullable CompletableFuture<Void> request;

	/** The flag of the last shutdown request, which a timeout's event repeats. */
	private volatile int requestFlag;

	CfgSession(CfgIpcService service, IpcConnection connection) {
		this.service = service;
		this.connection = connection;
	}

	@Override
	public void request(int id, ByteBuf message) {
		if (id < 0 || id >= CfgCodec.REQUEST_SIZES.length || message.readableBytes() < CfgCodec.REQUEST_SIZES[id]) {
			this.connection.respond(IpcMessages.header(ALLOC, 0, CsError.INVALID_PARAM));
			return;
		}
		int base = message.readerIndex();
		long value = (message.readableBytes() >= CfgCodec.REQUEST_VALUE + 4)
				? Integer.toUnsignedLong(message.getIntLE(base + CfgCodec.REQUEST_VALUE)) : 0;
		switch (id) {
			case CfgCodec.REQ_RINGSTATUSGET -> read(this.service::ringStatus, (status) -> CfgCodec.ringStatus(ALLOC, status),
					CfgCodec.RES_RINGSTATUSGET);
			// rings cannot be re-enabled in Corosync 3 either
			case CfgCodec.REQ_RINGREENABLE -> headerOnly(CfgCodec.RES_RINGREENABLE, CsError.NOT_SUPPORTED);
			case CfgCodec.REQ_KILLNODE -> answer(this.service.cfg().killNode(value, CfgCodec.reason(message)),
					CfgCodec.RES_KILLNODE);
			case CfgCodec.REQ_TRYSHUTDOWN -> tryShutdown((int) value);
			case CfgCodec.REQ_REPLYTOSHUTDOWN -> replyToShutdown(value != 0);
			case CfgCodec.REQ_GET_NODE_ADDRS -> read(() -> this.service.addresses(value),
					(addresses) -> CfgCodec.nodeAddresses(ALLOC, addresses), CfgCodec.RES_GET_NODE_ADDRS);
			case CfgCodec.REQ_LOCAL_GET -> this.connection.respond(
					CfgCodec.value(ALLOC, CfgCodec.RES_LOCAL_GET, CsError.OK, this.service.localNodeid()));
			case CfgCodec.REQ_RELOAD_CONFIG -> answer(this.service.cfg().reload(), CfgCodec.RES_RELOAD_CONFIG);
			// the node's log belongs to the application embedding it: there is no file of its own to reopen
			case CfgCodec.REQ_REOPEN_LOG_FILES -> headerOnly(CfgCodec.RES_REOPEN_LOG_FILES, CsError.NOT_SUPPORTED);
			case CfgCodec.REQ_NODESTATUSGET -> nodeStatus(value,
					message.getIntLE(base + CfgCodec.NODESTATUSGET_VERSION));
			case CfgCodec.REQ_TRACKSTART -> {
				if (this.tracking == null) {
					this.tracking = this.service.cfg().addShutdownListener(this.listener);
				}
				headerOnly(CfgCodec.RES_STATETRACKSTART, CsError.OK);
			}
			default -> {
				stopTracking();
				headerOnly(CfgCodec.RES_STATETRACKSTOP, CsError.OK);
			}
		}
	}

	private void nodeStatus(long nodeid, int version) {
		read(() -> this.service.nodeStatus(nodeid), (status) -> {
			if (status == null) {
				return CfgCodec.nodeStatusRefused(ALLOC, CsError.FAILED_OPERATION);
			}
			if (version != CfgCodec.NODE_STATUS_V1) {
				return CfgCodec.nodeStatusRefused(ALLOC, CsError.NOT_SUPPORTED);
			}
			return CfgCodec.nodeStatus(ALLOC, status);
		}, CfgCodec.RES_NODESTATUSGET);
	}

	/** {@code CFG_SHUTDOWN_FLAG_REGARDLESS} and {@code CFG_SHUTDOWN_FLAG_IMMEDIATE}; any other value is a request. */
	private static final int FLAG_REGARDLESS = 1;

	private static final int FLAG_IMMEDIATE = 2;

	private static int code(ShutdownFlag flag) {
		return switch (flag) {
			case REQUEST -> 0;
			case REGARDLESS -> FLAG_REGARDLESS;
			case IMMEDIATE -> FLAG_IMMEDIATE;
		};
	}

	private void tryShutdown(int flag) {
		ShutdownFlag shutdownFlag = switch (flag) {
			case FLAG_REGARDLESS -> ShutdownFlag.REGARDLESS;
			case FLAG_IMMEDIATE -> ShutdownFlag.IMMEDIATE;
			default -> ShutdownFlag.REQUEST;
		};
		this.requesting = true;
		CompletableFuture<Void> pending = this.service.cfg().shutdown(shutdownFlag);
		this.request = pending;
		pending.whenComplete((done, failure) -> {
			this.requesting = false;
			if (!pending.isCancelled()) {
				headerOnly(CfgCodec.RES_TRYSHUTDOWN, error(failure));
			}
		});
	}

	private void replyToShutdown(boolean allow) {
		CompletableFuture<Boolean> asked = this.question;
		if (asked == null) {
			headerOnly(CfgCodec.RES_REPLYTOSHUTDOWN, CsError.ACCESS);
			return;
		}
		this.question = null;
		asked.complete(allow);
		headerOnly(CfgCodec.RES_REPLYTOSHUTDOWN, CsError.OK);
	}

	/**
	 * Link and node reads wait for the node's loop, so they run off the connection's loop (which may be the
	 * node's) and answer from there;
	 * a failure is answered with {@code CS_ERR_LIBRARY}.
	 */
	private <T> void read(Supplier<T> read, Function<T, ByteBuf> encode, int responseId) {
		CompletableFuture.supplyAsync(read).whenComplete((result, failure) -> {
			if (failure != null) {
				logger.warn("CFG request {} failed", responseId, failure);
				headerOnly(responseId, CsError.LIBRARY);
			}
			else {
				this.connection.respond(encode.apply(result));
			}
		});
	}

	private void answer(CompletableFuture<Void> operation, int responseId) {
		operation.whenComplete((done, failure) -> headerOnly(responseId, error(failure)));
	}

	private void headerOnly(int responseId, CsError error) {
		this.connection.respond(IpcMessages.header(ALLOC, responseId, error));
	}

	private static CsError error(@Nullable Throwable failure) {
		Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
		if (cause == null) {
			return CsError.OK;
		}
		if (cause instanceof CfgException refused) {
			return switch (refused.error()) {
				case NOT_EXIST -> CsError.NOT_EXIST;
				case EXIST -> CsError.EXIST;
				case BUSY -> CsError.BUSY;
				case TIMEOUT -> CsError.TIMEOUT;
				case INVALID_PARAM -> CsError.INVALID_PARAM;
			};
		}
		return CsError.LIBRARY;
	}

	private void event(CsError error, int flag) {
		ByteBuf event = CfgCodec.value(ALLOC, CfgCodec.RES_TESTSHUTDOWN, error, flag);
		// a client that does not read its events is disconnected, and closed() withdraws its say
		this.connection.event(event);
	}

	private void stopTracking() {
		AutoCloseable registration = this.tracking;
		this.tracking = null;
		this.question = null;
		if (registration != null) {
			try {
				registration.close();
			}
			catch (Exception ex) {
				logger.warn("Could not stop a CFG client's shutdown tracking", ex);
			}
		}
	}

	@Override
	public void closed() {
		stopTracking();
		// Corosync drops a shutdown request whose asker went away
		CompletableFuture<Void> pending = this.request;
		if (pending != null) {
			pending.cancel(false);
		}
	}

	/** The handle as a shutdown listener; called on the node's loop. */
	private final class Tracker implements ShutdownListener {

		@Override
		public CompletionStage<Boolean> shutdownRequested(ShutdownFlag flag) {
			CfgSession.this.requestFlag = code(flag);
			if (CfgSession.this.requesting) {
				return CompletableFuture.completedFuture(true);
			}
			CompletableFuture<Boolean> asked = new CompletableFuture<>();
			CfgSession.this.question = asked;
			event(CsError.OK, code(flag));
			return asked;
		}

		@Override
		public void shutdownTimedOut() {
			CfgSession.this.question = null;
			event(CsError.TIMEOUT, CfgSession.this.requestFlag);
		}

	}

}
