package io.corosync4j.engine.sam;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.cmap.Cmap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised component ({@code sam_register} in this JVM). Application-driven: call {@link #hcSend()}
 * at least once per interval. Event-driven: {@link #healthCheck(Callable)} makes SAM call the check twice
 * per interval; a {@code false}, an exception or a check that hangs sends no heartbeat. A missed interval
 * (or, with QUORUM, lost quorum) warns the component; the next one recovers it by its policy. Safe from
 * any thread; callbacks run on SAM's timer or check threads, outside its locks.
 */
public final class SamComponent implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SamComponent.class);

	/** What SAM does to the component. */
	public interface Recovery {

		/** The warn step (Corosync's warn signal): the component is about to be recovered. */
		default void warn() {
		}

		/** Policy RESTART: restart the component; it calls {@link #start()} again when it is back. */
		void restart(int newInstanceId);

		/** Policy QUIT (or {@link #markFailed()}): the component has failed for good. */
		void quit();

	}

	/**
	 * A component's state for health and endpoints.
	 *
	 * @param name the component
	 * @param state where it is
	 * @param instanceId 1, plus one per restart
	 * @param lastHeartbeat when the last heartbeat came (ms since the epoch), 0 before any
	 * @param failures missed intervals and failed checks so far
	 * @param lastFailure what the last failure was, or {@code null}
	 */
	public record Status(String name, SamState state, int instanceId, long lastHeartbeat, int failures,
			@Nullable String lastFailure) {
	}

	private final String name;

	private final SamOptions options;

	private final Recovery recovery;

	private final Sam sam;

	private SamPolicy policy;

	private SamState state = SamState.STOPPED;

	private int instanceId = 1;

	private boolean warned;

	private long lastHeartbeat;

	private int failures;

	private @Nullable String lastFailure;

	/** Why the last event-driven check did not send a heartbeat; cleared by a good one. */
	private @Nullable String checkFailure;

	private byte[] data = new byte[0];

	private @Nullable Runnable deadline;

	private @Nullable Runnable nextCheck;

	private @Nullable Callable<Boolean> check;

	private boolean checking;

	private @Nullable CompletableFuture<Void> started;

	SamComponent(String name, SamOptions options, Recovery recovery, Sam sam) {
		this.name = name;
		this.options = options;
		this.recovery = recovery;
		this.sam = sam;
		this.policy = options.policy();
		publish();
	}

	public String name() {
		return this.name;
	}

	public SamOptions options() {
		return this.options;
	}

	public synchronized Status status() {
		return new Status(this.name, this.state, this.instanceId, this.lastHeartbeat, this.failures, this.lastFailure);
	}

	public synchronized int instanceId() {
		return this.instanceId;
	}

	/** Keeps {@code bytes} across restarts ({@code sam_data_store}). */
	public synchronized void dataStore(byte[] bytes) {
		this.data = bytes.clone();
	}

	/** What {@link #dataStore} kept, empty when nothing ({@code sam_data_restore}). */
	public synchronized byte[] dataRestore() {
		return this.data.clone();
	}

	/** Makes SAM call {@code check} twice per interval once started (event-driven checking). */
	public synchronized void healthCheck(Callable<Boolean> healthCheck) {
		this.check = healthCheck;
	}

	/**
	 * Arms checking ({@code sam_start}); with QUORUM only once the partition is quorate.
	 * @return completes when checking runs
	 */
	public CompletionStage<Void> start() {
		CompletableFuture<Void> running;
		synchronized (this) {
			if (this.state == SamState.FAILED) {
				return CompletableFuture.failedFuture(new IllegalStateException("component " + this.name + " has failed"));
			}
			if (this.state == SamState.RUNNING || this.state == SamState.WARNED) {
				return CompletableFuture.completedFuture(null);
			}
			running = new CompletableFuture<>();
			this.started = running;
			if (this.options.has(SamFlag.QUORUM) && !this.sam.quorate()) {
				this.state = SamState.WAITING_FOR_QUORUM;
				publish();
				return running;
			}
			arm();
		}
		running.complete(null);
		return running;
	}

	/** Disarms checking ({@code sam_stop}). */
	public synchronized void stop() {
		cancelTimers();
		if (this.state != SamState.FAILED) {
			this.state = SamState.STOPPED;
		}
		publish();
	}

	/** A heartbeat ({@code sam_hc_send}). */
	public void hcSend() {
		synchronized (this) {
			if (this.state != SamState.RUNNING && this.state != SamState.WARNED) {
				return;
			}
			this.lastHeartbeat = this.sam.clock().currentTimeMillis();
			armDeadline();
			publish();
		}
	}

	/** Fails the component now and for good ({@code sam_mark_failed}): the policy becomes QUIT. */
	public void markFailed() {
		synchronized (this) {
			this.policy = SamPolicy.QUIT;
			this.lastFailure = "marked failed";
			this.failures++;
		}
		recover();
	}

	/** The component ended on its own while checked (a supervised process exited): recover by policy now. */
	void exited(String why) {
		synchronized (this) {
			if (this.state != SamState.RUNNING && this.state != SamState.WARNED) {
				return;
			}
			this.failures++;
			this.lastFailure = why;
		}
		recover();
	}

	/** Stops checking and removes the component's CMAP keys (a clean exit). */
	@Override
	public void close() {
		synchronized (this) {
			cancelTimers();
			this.state = SamState.STOPPED;
		}
		this.sam.unregister(this);
	}

	// ---------------------------------------------------------------------------------------------

	/** Quorum changed (QUORUM flag): start a waiting component, or count the loss as a failure. */
	void quorumChanged(boolean quorate) {
		CompletableFuture<Void> complete = null;
		boolean lost = false;
		synchronized (this) {
			if (!this.options.has(SamFlag.QUORUM)) {
				return;
			}
			if (quorate && this.state == SamState.WAITING_FOR_QUORUM) {
				arm();
				complete = this.started;
			}
			else if (!quorate && (this.state == SamState.RUNNING || this.state == SamState.WARNED)) {
				lost = true;
			}
		}
		if (complete != null) {
			complete.complete(null);
		}
		if (lost) {
			missed("quorum lost");
		}
	}

	private void arm() {
		this.state = SamState.RUNNING;
		this.lastHeartbeat = this.sam.clock().currentTimeMillis();
		armDeadline();
		if (this.check != null && !this.options.interval().isZero()) {
			scheduleCheck();
		}
		publish();
	}

	private void armDeadline() {
		if (this.deadline != null) {
			this.deadline.run();
			this.deadline = null;
		}
		long interval = this.options.interval().toMillis();
		if (interval > 0) {
			this.deadline = this.sam.clock().schedule(interval, () -> missed("no heartbeat within " + interval + " ms"));
		}
	}

	private void scheduleCheck() {
		this.nextCheck = this.sam.clock().schedule(Math.max(1, this.options.interval().toMillis() / 2), this::runCheck);
	}

	/** Runs the event-driven check off the timer thread; a check still running (hung) is not started again. */
	private void runCheck() {
		Callable<Boolean> current;
		synchronized (this) {
			if (this.state != SamState.RUNNING && this.state != SamState.WARNED) {
				return;
			}
			scheduleCheck();
			current = this.check;
			if (current == null || this.checking) {
				return;
			}
			this.checking = true;
		}
		ExecutorService executor = this.sam.checkExecutor();
		executor.execute(() -> {
			boolean healthy;
			String failure = null;
			try {
				healthy = Boolean.TRUE.equals(current.call());
				if (!healthy) {
					failure = "health check returned false";
				}
			}
			catch (Exception ex) {
				healthy = false;
				failure = "health check failed: " + ex;
			}
			synchronized (this) {
				this.checking = false;
				this.checkFailure = failure;
			}
			if (healthy) {
				hcSend();
			}
		});
	}

	/** A missed interval: the first warns, the next recovers. */
	private void missed(String why) {
		boolean recoverNow;
		synchronized (this) {
			if (this.state != SamState.RUNNING && this.state != SamState.WARNED) {
				return;
			}
			this.failures++;
			this.lastFailure = (this.checkFailure != null && !why.startsWith("quorum")) ? this.checkFailure : why;
			recoverNow = this.warned;
			if (!recoverNow) {
				this.warned = true;
				this.state = SamState.WARNED;
				armDeadline();
				publish();
			}
		}
		if (recoverNow) {
			recover();
			return;
		}
		logger.warn("SAM component {} missed its health check ({}); warned", this.name, why);
		try {
			this.recovery.warn();
		}
		catch (RuntimeException ex) {
			logger.warn("The warn callback of SAM component {} failed", this.name, ex);
		}
	}

	private void recover() {
		SamPolicy action;
		int next;
		synchronized (this) {
			cancelTimers();
			action = this.policy;
			if (action == SamPolicy.RESTART) {
				this.instanceId++;
				this.warned = false;
				this.state = SamState.STOPPED;
			}
			else {
				this.state = SamState.FAILED;
			}
			next = this.instanceId;
			publish();
		}
		logger.warn("SAM component {} failed ({}): {}", this.name, this.lastFailure,
				(action == SamPolicy.RESTART) ? "restarting as instance " + next : "quitting");
		try {
			if (action == SamPolicy.RESTART) {
				this.recovery.restart(next);
			}
			else {
				this.recovery.quit();
			}
		}
		catch (RuntimeException ex) {
			logger.error("Recovering SAM component {} failed", this.name, ex);
		}
	}

	private void cancelTimers() {
		if (this.deadline != null) {
			this.deadline.run();
			this.deadline = null;
		}
		if (this.nextCheck != null) {
			this.nextCheck.run();
			this.nextCheck = null;
		}
	}

	/** CMAP flag: {@code resources.process.<name>.{recovery,poll_period,last_updated,state}}. */
	private void publish() {
		Cmap cmap = this.sam.cmap();
		if (cmap == null || !this.options.has(SamFlag.CMAP)) {
			return;
		}
		String prefix = Sam.cmapPrefix(this.name);
		cmap.putString(prefix + "recovery", (this.policy == SamPolicy.RESTART) ? "restart" : "quit");
		cmap.putNumber(prefix + "poll_period", ValueType.UINT64, this.options.interval().toMillis());
		cmap.putNumber(prefix + "last_updated", ValueType.UINT64, this.lastHeartbeat);
		cmap.putString(prefix + "state", this.state.cmapName());
	}

}
