package io.corosync4j.engine.service.cfg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.ServiceContext;
import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.service.cfg.CfgException.Error;
import io.corosync4j.engine.service.cfg.CfgMessages.KillNode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CFG on a node (service 1): {@code corosync-cfgtool}'s operations as an API. Killing a node and shutting
 * one down travel as Corosync's CFG messages, so a C node obeys a Java request and the other way round;
 * a reload makes every member re-read its own configuration file. Every method is safe from any thread;
 * results complete on the node's event loop.
 */
public final class CfgService implements ServiceEngine {

	private static final Logger logger = LoggerFactory.getLogger(CfgService.class);

	/** {@code DEFAULT_SHUTDOWN_TIMEOUT}, overridden by CMAP's {@code cfg.shutdown_timeout}. */
	static final long DEFAULT_SHUTDOWN_TIMEOUT = 5000;

	/** {@code config.reload_status} values: {@code CS_OK} and {@code CS_ERR_INVALID_PARAM}. */
	private static final int CS_OK = 1;

	private static final int CS_ERR_INVALID_PARAM = 7;

	/** What CFG needs of the node beyond the service context. */
	public interface NodeControl {

		/**
		 * Re-reads this node's configuration file and applies what Corosync applies at runtime; on the loop.
		 * @throws CfgException with {@link Error#INVALID_PARAM} naming the problem when the file is not valid
		 */
		void reloadConfiguration();

		/** The links as {@code corosync-cfgtool -s} shows them; from any thread. */
		List<LinkStatus> linkStatus();

	}

	private final NodeControl control;

	private final List<ShutdownListener> shutdownListeners = new CopyOnWriteArrayList<>();

	private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();

	/** Reloads this node asked for, completed when each request comes back in agreed order. */
	private final ArrayDeque<CompletableFuture<Void>> reloads = new ArrayDeque<>();

	private @Nullable PendingShutdown pendingShutdown;

	private @Nullable ServiceContext context;

	private long malformed;

