package io.corosync4j.engine.service.votequorum;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.ServiceContext;
import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.service.cmap.CmapEvent;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.NodeInfo;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.QdeviceRegistration;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.QdeviceRename;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.Reconfigure;
import io.corosync4j.engine.sync.SyncService;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * votequorum on a node (service 5): the engine that exchanges nodeinfo with every member, Java or C, and
 * the API to read and steer quorum. {@link #state()} and the listener registration are safe from any
 * thread; listeners run on the node's event loop.
 *
 * <p>This node never hosts a quorum device. A device registered on a Corosync peer is accepted: its name
 * and votes are recorded and shown, and its votes count where Corosync counts them (on the node whose
 * device casts the vote).
 */
public final class VotequorumService implements ServiceEngine, SyncService {

	private static final Logger logger = LoggerFactory.getLogger(VotequorumService.class);

	/** The {@code runtime.votequorum.*} keys Corosync stores as {@code u8}; the others are {@code u32}. */
	private static final Set<String> BYTE_KEYS = Set.of("two_node", "wait_for_all_status", "qdevice_can_operate",
			"qdevice_master_wins");

	private static final String CANCEL_WAIT_FOR_ALL = "quorum.cancel_wait_for_all";

	private volatile VotequorumSettings settings;

	private final ExpectedVotesStore expectedVotesStore;

	private final List<QuorumListener> listeners = new CopyOnWriteArrayList<>();

	private final List<TrackingListener> trackingListeners = new CopyOnWriteArrayList<>();

	private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();

	private @Nullable ServiceContext context;

	private @Nullable VoteQuorum engine;

	private @Nullable Runnable lastManStandingTimer;

	private @Nullable CompletableFuture<Void> farewell;

	private volatile @Nullable QuorumState state;

	private volatile long malformed;

	private boolean announcedQuorate;

	/** Where {@code expected_votes_tracking} keeps the highest expected votes seen. */
	public interface ExpectedVotesStore {

		/** The stored barrier, or 0 when there is none yet. */
		long load();

		void store(long barrier);

		/**
		 * Corosync's {@code <state_dir>/ev_tracking}: the barrier as a 4-byte little-endian integer, so a
		 * node can take over a Corosync node's state directory.
		 */
		static ExpectedVotesStore file(Path stateDirectory) {
			Path file = stateDirectory.resolve("ev_tracking");
			return new ExpectedVotesStore() {

				@Override
				public long load() {
					try {
						byte[] bytes = Files.readAllBytes(file);
						if (bytes.length == 4) {
							return Integer.toUnsignedLong(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt());
						}
					}
					catch (NoSuchFileException ex) {
						// first start: no barrier yet
					}
					catch (IOException ex) {
						logger.warn("Unable to read {}: {}", file, ex.getMessage());
					}
					return 0;
				}

				@Override
				public void store(long barrier) {
					byte[] bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) barrier).array();
					try {
						Files.createDirectories(stateDirectory);
						try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
								StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
							channel.write(ByteBuffer.wrap(bytes));
							channel.force(false);
						}
					}
					catch (IOException ex) {
						logger.warn("Unable to update ev_tracking_barrier on disk data in {}: {}", file, ex.getMessage());
					}
				}

			};
		}

		/** Keeps the barrier in memory only (tests, or tracking off). */
		static ExpectedVotesStore inMemory() {
			return new ExpectedVotesStore() {

				private long barrier;

				@Override
				public long load() {
					return this.barrier;
				}

				@Override
				public void store(long value) {
					this.barrier = value;
				}

			};
		}

	}

	public VotequorumService(VotequorumSettings settings, ExpectedVotesStore expectedVotesStore) {
		this.settings = settings;
		this.expectedVotesStore = expectedVotesStore;
	}

	public VotequorumSettings settings() {
		return this.settings;
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/** The current view, or {@code null} before the engine started. */
	public @Nullable QuorumState state() {
		return this.state;
	}

	/** Whether this node's partition is quorate now. */
	public boolean quorate() {
		QuorumState current = this.state;
		return current != null && current.quorate();
	}

	/**
	 * Registers a listener for quorum notifications.
	 * @return removes the listener
	 */
	public AutoCloseable addListener(QuorumListener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	/**
	 * Told what votequorum's library tells its tracking clients besides quorum
	 * ({@code votequorum_trackstart}'s expected-votes and node-list callbacks). Runs on the node's event
	 * loop; must not block.
	 */
	public interface TrackingListener {

		/** This node's expected votes changed: raised by the votes present or set by a reconfigure. */
		void expectedVotesChanged(long expectedVotes);

		/**
		 * A new ring's quorum members, once per synchronization, before its quorum notification;
		 * {@code state} carries the new ring id and members.
		 */
		void nodeListChanged(QuorumState state);

	}

	/**
	 * Registers a listener for expected-votes and node-list notifications.
	 * @return removes the listener
	 */
	public AutoCloseable addTrackingListener(TrackingListener listener) {
		this.trackingListeners.add(listener);
		return () -> this.trackingListeners.remove(listener);
	}

	/**
	 * Sets the expected votes of the whole cluster ({@code corosync-quorumtool -e}).
	 * @return completes once the change is queued for the ring; fails with {@link IllegalArgumentException}
	 * when the value is below the present votes or would make a quorate cluster inquorate
	 */
	public CompletableFuture<Void> setExpectedVotes(long expectedVotes) {
		return onLoop((engine) -> engine.requestExpectedVotes(expectedVotes));
	}

	/**
	 * Sets a node's votes ({@code corosync-quorumtool -v}).
	 * @return completes once queued; fails with {@link IllegalArgumentException} for an unknown node or
	 * votes that would put quorum outside half to all of the votes
	 */
	public CompletableFuture<Void> setVotes(long nodeid, long votes) {
		return onLoop((engine) -> engine.requestVotes(nodeid, votes));
	}

	/** Stops every node from waiting for all nodes ({@code quorum.cancel_wait_for_all}). */
	public CompletableFuture<Void> cancelWaitForAll() {
		return onLoop(VoteQuorum::requestCancelWaitForAll);
	}

	/**
	 * Applies a reloaded configuration (two_node, expected votes, this node's votes) and announces it;
	 * on the event loop.
	 */
	public void reloaded(VotequorumSettings next) {
		this.settings = next;
		engine().reloaded(next);
		flush();
		publish();
	}

	/** votequorum messages too short for their type. */
	public long malformedMessages() {
		return this.malformed;
	}

	// ---------------------------------------------------------------------------------------------
	// ServiceEngine

	@Override
	public int serviceId() {
		return VOTEQUORUM;
	}

	@Override
	public int functionCount() {
		return 4;
	}

	@Override
	public String name() {
		return "corosync vote quorum service v1.0";
	}

	@Override
	public void start(ServiceContext context) {
		this.context = context;
		context.whenSendable(this::flush);
		this.engine = new VoteQuorum(context.nodeId(), this.settings, this.expectedVotesStore.load(), new Host());
		flush();
		publish();
		// writing quorum.cancel_wait_for_all (corosync-cmapctl -s quorum.cancel_wait_for_all u8 1) cancels it
		context.cmap().track(CANCEL_WAIT_FOR_ALL, EnumSet.of(CmapEvent.Type.ADD, CmapEvent.Type.MODIFY), false,
				(event) -> {
					if (event.newValue() != null && event.newValue().type().isInteger()
							&& event.newValue().longValue() >= 1) {
						context.loop().execute(() -> {
							context.cmap().putNumber(CANCEL_WAIT_FOR_ALL, ValueType.UINT8, 0);
							engine().requestCancelWaitForAll();
							flush();
						});
					}
				});
	}

	@Override
	public void deliver(long nodeid, int function, byte[] message, boolean bigEndian) {
		VoteQuorum core = engine();
		switch (function) {
			case VotequorumMessages.NODEINFO -> {
				NodeInfo info = NodeInfo.decode(message, bigEndian);
				if (info == null) {
					this.malformed++;
					return;
				}
				core.nodeInfo(nodeid, info);
				CompletableFuture<Void> leaving = this.farewell;
				if (leaving != null && nodeid == info.nodeid() && nodeid == context().nodeId()
						&& (info.flags() & NodeFlags.LEAVING) != 0) {
					leaving.complete(null);
				}
			}
			case VotequorumMessages.RECONFIGURE -> {
				Reconfigure change = Reconfigure.decode(message, bigEndian);
				if (change == null) {
					this.malformed++;
					return;
				}
				core.reconfigure(nodeid, change);
			}
			case VotequorumMessages.QDEVICE_REG -> {
				QdeviceRegistration registration = QdeviceRegistration.decode(message, bigEndian);
				if (registration == null) {
					this.malformed++;
					return;
				}
				core.qdeviceRegistration(nodeid, registration);
			}
			case VotequorumMessages.QDEVICE_RECONFIGURE -> {
				QdeviceRename rename = QdeviceRename.decode(message);
				if (rename == null) {
					this.malformed++;
					return;
				}
				core.qdeviceRename(rename);
			}
			default -> this.malformed++;
		}
		publish();
	}

	@Override
	public CompletableFuture<Void> exit() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		if (engine().leaving()) {
			this.farewell = done;
			flush();
		}
		else {
			done.complete(null);
		}
		return done;
	}

	// ---------------------------------------------------------------------------------------------
	// SyncService

	@Override
	public void init(List<Long> transitional, List<Long> members, RingId ringId) {
		engine().syncInit(members, ringId);
		publish();
	}

	@Override
	public boolean process() {
		engine().syncProcess();
		flush();
		// the barrier must follow this node's nodeinfo in the agreed order
		return this.outbox.isEmpty();
	}

	@Override
	public void activate() {
		engine().syncActivate();
	}

	@Override
	public void abort() {
	}

	// ---------------------------------------------------------------------------------------------

	private VoteQuorum engine() {
		VoteQuorum core = this.engine;
		if (core == null) {
			throw new IllegalStateException("votequorum has not started");
		}
		return core;
	}

	private ServiceContext context() {
		ServiceContext current = this.context;
		if (current == null) {
			throw new IllegalStateException("votequorum has not started");
		}
		return current;
	}

	private CompletableFuture<Void> onLoop(Consumer<VoteQuorum> request) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		Executor loop = context().loop();
		loop.execute(() -> {
			try {
				request.accept(engine());
				flush();
				done.complete(null);
			}
			catch (RuntimeException ex) {
				done.completeExceptionally(ex);
			}
		});
		return done;
	}

	/** Sends what Totem's queue takes now; the rest after the next token. */
	private void flush() {
		ServiceContext current = this.context;
		while (current != null && !this.outbox.isEmpty() && current.mcast(this.outbox.peek())) {
			this.outbox.poll();
		}
	}

	private void publish() {
		VoteQuorum core = engine();
		this.state = core.state();
		Cmap cmap = context().cmap();
		core.runtimeKeys().forEach((name, value) -> cmap.putNumber("runtime.votequorum." + name,
				BYTE_KEYS.contains(name) ? ValueType.UINT8 : ValueType.UINT32, value));
	}

	private void notifyListeners() {
		publish();
		QuorumState current = this.state;
		if (current == null) {
			return;
		}
		if (current.quorate() != this.announcedQuorate) {
			this.announcedQuorate = current.quorate();
			logger.info(current.quorate() ? "This node is within the primary component and will provide service."
					: "This node is within the non-primary component and will NOT provide any services.");
		}
		for (QuorumListener listener : this.listeners) {
			try {
				listener.quorumChanged(current);
			}
			catch (RuntimeException ex) {
				logger.warn("A quorum listener failed", ex);
			}
		}
	}

	/** What the engine asks of the node. */
	private final class Host implements VoteQuorum.Host {

		@Override
		public void send(byte[] message) {
			VotequorumService.this.outbox.add(message);
		}

		@Override
		public void startLastManStandingTimer(long millis) {
			cancelLastManStandingTimer();
			VotequorumService.this.lastManStandingTimer = context().schedule(millis, () -> {
				VotequorumService.this.lastManStandingTimer = null;
				engine().lastManStandingExpired();
				flush();
				publish();
			});
		}

		@Override
		public void cancelLastManStandingTimer() {
			Runnable cancel = VotequorumService.this.lastManStandingTimer;
			if (cancel != null) {
				cancel.run();
				VotequorumService.this.lastManStandingTimer = null;
			}
		}

		@Override
		public void quorumNotification() {
			// the engine is still being built when its first calculation runs; the start publishes then
			if (VotequorumService.this.engine != null) {
				notifyListeners();
			}
		}

		@Override
		public void expectedVotesNotification(long expectedVotes) {
			for (TrackingListener listener : VotequorumService.this.trackingListeners) {
				try {
					listener.expectedVotesChanged(expectedVotes);
				}
				catch (RuntimeException ex) {
					logger.warn("A votequorum tracking listener failed", ex);
				}
			}
		}

		@Override
		public void nodeListNotification() {
			QuorumState current = engine().state();
			for (TrackingListener listener : VotequorumService.this.trackingListeners) {
				try {
					listener.nodeListChanged(current);
				}
				catch (RuntimeException ex) {
					logger.warn("A votequorum tracking listener failed", ex);
				}
			}
		}

		@Override
		public void storeExpectedVotesBarrier(long barrier) {
			VotequorumService.this.expectedVotesStore.store(barrier);
		}

	}

}
