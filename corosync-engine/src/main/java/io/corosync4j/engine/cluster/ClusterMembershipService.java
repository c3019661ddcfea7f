package io.corosync4j.engine.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.Membership;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's {@link ClusterMembership}: it takes the node's synchronized rings (from its membership
 * listener, on the event loop) and the announcements of the group {@value ClusterMembership#GROUP_NAME}
 * (from CPG, on the event loop) into one {@link ViewState} under a lock, and hands every change to a
 * thread of its own that runs the tracking callbacks in order. Use the node's,
 * {@link CorosyncNode#clusterMembership()}: a second service on the same node would announce the same
 * node id as another CPG process.
 */
public final class ClusterMembershipService implements ClusterMembership, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.clm");

	private static final CpgName GROUP = CpgName.of(GROUP_NAME);

	/** How long an announcement may wait for room in a full CPG send queue. */
	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

	private final CorosyncNode node;

	private final long localNodeid;

	private final byte[] announcement;

	private final ExecutorService callbacks;

	private final AtomicLong malformed = new AtomicLong();

	private final CompletableFuture<CpgHandle> handle = new CompletableFuture<>();

	/** Guards {@link #state} and the nodelist cache; held briefly, on the event loop too. */
	private final Object lock = new Object();

	private final ViewState state;

	private @Nullable CorosyncConfig nodelistOf;

	private List<ConfiguredNode> nodelist = List.of();

	private volatile ClusterView current;

	private volatile boolean closed;

	// on the callback thread

	private final List<Tracker> trackers = new ArrayList<>();

	/** The current view as the trackers know it; {@code null} before the first ring. */
	private @Nullable ClusterView published;

	/**
	 * Starts the service of {@code node} with the JVM's start as this node's boot time.
	 * @throws IllegalStateException when the node is closed
	 */
	public ClusterMembershipService(CorosyncNode node) {
		this(node, ProcessHandle.current().info().startInstant().orElseGet(Instant::now));
	}

	/**
	 * Starts the service of {@code node}, announcing {@code bootTime} as its boot time.
	 * @throws IllegalStateException when the node is closed
	 */
	public ClusterMembershipService(CorosyncNode node, Instant bootTime) {
		if (node.isClosed()) {
			throw new IllegalStateException("node " + node.nodeId() + " is closed");
		}
		this.node = node;
		this.localNodeid = node.nodeId();
		NodeAnnouncement self;
		synchronized (this.lock) {
			List<ConfiguredNode> configured = nodelist();
			self = new NodeAnnouncement(this.localNodeid, bootTime, localName(configured));
			this.state = new ViewState(self, configured);
			this.current = this.state.current();
		}
		this.announcement = self.encode();
		long nodeid = this.localNodeid;
		this.callbacks = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "corosync-clm-" + nodeid);
			thread.setDaemon(true);
			return thread;
		});
		node.addMembershipListener(this::membershipChanged);
		// the ring may have synchronized before the listener was added; an older one is ignored
		membershipChanged(node.membership());
		try {
			this.handle.complete(node.cpg().join(GROUP, new Announcements()));
		}
		catch (RuntimeException ex) {
			this.closed = true;
			this.callbacks.shutdown();
			throw ex;
		}
	}

	// ---------------------------------------------------------------------------------------------
	// API

	@Override
	public long localNodeId() {
		return this.localNodeid;
	}

	@Override
	public ClusterView view() {
		return this.current;
	}

	@Override
	public Optional<ClusterNode> node(long nodeid) {
		return this.current.node(nodeid);
	}

	@Override
	public Tracking track(Set<TrackFlag> flags, Consumer<ClusterView> callback) {
		TrackFlag.check(flags);
		Tracker tracker = new Tracker(flags, callback);
		if (this.closed || !onCallbackThread(() -> start(tracker))) {
			throw new IllegalStateException(
					"the cluster membership service of node " + this.localNodeid + " is closed");
		}
		return tracker;
	}

	@Override
	public long malformedMessages() {
		return this.malformed.get();
	}

	/**
	 * Leaves the group and stops the callbacks once those already due have run; {@link #view()} keeps the
	 * last view. The node closes it when it stops.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.handle.thenAccept((joined) -> {
			try {
				joined.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Node {} could not leave {}: {}", this.localNodeid, GROUP_NAME, ex.toString());
			}
		});
		this.callbacks.shutdown();
	}

	// ---------------------------------------------------------------------------------------------
	// On the event loop (and once on the constructing thread)

	private void membershipChanged(Membership membership) {
		if (this.closed || !membership.synced() || membership.ringId() == null) {
			return;
		}
		synchronized (this.lock) {
			ClusterView change = this.state.ring(membership.ringId(), membership.members(), nodelist());
			if (change != null) {
				publish(change);
			}
		}
	}

	private void heard(NodeAnnouncement announcement) {
		synchronized (this.lock) {
			ClusterView change = this.state.announced(announcement, nodelist());
			this.current = this.state.current();
			if (change != null) {
				publish(change);
			}
		}
	}

	/** Under the lock: the change goes to the trackers in the order the state changed. */
	private void publish(ClusterView change) {
		ClusterView now = this.state.current();
		this.current = now;
		logger.debug("Node {}: {}", this.localNodeid, change);
		onCallbackThread(() -> deliver(change, now));
	}

	/** Multicasts this node's announcement, waiting off the loop if the send queue is full. */
	private void announce() {
		this.handle.thenAccept((joined) -> {
			try {
				if (joined.mcast(this.announcement) == CpgHandle.SendResult.TRY_AGAIN) {
					onCallbackThread(() -> announceWaiting(joined));
				}
			}
			catch (IllegalStateException left) {
				// closed meanwhile
			}
		});
	}

	private void announceWaiting(CpgHandle joined) {
		try {
			if (!joined.mcast(this.announcement, SEND_TIMEOUT)) {
				logger.warn("Node {} could not announce its boot time: the CPG send queue stayed full for {}",
						this.localNodeid, SEND_TIMEOUT);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IllegalStateException left) {
			// closed meanwhile
		}
	}

	/** The nodelist of the configuration in force, read again after a reload. */
	private List<ConfiguredNode> nodelist() {
		CorosyncConfig config = this.node.config();
		if (config != this.nodelistOf) {
			this.nodelist = ConfiguredNode.of(config, this.node.cmap());
			this.nodelistOf = config;
		}
		return this.nodelist;
	}

	/** The name this node announces: its nodelist name or {@code ring0_addr}, else the host's name. */
	private String localName(List<ConfiguredNode> configured) {
		for (ConfiguredNode entry : configured) {
			if (entry.nodeid() == this.localNodeid && entry.name() != null) {
				return entry.name();
			}
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "";
		}
	}

	private boolean onCallbackThread(Runnable task) {
		try {
			this.callbacks.execute(task);
			return true;
		}
		catch (RejectedExecutionException closed) {
			return false;
		}
	}

	private final class Announcements implements CpgListener {

		@Override
		public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			if (ClusterMembershipService.this.closed) {
				return;
			}
			NodeAnnouncement announcement;
			try {
				announcement = NodeAnnouncement.decode(message);
				if (announcement.nodeid() != nodeid) {
					throw new IllegalArgumentException("node " + nodeid + " announced node " + announcement.nodeid());
				}
			}
			catch (IllegalArgumentException ex) {
				ClusterMembershipService.this.malformed.incrementAndGet();
				logger.debug("Node {} dropped a message of {}/{} in {}: {}", ClusterMembershipService.this.localNodeid,
						nodeid, pid, GROUP_NAME, ex.getMessage());
				return;
			}
			try {
				heard(announcement);
			}
			catch (RuntimeException ex) {
				logger.warn("Node {} could not take the announcement of node {}",
						ClusterMembershipService.this.localNodeid, nodeid, ex);
			}
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			// a process joined (this one included): everyone says again who they are, so it learns them all
			if (!ClusterMembershipService.this.closed && !change.joined().isEmpty()) {
				announce();
			}
		}

	}

	// ---------------------------------------------------------------------------------------------
	// On the callback thread

	private void start(Tracker tracker) {
		if (tracker.closed) {
			return;
		}
		ClusterView now = this.published;
		if (tracker.current) {
			if (now != null) {
				tracker.call(now);
			}
			else {
				tracker.awaitingCurrent = true;
			}
		}
		if (tracker.changes || tracker.changesOnly || tracker.awaitingCurrent) {
			this.trackers.add(tracker);
		}
	}

	/** A change, and the current view it made. */
	private void deliver(ClusterView change, ClusterView now) {
		this.published = now;
		ClusterView only = null;
		for (Tracker tracker : List.copyOf(this.trackers)) {
			if (tracker.closed) {
				continue;
			}
			if (tracker.awaitingCurrent) {
				tracker.awaitingCurrent = false;
				tracker.call(tracker.changes ? change : now);
				if (!tracker.changes && !tracker.changesOnly) {
					this.trackers.remove(tracker);
				}
			}
			else if (tracker.changes) {
				tracker.call(change);
			}
			else if (tracker.changesOnly) {
				if (only == null) {
					only = change.changesOnly();
				}
				if (!only.nodes().isEmpty()) {
					tracker.call(only);
				}
			}
		}
	}

	private final class Tracker implements Tracking {

		final boolean current;

		final boolean changes;

		final boolean changesOnly;

		final Consumer<ClusterView> callback;

		volatile boolean closed;

		/** Asked for the current view before there was one: gets the first. */
		boolean awaitingCurrent;

		Tracker(Set<TrackFlag> flags, Consumer<ClusterView> callback) {
			this.current = flags.contains(TrackFlag.CURRENT);
			this.changes = flags.contains(TrackFlag.CHANGES);
			this.changesOnly = flags.contains(TrackFlag.CHANGES_ONLY);
			this.callback = callback;
		}

		void call(ClusterView view) {
			if (this.closed) {
				return;
			}
			try {
				this.callback.accept(view);
			}
			catch (RuntimeException ex) {
				logger.warn("A cluster membership callback of node {} failed",
						ClusterMembershipService.this.localNodeid, ex);
			}
		}

		@Override
		public void close() {
			this.closed = true;
			onCallbackThread(() -> ClusterMembershipService.this.trackers.remove(this));
		}

	}

}