	public CfgService(NodeControl control) {
		this.control = control;
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/** The links and the nodes on them ({@code corosync-cfgtool -s}). */
	public List<LinkStatus> linkStatus() {
		return this.control.linkStatus();
	}

	/**
	 * Makes a member exit ({@code corosync-cfgtool -k}); it logs who asked and why.
	 * @return completes once the request is queued; fails with {@link Error#NOT_EXIST} when the node is not
	 * a member
	 */
	public CompletableFuture<Void> killNode(long nodeid, String reason) {
		return onLoop((done) -> {
			String status = context().cmap().getString("runtime.members." + nodeid + ".status").orElse(null);
			if (!"joined".equals(status)) {
				throw new CfgException(Error.NOT_EXIST, "node " + nodeid + " is not a member"
						+ ((status != null) ? " (" + status + ")" : ""));
			}
			send(CfgMessages.killNode(nodeid, reason));
			done.complete(null);
		});
	}

	/**
	 * Shuts this node down after asking the shutdown listeners ({@code corosync-cfgtool -H}).
	 * @return completes when the shutdown is agreed and announced; fails with {@link Error#BUSY} when a
	 * listener said no or did not answer within {@code cfg.shutdown_timeout}, {@link Error#EXIST} when a
	 * request is already pending; cancelling it while the listeners are asked withdraws the request, as
	 * Corosync drops one whose asking client went away
	 */
	public CompletableFuture<Void> shutdown(ShutdownFlag flag) {
		return onLoop((done) -> requestShutdown(flag, done));
	}

	/**
	 * Registers a listener that may veto shutdown requests.
	 * @return removes it (counting as a yes for a pending request, as a closed Corosync client does)
	 */
	public AutoCloseable addShutdownListener(ShutdownListener listener) {
		this.shutdownListeners.add(listener);
		ServiceContext started = this.context;
		if (started != null) {
			// one that comes while a request waits for answers is asked too, as Corosync asks a newcomer
			started.loop().execute(() -> {
				PendingShutdown pending = this.pendingShutdown;
				if (pending != null && this.shutdownListeners.contains(listener) && !pending.asked.contains(listener)) {
					pending.ask(listener);
				}
			});
		}
		return () -> context().loop().execute(() -> {
			if (this.shutdownListeners.remove(listener) && this.pendingShutdown != null) {
				this.pendingShutdown.answered(listener, true);
			}
		});
	}

	/**
	 * Makes every member re-read its configuration file ({@code corosync-cfgtool -R}).
	 * @return completes when this node applied it; fails with {@link Error#INVALID_PARAM} when this node's
	 * file is not valid (its old configuration stays in force)
	 */
	public CompletableFuture<Void> reload() {
		return onLoop((done) -> {
			this.reloads.add(done);
			send(CfgMessages.reloadConfig(context().nodeId()));
		});
	}

	/** CFG messages too short for their type. */
	public long malformedMessages() {
		return this.malformed;
	}

	// ---------------------------------------------------------------------------------------------
	// ServiceEngine

	@Override
	public int serviceId() {
		return CFG;
	}

	@Override
	public int functionCount() {
		return 5;
	}

	@Override
	public String name() {
		return "corosync configuration service";
	}

	@Override
	public void start(ServiceContext serviceContext) {
		this.context = serviceContext;
		serviceContext.whenSendable(this::flush);
	}

	@Override
	public void deliver(long nodeid, int function, byte[] message, boolean bigEndian) {
		long me = context().nodeId();
		switch (function) {
			case CfgMessages.KILLNODE -> {
				KillNode kill = CfgMessages.decodeKillNode(message, bigEndian);
				if (kill == null) {
					this.malformed++;
					return;
				}
				logger.debug("request to kill node {} (us={})", kill.nodeid(), me);
				if (kill.nodeid() == me) {
					logger.warn("Killed by node {} : {}", nodeid, kill.reason());
					context().requestShutdown("killed by node " + nodeid + ": " + kill.reason(), ServiceContext.EXIT_KILLED);
				}
			}
			case CfgMessages.SHUTDOWN -> {
				logger.info("Node {} was shut down by sysadmin", nodeid);
				if (nodeid == me) {
					context().requestShutdown("shut down by sysadmin", ServiceContext.EXIT_NORMAL);
				}
			}
			case CfgMessages.RELOAD_CONFIG -> reloadRequested(nodeid);
			case CfgMessages.RINGREENABLE, CfgMessages.CRYPTO_RECONFIG -> {
				// ringreenable is a no-op in Corosync 3; crypto phases belong to knet, not run here
			}
			default -> this.malformed++;
		}
	}

	// ---------------------------------------------------------------------------------------------

	/** {@code message_handler_req_exec_cfg_reload_config}: every member re-reads its own file. */
	private void reloadRequested(long nodeid) {
		logger.info("Config reload requested by node {}", nodeid);
		Cmap cmap = context().cmap();
		cmap.putNumber("config.totemconfig_reload_in_progress", ValueType.UINT8, 1);
		cmap.putNumber("config.reload_in_progress", ValueType.UINT8, 1);
		CfgException failure = null;
		try {
			this.control.reloadConfiguration();
		}
		catch (CfgException ex) {
			failure = ex;
			logger.error("Unable to reload config file: {}", ex.getMessage());
		}
		cmap.putNumber("config.reload_status", ValueType.INT32, (failure != null) ? CS_ERR_INVALID_PARAM : CS_OK);
		if (failure != null) {
			cmap.putString("config.reload_error_message", failure.getMessage());
		}
		cmap.putNumber("config.totemconfig_reload_in_progress", ValueType.UINT8, 0);
		cmap.putNumber("config.reload_in_progress", ValueType.UINT8, 0);
		if (nodeid == context().nodeId()) {
			CompletableFuture<Void> requested = this.reloads.poll();
			if (requested != null) {
				if (failure != null) {
					requested.completeExceptionally(failure);
				}
				else {
					requested.complete(null);
				}
			}
		}
	}

	/** {@code message_handler_req_lib_cfg_tryshutdown}. */
	private void requestShutdown(ShutdownFlag flag, CompletableFuture<Void> done) {
		if (flag == ShutdownFlag.IMMEDIATE) {
			send(CfgMessages.shutdown());
			done.complete(null);
			return;
		}
		if (this.pendingShutdown != null) {
			throw new CfgException(Error.EXIST, "a shutdown request is already pending");
		}
		List<ShutdownListener> asked = List.copyOf(this.shutdownListeners);
		if (asked.isEmpty()) {
			send(CfgMessages.shutdown());
			done.complete(null);
			return;
		}
		long timeout = context().cmap().getLong("cfg.shutdown_timeout").orElse(DEFAULT_SHUTDOWN_TIMEOUT);
		PendingShutdown pending = new PendingShutdown(flag, asked, done);
		this.pendingShutdown = pending;
		pending.timer = context().schedule(timeout, pending::timedOut);
		done.whenComplete((agreed, failure) -> {
			if (done.isCancelled()) {
				context().loop().execute(pending::withdrawn);
			}
		});
		for (ShutdownListener listener : asked) {
			pending.ask(listener);
		}
	}

	private void send(byte[] message) {
		this.outbox.add(message);
		flush();
	}

	private void flush() {
		ServiceContext current = this.context;
		while (current != null && !this.outbox.isEmpty() && current.mcast(this.outbox.peek())) {
			this.outbox.poll();
		}
	}

	private CompletableFuture<Void> onLoop(Consumer<CompletableFuture<Void>> request) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		context().loop().execute(() -> {
			try {
				request.accept(done);
			}
			catch (RuntimeException ex) {
				done.completeExceptionally(ex);
			}
		});
		return done;
	}

	private ServiceContext context() {
		ServiceContext current = this.context;
		if (current == null) {
			throw new IllegalStateException("CFG has not started");
		}
		return current;
	}

	/** One shutdown request waiting for its listeners ({@code shutdown_con} and its counters). */
	private final class PendingShutdown {

		final ShutdownFlag flag;

		final List<ShutdownListener> waiting;

		/** Everyone asked so far, answered or not. */
		final List<ShutdownListener> asked;

		final CompletableFuture<Void> done;

		int yes;

		int no;

		@Nullable Runnable timer;

		PendingShutdown(ShutdownFlag flag, List<ShutdownListener> asked, CompletableFuture<Void> done) {
			this.flag = flag;
			this.waiting = new ArrayList<>(asked);
			this.asked = new ArrayList<>(asked);
			this.done = done;
		}

		void answered(ShutdownListener listener, boolean allow) {
			if (CfgService.this.pendingShutdown != this || !this.waiting.remove(listener)) {
				return;
			}
			if (allow) {
				this.yes++;
			}
			else {
				this.no++;
			}
			if (this.waiting.isEmpty()) {
				decide(false);
			}
		}

		void ask(ShutdownListener listener) {
			if (!this.asked.contains(listener)) {
				this.asked.add(listener);
				this.waiting.add(listener);
			}
			try {
				listener.shutdownRequested(this.flag).whenComplete((answer, failure) -> context().loop()
					.execute(() -> answered(listener, failure == null && Boolean.TRUE.equals(answer))));
			}
			catch (RuntimeException ex) {
				logger.warn("A shutdown listener failed; counted as a no", ex);
				answered(listener, false);
			}
		}

		/** The asker gave up: nobody decides any more, and nothing is sent. */
		void withdrawn() {
			if (CfgService.this.pendingShutdown == this) {
				CfgService.this.pendingShutdown = null;
				Runnable cancel = this.timer;
				if (cancel != null) {
					cancel.run();
				}
				logger.debug("shutdown request withdrawn by its asker");
			}
		}

		void timedOut() {
			if (CfgService.this.pendingShutdown == this) {
				this.no += this.waiting.size();
				this.waiting.clear();
				decide(true);
				for (ShutdownListener listener : CfgService.this.shutdownListeners) {
					try {
						listener.shutdownTimedOut();
					}
					catch (RuntimeException ex) {
						logger.warn("A shutdown listener failed", ex);
					}
				}
			}
		}

		private void decide(boolean timedOut) {
			CfgService.this.pendingShutdown = null;
			Runnable cancel = this.timer;
			if (cancel != null) {
				cancel.run();
			}
			logger.debug("shutdown decision is: (yes count: {}, no count: {}) flags={}", this.yes, this.no, this.flag);
			if (this.no == 0 || this.flag == ShutdownFlag.REGARDLESS) {
				send(CfgMessages.shutdown());
				this.done.complete(null);
			}
			else {
				this.done.completeExceptionally(new CfgException(Error.BUSY, timedOut
						? "shutdown cancelled: a shutdown listener did not answer within cfg.shutdown_timeout"
						: "shutdown cancelled: " + this.no + " shutdown listener(s) said no"));
			}
		}

	}

}
