package io.corosync4j.engine.totem.srp;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.random.RandomGenerator;

import io.corosync4j.engine.config.TotemTimers;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.MembCommitToken;
import io.corosync4j.engine.totem.wire.MembEntry;
import io.corosync4j.engine.totem.wire.MembJoin;
import io.corosync4j.engine.totem.wire.MembMergeDetect;
import io.corosync4j.engine.totem.wire.OrfToken;
import io.corosync4j.engine.totem.wire.RingId;
import io.corosync4j.engine.totem.wire.RtrItem;
import io.corosync4j.engine.totem.wire.TokenHoldCancel;
import io.corosync4j.engine.totem.wire.TotemCodec;
import io.corosync4j.engine.totem.wire.TotemMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's Totem single-ring protocol, rule for rule as Corosync 3.1's {@code exec/totemsrp.c}.
 *
 * <p>Everything happens on the caller's thread, one event at a time: {@link #start}, {@link #onMessage},
 * {@link #onTimer}, {@link #mcast}, {@link #leave}. Each takes the current time in nanoseconds (any
 * monotonic origin); the instance never reads a clock, never blocks and never does I/O itself.
 *
 * <p>Sequence numbers, arus and token sequence numbers are unsigned 32-bit values held in {@code int}s
 * and compared with {@link Sequence}; ring sequences are unsigned 64-bit.
 */
public final class TotemSrp {

	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.totem");

	/** {@code RETRANS_MESSAGE_QUEUE_SIZE_MAX}. */
	private static final int RETRANS_QUEUE_CAPACITY = 16384;

	/** {@code RETRANSMIT_ENTRIES_MAX}. */
	private static final int RTR_ENTRIES_MAX = 30;

	private static final long NANOS_PER_MILLI = 1_000_000L;

	private final SrpSettings settings;

	private TotemTimers timers;

	private final long myId;

	private final TotemNetwork network;

	private final Scheduler scheduler;

	private final TotemListener listener;

	private final RingIdStore ringIdStore;

	private final RandomGenerator random;

	private final SrpStats stats = new SrpStats();

	private final boolean useHeartbeat;

	private long now;

	private boolean started;

	private boolean stopped;

	private MembershipState state = MembershipState.OPERATIONAL;

	private RingId myRingId;

	private RingId myOldRingId;

	private long tokenRingIdSeq;

	private final List<Long> myProcList = new ArrayList<>();

	private final List<Long> myFailedList = new ArrayList<>();

	private final List<Long> myMembList = new ArrayList<>();

	private final List<Long> myNewMembList = new ArrayList<>();

	private final List<Long> myTransMembList = new ArrayList<>();

	private final List<Long> myDeliverMembList = new ArrayList<>();

	private final List<Long> myLeftMembList = new ArrayList<>();

	private final List<Long> myLeaveMembList = new ArrayList<>();

	private final List<Long> consensusList = new ArrayList<>();

	private final SortQueue<Mcast> regularSortQueue = new SortQueue<>(0);

	private final SortQueue<Mcast> recoverySortQueue = new SortQueue<>(0);

	private final ArrayDeque<Pending> newMessageQueue = new ArrayDeque<>();

	private final ArrayDeque<Pending> newMessageQueueTrans = new ArrayDeque<>();

	private final ArrayDeque<Pending> retransMessageQueue = new ArrayDeque<>();

	private final ArrayDeque<DeferredJoin> deferredJoins = new ArrayDeque<>();

	/**
	 * Corosync's {@code SEQNO_START_MSG} and {@code SEQNO_START_TOKEN}: 0 on the wire; tests move it near the
	 * 32-bit wrap as Corosync's own test build does.
	 */
	private int sequenceStart;

	private int myAru;

	private int myHighSeqReceived;

	private int myHighDelivered;

	private int lastReleased;

	private int myLastAru;

	private int myTokenSeq = -1;

	private int myLastSeq;

	private int myInstallSeq;

	private int myHighRingDelivered;

	private int myAruCount;

	private int mySeqUnchanged;

	private int myRetransFlgCount;

	private int myRotationCounter;

	private int myTrc;

	private int myPbl;

	private int myCbl;

	private int globalSeqno;

	private int oldRingStateAru;

	private int oldRingStateHighSeqReceived;

	private boolean oldRingStateSaved;

	private boolean myTokenHeld;

	private boolean mySetRetransFlg;

	private boolean myReceivedFlg = true;

	private boolean failedToRecv;

	private boolean orfTokenDiscard;

	private boolean originatedOrfToken;

	private boolean waitingTransAck = true;

	private boolean mergeDetectOutstanding;

	private long pauseTimestamp;

	private long lastTokenReceived;

	private long tokenTarget;

	private @Nullable TotemMessage lastTokenSent;

	/**
	 * What every member had received at this node's last visit of the token: the lower of the aru it received
	 * then and at the visit before (what it may release to). A re-sent copy of its token carries no more.
	 */
	private int confirmedAru;

	/** Callbacks waiting until every member holds what this node had delivered when they were registered. */
	private final ArrayDeque<StableWaiter> stableWaiters = new ArrayDeque<>();

	private @Nullable CommitToken commitToken;

	/**
	 * @param settings node id, timers and constants
	 * @param network where messages go
	 * @param scheduler where timers go
	 * @param listener where deliveries and configurations go
	 * @param ringIdStore where the ring sequence is kept across restarts
	 * @param random the randomness of {@code send_join} delays
	 */
	public TotemSrp(SrpSettings settings, TotemNetwork network, Scheduler scheduler, TotemListener listener,
			RingIdStore ringIdStore, RandomGenerator random) {
		this.settings = settings;
		this.timers = settings.timers();
		this.myId = settings.nodeid();
		this.network = network;
		this.scheduler = scheduler;
		this.listener = listener;
		this.ringIdStore = ringIdStore;
		this.random = random;
		this.useHeartbeat = settings.heartbeatTimeout() > 0;
		this.myRingId = new RingId(this.myId, 0);
		this.myOldRingId = this.myRingId;
	}

	/**
	 * Makes every new ring start its message and token sequence numbers at {@code start} instead of 0,
	 * so tests reach the 32-bit wrap quickly. Every node of a ring must use the same value.
	 */
	void startSequenceAt(int start) {
		if (this.started) {
			throw new IllegalStateException("already started");
		}
		this.sequenceStart = start;
		this.myAru = start;
		this.myHighSeqReceived = start;
		this.myHighDelivered = start;
		this.myTokenSeq = start - 1;
		this.regularSortQueue.reinit(start);
		this.recoverySortQueue.reinit(start);
	}

	// ---------------------------------------------------------------------------------------------
	// What the outside world calls

	/**
	 * Loads the ring sequence, takes {@code {me, stored + 1}} as the first ring id and starts gathering
	 * ({@code main_iface_change_fn} for the first interface).
	 * @throws TotemFatalException when the ring id store cannot be read or created
	 */
	public void start(long now) {
		if (this.started) {
			throw new IllegalStateException("already started");
		}
		this.started = true;
		this.now = now;
		// Corosync measures from 0 here and warns with the host's uptime; we count from the start
		this.lastTokenReceived = now;
		long stored;
		try {
			stored = this.ringIdStore.loadOrCreate(this.myId);
		}
		catch (IOException ex) {
			throw fatal("Couldn't load the ring id of node " + this.myId + ": " + ex.getMessage(), ex);
		}
		// +1 so that a restarted lowest-id node never re-creates a ring id its peers remember
		this.myRingId = new RingId(this.myId, stored + 1);
		this.myOldRingId = this.myRingId;
		this.tokenRingIdSeq = this.myRingId.seq();
		logger.debug("Created or loaded sequence id {} for this ring.", this.myRingId);
		this.listener.waitingTransAck(true);
		pauseTimeout();
		gatherEnter(GatherReason.INTERFACE_CHANGE);
	}

	/** Handles a received message (already decoded; rejections are the transport's to count). */
	public void onMessage(TotemMessage message, long now) {
		if (!this.started || this.stopped) {
			return;
		}
		this.now = now;
		if (message instanceof OrfToken token) {
			this.stats.increment(SrpCounter.ORF_TOKEN_RX);
			handleOrfToken(token);
		}
		else if (message instanceof Mcast mcast) {
			this.stats.increment(SrpCounter.MCAST_RX);
			handleMcast(mcast);
		}
		else if (message instanceof MembMergeDetect mergeDetect) {
			this.stats.increment(SrpCounter.MEMB_MERGE_DETECT_RX);
			handleMergeDetect(mergeDetect);
		}
		else if (message instanceof MembJoin join) {
			this.stats.increment(SrpCounter.MEMB_JOIN_RX);
			handleJoin(join);
		}
		else if (message instanceof MembCommitToken commit) {
			this.stats.increment(SrpCounter.MEMB_COMMIT_TOKEN_RX);
			handleCommitToken(commit);
		}
		else if (message instanceof TokenHoldCancel cancel) {
			this.stats.increment(SrpCounter.TOKEN_HOLD_CANCEL_RX);
			handleTokenHoldCancel(cancel);
		}
	}

	/** Handles an expired timer. */
	public void onTimer(SrpTimer timer, long now) {
		if (!this.started || this.stopped) {
			return;
		}
		this.now = now;
		switch (timer) {
			case TOKEN_LOSS -> tokenLossTimeout();
			case HEARTBEAT -> {
				logger.debug("HeartBeat Timer expired Invoking token loss mechanism in state {}", this.state.number());
				tokenLossTimeout();
			}
			case TOKEN_WARNING -> tokenWarningTimeout();
			case TOKEN_RETRANSMIT -> tokenRetransmitTimeout();
			case TOKEN_HOLD -> {
				if (this.state == MembershipState.OPERATIONAL || this.state == MembershipState.RECOVERY) {
					tokenRetransmit();
				}
			}
			case JOIN -> joinTimeout();
			case CONSENSUS -> consensusTimeoutExpired();
			case MERGE_DETECT -> mergeDetectTimeout();
			case PAUSE -> pauseTimeout();
			case SEND_JOIN -> sendDeferredJoins();
		}
	}

	/**
	 * Queues a message for the agreed order ({@code totemsrp_mcast}). Between a regular configuration
	 * and {@link #transAck()} it goes to the queue sent first (synchronization traffic).
	 * @param payload the bytes to multicast (not copied; do not change them afterwards)
	 * @return false when the queue is full (Corosync's try-again)
	 */
	public boolean mcast(byte[] payload) {
		return mcast(payload, false);
	}

	/**
	 * Queues a message even when the queue is full (totempg's last frame of a ring, which must not wait
	 * for the next one).
	 */
	public boolean mcastRegardless(byte[] payload) {
		return mcast(payload, true);
	}

	private boolean mcast(byte[] payload, boolean regardless) {
		if (this.stopped) {
			return false;
		}
		ArrayDeque<Pending> queue = this.waitingTransAck ? this.newMessageQueueTrans : this.newMessageQueue;
		if (!regardless && queue.size() >= this.settings.messageQueueCapacity()) {
			logger.trace("queue full");
			return false;
		}
		this.stats.increment(SrpCounter.MCAST_TX);
		queue.add(new Pending(Mcast.REGULAR, payload));
		return true;
	}

	/**
	 * The payload the normal send queue hands out next, or {@code null}: between a transitional
	 * configuration and {@link #transAck()} that queue is held, so this is the first of this node's
	 * messages the old ring did not carry.
	 */
	public byte @Nullable [] nextNormal() {
		Pending next = this.newMessageQueue.peek();
		return (next == null) ? null : next.payload();
	}

	/**
	 * Replaces the first payloads of the normal send queue, if they are {@code next} (the same arrays, in
	 * order), with {@code replacement}, whatever the queue's fill: a message the old ring carried only in
	 * part goes out again, whole, instead of its end.
	 * @return false, changing nothing, when the queue does not start with {@code next}
	 */
	public boolean replaceNext(List<byte[]> next, List<byte[]> replacement) {
		if (this.stopped) {
			return false;
		}
		Iterator<Pending> queued = this.newMessageQueue.iterator();
		for (byte[] expected : next) {
			if (!queued.hasNext() || queued.next().payload() != expected) {
				return false;
			}
		}
		for (int i = 0; i < next.size(); i++) {
			this.newMessageQueue.pollFirst();
		}
		for (int i = replacement.size() - 1; i >= 0; i--) {
			this.stats.increment(SrpCounter.MCAST_TX);
			this.newMessageQueue.addFirst(new Pending(Mcast.REGULAR, replacement.get(i)));
		}
		return true;
	}

	/**
	 * Tells the protocol a new message is about to be queued ({@code totemsrp_event_signal}): a node
	 * that saw the token held asks the representative to release it.
	 */
	public void signalNewMessage(long now) {
		if (!this.started || this.stopped) {
			return;
		}
		this.now = now;
		tokenHoldCancelSend();
	}

	/**
	 * New timer values from a configuration reload ({@code totempg_put_config}); each takes effect the next
	 * time its timer is armed, as in Corosync.
	 */
	public void updateTimers(TotemTimers next) {
		this.timers = next;
	}

	/** Room left in the current send queue ({@code totemsrp_avail}). */
	public int available() {
		ArrayDeque<Pending> queue = this.waitingTransAck ? this.newMessageQueueTrans : this.newMessageQueue;
		return this.settings.messageQueueCapacity() - queue.size();
	}

	/** Synchronization finished: application traffic may go out again ({@code totemsrp_trans_ack}). */
	public void transAck() {
		this.waitingTransAck = false;
		// Corosync leaves what is still in the synchronization queue there until the next membership
		// change (totempg data staged before the change lands in it); we send it after the rest.
		this.newMessageQueue.addAll(this.newMessageQueueTrans);
		this.newMessageQueueTrans.clear();
		this.listener.waitingTransAck(false);
	}

	/** Starts a new membership round as after a token loss ({@code runtime.force_gather}). */
	public void forceGather(long now) {
		if (!this.started || this.stopped) {
			return;
		}
		this.now = now;
		tokenLossTimeout();
	}

	/**
	 * Multicasts the leave message so the others re-form at once instead of after a token timeout, then
	 * stops handling events ({@code totemsrp_finalize}).
	 */
	public void leave(long now) {
		if (!this.started || this.stopped) {
			return;
		}
		this.now = now;
		leaveMessageSend();
		stop();
	}

	/** Stops handling events and cancels the timers, without a leave message (a crash, seen from outside). */
	public void stop() {
		this.stopped = true;
		this.stableWaiters.clear();
		for (SrpTimer timer : SrpTimer.values()) {
			this.scheduler.cancel(timer);
		}
	}

	public MembershipState state() {
		return this.state;
	}

	/**
	 * Runs {@code callback} on this thread once every member of the ring has received every message this
	 * node has delivered so far (Totem's safe delivery): at the first token visit whose confirmed aru
	 * reaches them. A callback waiting when the ring breaks never runs.
	 * @return false, and the callback never runs, when the ring is not operational
	 */
	public boolean whenStable(Runnable callback) {
		if (this.state != MembershipState.OPERATIONAL || this.stopped) {
			return false;
		}
		this.stableWaiters.add(new StableWaiter(this.myHighDelivered, callback));
		return true;
	}

	/**
	 * Whether the token is sure to visit this node again without anything this node sends: the ring is
	 * operational, this node passes the token on, and the token has not gone round unchanged so often that
	 * the representative may hold it before then (its count of unchanged visits is at most one ahead of
	 * this node's). Meant for {@link TotemListener#tokenReceived()}, where a caller decides whether
	 * work queued for the next visit needs another wake-up.
	 */
	public boolean tokenReturns() {
		return this.state == MembershipState.OPERATIONAL && !this.stopped && !this.myTokenHeld
				&& this.mySeqUnchanged + 2 < this.timers.seqnoUnchangedConst();
	}

	public RingId ringId() {
		return this.myRingId;
	}

	public long nodeid() {
		return this.myId;
	}

	/** The members of the current ring, in ring order (empty before the first ring). */
	public List<Long> members() {
		return Collections.unmodifiableList(new ArrayList<>(this.myMembList));
	}

	/** The current ring's members without a copy, for callers on the protocol's thread. */
	List<Long> membersView() {
		return Collections.unmodifiableList(this.myMembList);
	}

	/** The membership sets, for failure reports. */
	String describeMembership() {
		return "proc " + this.myProcList + " failed " + this.myFailedList + " consensus " + this.consensusList
				+ " memb " + this.myMembList + " aru " + Integer.toUnsignedString(this.myAru, 16) + " high "
				+ Integer.toUnsignedString(this.myHighSeqReceived, 16);
	}

	public SrpStats stats() {
		return this.stats;
	}

	public boolean isStopped() {
		return this.stopped;
	}

	// ---------------------------------------------------------------------------------------------
	// Timers

	private void schedule(SrpTimer timer, long millis) {
		this.scheduler.schedule(timer, millis * NANOS_PER_MILLI);
	}

	private void resetTokenTimeout() {
		schedule(SrpTimer.TOKEN_LOSS, this.timers.token());
		if (this.timers.tokenWarning() != 0) {
			schedule(SrpTimer.TOKEN_WARNING, this.timers.tokenWarningPeriod());
		}
	}

	private void cancelTokenTimeout() {
		this.scheduler.cancel(SrpTimer.TOKEN_LOSS);
		if (this.timers.tokenWarning() != 0) {
			this.scheduler.cancel(SrpTimer.TOKEN_WARNING);
		}
	}

	private void resetTokenRetransmitTimeout() {
		schedule(SrpTimer.TOKEN_RETRANSMIT, this.timers.tokenRetransmit());
	}

	private void resetHeartbeatTimeout() {
		schedule(SrpTimer.HEARTBEAT, this.settings.heartbeatTimeout());
	}

	private void startMergeDetectTimeout() {
		if (!this.mergeDetectOutstanding) {
			schedule(SrpTimer.MERGE_DETECT, this.timers.merge());
			this.mergeDetectOutstanding = true;
		}
	}

	private void cancelMergeDetectTimeout() {
		this.scheduler.cancel(SrpTimer.MERGE_DETECT);
		this.mergeDetectOutstanding = false;
	}

	private void pauseTimeout() {
		this.pauseTimestamp = this.now;
		this.scheduler.schedule(SrpTimer.PAUSE, this.timers.token() * NANOS_PER_MILLI / 5);
	}

	private void tokenWarningTimeout() {
		logger.info("Token has not been received in {} ms", (this.now - this.lastTokenReceived) / NANOS_PER_MILLI);
		schedule(SrpTimer.TOKEN_WARNING, this.timers.tokenWarningPeriod());
	}

	private void tokenLossTimeout() {
		switch (this.state) {
			case OPERATIONAL -> {
				logger.info("A processor failed, forming new configuration: token timed out ({}ms), waiting {}ms for consensus.",
						this.timers.token(), this.timers.consensus());
				gatherEnter(GatherReason.TOKEN_LOST_IN_OPERATIONAL);
				this.stats.increment(SrpCounter.OPERATIONAL_TOKEN_LOST);
			}
			case GATHER -> {
				logger.debug("The consensus timeout expired ({}ms).", this.timers.consensus());
				consensusTimeoutExpired();
				gatherEnter(GatherReason.CONSENSUS_TIMEOUT_EXPIRED);
				this.stats.increment(SrpCounter.GATHER_TOKEN_LOST);
			}
			case COMMIT -> {
				logger.debug("The token was lost in the COMMIT state.");
				gatherEnter(GatherReason.TOKEN_LOST_IN_COMMIT);
				this.stats.increment(SrpCounter.COMMIT_TOKEN_LOST);
			}
			case RECOVERY -> {
				logger.debug("The token was lost in the RECOVERY state.");
				recoveryStateTokenLoss();
				this.orfTokenDiscard = true;
			}
		}
	}

	private void recoveryStateTokenLoss() {
		oldRingStateRestore();
		gatherEnter(GatherReason.TOKEN_LOST_IN_RECOVERY);
		this.stats.increment(SrpCounter.RECOVERY_TOKEN_LOST);
	}

	private void tokenRetransmitTimeout() {
		if (this.state != MembershipState.GATHER) {
			tokenRetransmit();
			resetTokenRetransmitTimeout();
		}
	}

	private void tokenRetransmit() {
		TotemMessage last = this.lastTokenSent;
		if (last == null) {
			return;
		}
		if (this.state == MembershipState.OPERATIONAL && last instanceof OrfToken token
				&& Sequence.lt(this.confirmedAru, (int) token.aru())) {
			// a Corosync successor that already forwarded the original frees up to the aru of the copy and its
			// own last one before it sees the copy is one (totemsrp.c frees first): the aru this node may have
			// raised has not been lowered yet by the members after it, so the copy carries the confirmed one
			last = token.withAru(Sequence.unsigned(this.confirmedAru));
		}
		this.network.sendToken(this.tokenTarget, last);
	}

	private void joinTimeout() {
		if (this.state == MembershipState.GATHER || this.state == MembershipState.COMMIT) {
			joinMessageSend();
			schedule(SrpTimer.JOIN, this.timers.join());
		}
	}

	private void mergeDetectTimeout() {
		this.mergeDetectOutstanding = false;
		if (this.state == MembershipState.OPERATIONAL && this.myRingId.rep() == this.myId) {
			this.stats.increment(SrpCounter.MEMB_MERGE_DETECT_TX);
			this.network.multicast(new MembMergeDetect(this.myId, 0, this.myId, this.myRingId));
		}
	}

	private void consensusTimeoutExpired() {
		this.stats.increment(SrpCounter.CONSENSUS_TIMEOUTS);
		if (consensusAgreed()) {
			this.consensusList.clear();
			this.consensusList.add(this.myId);
			resetTokenTimeout();
		}
		else {
			List<Long> noConsensus = new ArrayList<>();
			for (Long node : this.myProcList) {
				if (!this.consensusList.contains(node)) {
					noConsensus.add(node);
				}
			}
			Members.merge(noConsensus, this.myFailedList);
			gatherEnter(GatherReason.CONSENSUS_TIMEOUT);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Membership: GATHER

	private void gatherEnter(GatherReason reason) {
		this.orfTokenDiscard = true;
		this.originatedOrfToken = false;
		Members.add(this.myId, this.myProcList);
		joinMessageSend();
		schedule(SrpTimer.JOIN, this.timers.join());
		schedule(SrpTimer.CONSENSUS, this.timers.consensus());
		this.scheduler.cancel(SrpTimer.TOKEN_RETRANSMIT);
		cancelTokenTimeout();
		cancelMergeDetectTimeout();
		this.consensusList.clear();
		this.consensusList.add(this.myId);
		this.stableWaiters.clear();
		logger.debug("entering GATHER state from {}({}).", reason.number, reason.description);
		this.state = MembershipState.GATHER;
		this.stats.increment(SrpCounter.GATHER_ENTERED);
		if (reason == GatherReason.CONSENSUS_TIMEOUT_EXPIRED) {
			this.stats.increment(SrpCounter.CONTINUOUS_GATHER);
		}
	}

	private void joinMessageSend() {
		MembJoin join = new MembJoin(this.myId, 0, this.myId, this.myProcList, this.myFailedList, this.myRingId.seq());
		sendJoin(join);
	}

	/**
	 * The leave goes out at once, even with {@code send_join}: the node stops next, which cancels the
	 * timer a deferred message waits on, and joins still waiting are older news than the leave.
	 */
	private void leaveMessageSend() {
		logger.debug("sending join/leave message");
		Members.add(this.myId, this.myFailedList);
		List<Long> active = new ArrayList<>(this.myProcList);
		active.remove(this.myId);
		this.deferredJoins.clear();
		this.stats.increment(SrpCounter.MEMB_JOIN_TX);
		this.network.multicast(new MembJoin(0, 0, this.myId, active, this.myFailedList, this.myRingId.seq()));
	}

	private void sendJoin(MembJoin join) {
		this.stats.increment(SrpCounter.MEMB_JOIN_TX);
		if (this.timers.sendJoin() == 0 || this.stopped) {
			this.network.multicast(join);
			return;
		}
		// Corosync sleeps up to send_join ms before sending; an event loop must not, so the join waits.
		// Its sleep also holds back every later join until after this one, so joins leave in order: a
		// join waits from the later of now and the previous join's departure
		DeferredJoin previous = this.deferredJoins.peekLast();
		long from = (previous != null) ? Math.max(this.now, previous.due()) : this.now;
		long delay = this.random.nextLong(this.timers.sendJoin() * NANOS_PER_MILLI);
		this.deferredJoins.addLast(new DeferredJoin(from + delay, join));
		scheduleDeferredJoins();
	}

	private void sendDeferredJoins() {
		while (!this.deferredJoins.isEmpty() && this.deferredJoins.peekFirst().due() <= this.now) {
			this.network.multicast(this.deferredJoins.pollFirst().join());
		}
		scheduleDeferredJoins();
	}

	private void scheduleDeferredJoins() {
		DeferredJoin next = this.deferredJoins.peekFirst();
		if (next != null) {
			this.scheduler.schedule(SrpTimer.SEND_JOIN, Math.max(0, next.due() - this.now));
		}
	}

	private void handleJoin(MembJoin join) {
		if (pauseFlush()) {
			return;
		}
		if (join.systemFrom() == this.myId && join.failedList().contains(this.myId)) {
			// no join of this node's own says it failed: forged or corrupt, and merging it would put this
			// node in its own failed list
			this.stats.increment(SrpCounter.RX_MSG_DROPPED);
			return;
		}
		if (Long.compareUnsigned(this.tokenRingIdSeq, join.ringSeq()) < 0) {
			this.tokenRingIdSeq = join.ringSeq();
		}
		switch (this.state) {
			case OPERATIONAL -> {
				if (!ignoreJoinUnderOperational(join)) {
					joinProcess(join);
				}
			}
			case GATHER -> joinProcess(join);
			case COMMIT -> {
				if (this.myNewMembList.contains(join.systemFrom())
						&& Long.compareUnsigned(join.ringSeq(), this.myRingId.seq()) >= 0) {
					joinProcess(join);
					gatherEnter(GatherReason.JOIN_DURING_COMMIT);
				}
			}
			case RECOVERY -> {
				if (this.myNewMembList.contains(join.systemFrom())
						&& Long.compareUnsigned(join.ringSeq(), this.myRingId.seq()) >= 0) {
					joinProcess(join);
					recoveryStateTokenLoss();
					gatherEnter(GatherReason.JOIN_DURING_RECOVERY);
				}
			}
		}
	}

	private boolean pauseFlush() {
		long paused = (this.now - this.pauseTimestamp) / NANOS_PER_MILLI;
		if (paused > this.timers.token() / 2) {
			logger.info("Process pause detected for {} ms, flushing membership messages.", paused);
			return this.network.discardReceived();
		}
		return false;
	}

	private boolean ignoreJoinUnderOperational(MembJoin join) {
		if (join.failedList().contains(this.myId)) {
			return true;
		}
		return this.myMembList.contains(join.systemFrom())
				&& Long.compareUnsigned(join.ringSeq(), this.myRingId.seq()) < 0;
	}

	private void joinProcess(MembJoin join) {
		List<Long> procList = join.procList();
		List<Long> failedList = join.failedList();
		long from = join.systemFrom();
		boolean gatherEntered = false;
		if (join.isLeave()) {
			logger.debug("Received LEAVE message from {}", failedList.isEmpty() ? 0 : failedList.get(failedList.size() - 1));
			if (!failedList.isEmpty()) {
				Members.add(failedList.get(failedList.size() - 1), this.myLeaveMembList);
			}
		}
		if (Members.equal(procList, this.myProcList) && Members.equal(failedList, this.myFailedList)) {
			if (!join.isLeave()) {
				Members.add(from, this.consensusList);
			}
			if (consensusAgreed() && this.failedToRecv) {
				// everyone agrees this node failed to receive: it forms a ring of its own and merges later
				this.failedToRecv = false;
				this.myProcList.clear();
				this.myProcList.add(this.myId);
				this.myFailedList.clear();
				commitTokenCreate();
				commitEnter();
				return;
			}
			if (consensusAgreed() && lowestInConfig()) {
				commitTokenCreate();
				commitEnter();
			}
		}
		else if (Members.subset(procList, this.myProcList) && Members.subset(failedList, this.myFailedList)) {
			// nothing new
		}
		else if (this.myFailedList.contains(from)) {
			// nothing from a node this one considers failed
		}
		else {
			int procBefore = this.myProcList.size();
			int failedBefore = this.myFailedList.size();
			Members.merge(procList, this.myProcList);
			if (failedList.contains(this.myId)) {
				Members.add(from, this.myFailedList);
			}
			else if (this.myMembList.contains(from)) {
				if (!this.myFailedList.contains(from)) {
					Members.merge(failedList, this.myFailedList);
				}
				else {
					List<Long> failMinusMemb = new ArrayList<>(failedList);
					failMinusMemb.removeAll(this.myMembList);
					Members.merge(failMinusMemb, this.myFailedList);
				}
			}
			// Corosync re-gathers here even when the join taught it nothing. Two nodes outside each other's
			// ring whose failed sets differ then bounce joins forever: each join makes the other re-send
			// and restart its consensus timer, so the timeout that would settle the difference never
			// fires. Re-gathering only on a real change leaves that to the consensus timeout.
			if (this.myProcList.size() != procBefore || this.myFailedList.size() != failedBefore
					|| this.state != MembershipState.GATHER) {
				gatherEnter(GatherReason.MERGE_DURING_JOIN);
				gatherEntered = true;
			}
		}
		if (!gatherEntered && this.state == MembershipState.OPERATIONAL) {
			gatherEnter(GatherReason.JOIN_DURING_OPERATIONAL);
		}
	}

	private boolean consensusAgreed() {
		for (Long node : this.myProcList) {
			if (!this.myFailedList.contains(node) && !this.consensusList.contains(node)) {
				return false;
			}
		}
		return true;
	}

	private boolean lowestInConfig() {
		long lowest = -1;
		for (Long node : this.myProcList) {
			if (!this.myFailedList.contains(node) && (lowest == -1 || Long.compareUnsigned(node, lowest) < 0)) {
				lowest = node;
			}
		}
		return lowest == this.myId;
	}

	private void handleMergeDetect(MembMergeDetect mergeDetect) {
		if (mergeDetect.ringId().equals(this.myRingId)) {
			return;
		}
		foreignNode(mergeDetect.systemFrom(), GatherReason.MERGE_DURING_OPERATIONAL, GatherReason.MERGE_DURING_GATHER);
	}

	private void foreignNode(long from, GatherReason inOperational, GatherReason inGather) {
		switch (this.state) {
			case OPERATIONAL -> {
				Members.add(from, this.myProcList);
				gatherEnter(inOperational);
			}
			case GATHER -> {
				if (!this.myProcList.contains(from)) {
					Members.add(from, this.myProcList);
					gatherEnter(inGather);
				}
			}
			case COMMIT, RECOVERY -> {
				// a ring is being installed; the foreign node will be found again afterwards
			}
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Membership: COMMIT

	private void commitTokenCreate() {
		logger.debug("Creating commit token because I am the rep.");
		List<Long> members = new ArrayList<>(this.myProcList);
		members.removeAll(this.myFailedList);
		members.sort(Long::compareUnsigned);
		MembEntry[] entries = new MembEntry[members.size()];
		Arrays.fill(entries, MembEntry.EMPTY);
		this.commitToken = new CommitToken(new RingId(this.myId, this.tokenRingIdSeq + 4), members, entries);
	}

	private void commitEnter() {
		CommitToken token = requireCommitToken();
		oldRingStateSave();
		commitTokenUpdate(token);
		this.tokenTarget = token.members.get(token.membIndex % token.members.size());
		this.scheduler.cancel(SrpTimer.JOIN);
		this.scheduler.cancel(SrpTimer.CONSENSUS);
		this.myRingId = token.ringId;
		try {
			this.ringIdStore.store(this.myId, this.myRingId.seq());
		}
		catch (IOException ex) {
			throw fatal("Couldn't store new ring id " + this.myRingId + " to stable storage: " + ex.getMessage(), ex);
		}
		this.tokenRingIdSeq = this.myRingId.seq();
		logger.debug("entering COMMIT state.");
		this.state = MembershipState.COMMIT;
		commitTokenSend(token);
		resetTokenTimeout();
		this.stats.increment(SrpCounter.COMMIT_ENTERED);
		this.stats.reset(SrpCounter.CONTINUOUS_GATHER);
		this.myTrc = 0;
		this.myPbl = 0;
		this.myCbl = 0;
	}

	private void commitTokenUpdate(CommitToken token) {
		this.myNewMembList.clear();
		this.myNewMembList.addAll(token.members);
		int index = token.membIndex;
		this.myReceivedFlg = this.myAru == this.myHighSeqReceived;
		MembEntry[] entries = token.entries;
		entries[index] = new MembEntry(this.myOldRingId, Sequence.unsigned(this.oldRingStateAru),
				Sequence.unsigned(this.myHighDelivered), this.myReceivedFlg ? 1 : 0);
		int highAru = this.oldRingStateAru;
		for (int i = 0; i <= index; i++) {
			if (entries[i].ringId().equals(entries[index].ringId()) && Sequence.lt(highAru, (int) entries[i].aru())) {
				highAru = (int) entries[i].aru();
			}
		}
		for (int i = 0; i <= index; i++) {
			if (entries[i].ringId().equals(entries[index].ringId()) && Sequence.lt((int) entries[i].aru(), highAru)) {
				entries[i] = new MembEntry(entries[i].ringId(), entries[i].aru(), entries[i].highDelivered(), 0);
				if (i == index) {
					this.myReceivedFlg = false;
				}
			}
		}
		token.membIndex = index + 1;
	}

	private void commitTokenSend(CommitToken token) {
		token.tokenSeq++;
		MembCommitToken message = token.toMessage(this.myId, this.tokenTarget);
		this.lastTokenSent = message;
		this.stats.increment(SrpCounter.MEMB_COMMIT_TOKEN_TX);
		this.network.sendToken(this.tokenTarget, message);
		resetTokenRetransmitTimeout();
	}

	private void handleCommitToken(MembCommitToken received) {
		switch (this.state) {
			case OPERATIONAL -> {
				// a commit token for a ring this node is not gathering for
			}
			case GATHER -> {
				List<Long> expected = new ArrayList<>(this.myProcList);
				expected.removeAll(this.myFailedList);
				// the token comes to this node's place in its list: anything else is forged or corrupt
				boolean mine = received.membIndex() < received.addr().size()
						&& received.addr().get(received.membIndex()) == this.myId;
				if (!mine) {
					this.stats.increment(SrpCounter.RX_MSG_DROPPED);
				}
				else if (Members.equal(received.addr(), expected)
						&& Long.compareUnsigned(received.ringId().seq(), this.myRingId.seq()) > 0) {
					this.commitToken = CommitToken.of(received);
					commitEnter();
				}
			}
			case COMMIT -> {
				if (received.ringId().seq() == this.myRingId.seq() && received.membIndex() == received.addr().size()) {
					recoveryEnter(CommitToken.of(received));
				}
			}
			case RECOVERY -> {
				if (this.myId == this.myRingId.rep() && !this.originatedOrfToken) {
					this.originatedOrfToken = true;
					logger.debug("Sending initial ORF token");
					orfTokenSendInitial();
					resetTokenTimeout();
					resetTokenRetransmitTimeout();
				}
			}
		}
	}

	private CommitToken requireCommitToken() {
		CommitToken token = this.commitToken;
		if (token == null) {
			throw new IllegalStateException("no commit token");
		}
		return token;
	}

	// ---------------------------------------------------------------------------------------------
	// Membership: RECOVERY

	private void recoveryEnter(CommitToken token) {
		logger.debug("entering RECOVERY state.");
		this.orfTokenDiscard = false;
		this.myHighRingDelivered = 0;
		this.recoverySortQueue.reinit(this.sequenceStart);
		this.retransMessageQueue.clear();
		int lowRingAru = this.oldRingStateHighSeqReceived;
		commitTokenSend(token);
		this.myTokenSeq = this.sequenceStart - 1;

		// transitional membership: members of my old ring that come from my old ring
		this.myTransMembList.clear();
		for (Long node : this.myMembList) {
			int index = this.myNewMembList.indexOf(node);
			if (index >= 0 && token.entries[index].ringId().equals(this.myOldRingId)) {
				this.myTransMembList.add(node);
			}
		}
		if (logger.isDebugEnabled()) {
			logger.debug("TRANS members {}", this.myTransMembList);
			for (int i = 0; i < token.members.size(); i++) {
				MembEntry entry = token.entries[i];
				logger.debug("position [{}] member {}: previous ring {}, aru {} high delivered {} received flag {}", i,
						token.members.get(i), entry.ringId(), Long.toHexString(entry.aru()),
						Long.toHexString(entry.highDelivered()), entry.receivedFlg());
			}
		}
		boolean localReceivedFlg = true;
		for (int i = 0; i < token.members.size(); i++) {
			if (this.myTransMembList.contains(this.myNewMembList.get(i)) && token.entries[i].receivedFlg() == 0) {
				this.myDeliverMembList.clear();
				this.myDeliverMembList.addAll(this.myTransMembList);
				localReceivedFlg = false;
				break;
			}
		}
		int range = 0;
		if (!localReceivedFlg) {
			for (int i = 0; i < token.members.size(); i++) {
				MembEntry entry = token.entries[i];
				if (this.myDeliverMembList.contains(this.myNewMembList.get(i)) && entry.ringId().equals(this.myOldRingId)) {
					if (Sequence.lt((int) entry.aru(), lowRingAru)) {
						lowRingAru = (int) entry.aru();
					}
					if (Sequence.lt(this.myHighRingDelivered, (int) entry.highDelivered())) {
						this.myHighRingDelivered = (int) entry.highDelivered();
					}
				}
			}
			range = this.oldRingStateHighSeqReceived - lowRingAru;
			check(Integer.compareUnsigned(range, SortQueue.SIZE) < 0, "old ring range too large");
		}
		// an empty range is logged as Corosync logs it, so the two traces read alike
		if (range != 0) {
			logger.debug("copying all old ring messages from {}-{}.", hex(lowRingAru + 1),
					hex(this.oldRingStateHighSeqReceived));
			int originated = 0;
			for (int i = 1; i <= range; i++) {
				Mcast old = this.regularSortQueue.get(lowRingAru + i);
				if (old == null) {
					continue;
				}
				originated++;
				this.retransMessageQueue.add(new Pending(Mcast.ENCAPSULATED, TotemCodec.encode(old)));
			}
			logger.debug("Originated {} messages in RECOVERY.", originated);
		}
		else {
			logger.debug("Did not need to originate any messages in recovery.");
		}
		this.myAru = this.sequenceStart;
		this.myAruCount = 0;
		this.mySeqUnchanged = 0;
		this.myHighSeqReceived = this.sequenceStart;
		this.myInstallSeq = this.sequenceStart;
		this.lastReleased = this.sequenceStart;
		// Corosync keeps these from an earlier RECOVERY that fell back to GATHER; a node then installs
		// the new ring on its first token, before it has the recovery messages, and frees them
		// unreceived (found by the simulation, LARGE seed 706). Each recovery counts afresh.
		this.myRetransFlgCount = 0;
		this.myRotationCounter = 0;
		this.mySetRetransFlg = false;
		resetTokenTimeout();
		resetTokenRetransmitTimeout();
		this.state = MembershipState.RECOVERY;
		this.stats.increment(SrpCounter.RECOVERY_ENTERED);
		this.stats.reset(SrpCounter.CONTINUOUS_GATHER);
	}

	private void oldRingStateSave() {
		if (!this.oldRingStateSaved) {
			this.oldRingStateSaved = true;
			this.myOldRingId = this.myRingId;
			this.oldRingStateAru = this.myAru;
			this.oldRingStateHighSeqReceived = this.myHighSeqReceived;
			logger.debug("Saving state aru {} high seq received {}", hex(this.myAru), hex(this.myHighSeqReceived));
		}
	}

	private void oldRingStateRestore() {
		this.myAru = this.oldRingStateAru;
		this.myHighSeqReceived = this.oldRingStateHighSeqReceived;
		logger.debug("Restoring my aru {} my high seq received {}", hex(this.myAru), hex(this.myHighSeqReceived));
	}

	private void orfTokenSendInitial() {
		this.mySetRetransFlg = !this.retransMessageQueue.isEmpty();
		this.stats.increment(SrpCounter.ORF_TOKEN_TX);
		MutableToken token = new MutableToken();
		token.seq = this.sequenceStart;
		token.tokenSeq = this.sequenceStart;
		token.retransFlg = this.mySetRetransFlg ? 1 : 0;
		token.aru = this.sequenceStart - 1;
		token.aruAddr = this.myId;
		token.ringId = this.myRingId;
		tokenSend(token, true);
	}

	// ---------------------------------------------------------------------------------------------
	// OPERATIONAL entry: extended virtual synchrony

	private void operationalEnter() {
		this.originatedOrfToken = false;
		this.consensusList.clear();
		this.oldRingStateSaved = false;
		deliverMessagesFromRecoveryToRegular();

		int aruSave = this.myAru;
		this.myAru = this.oldRingStateAru;
		logger.debug("Delivering to app {} to {}", hex(this.myHighDelivered + 1), hex(this.oldRingStateHighSeqReceived));
		messagesDeliverToApp(false, this.oldRingStateHighSeqReceived);

		this.myLeftMembList.clear();
		this.myLeftMembList.addAll(this.myMembList);
		this.myLeftMembList.removeAll(this.myTransMembList);
		List<Long> joined = new ArrayList<>(this.myNewMembList);
		joined.removeAll(this.myTransMembList);

		this.myMembList.clear();
		this.myMembList.addAll(this.myNewMembList);
		this.lastReleased = 0;
		this.mySetRetransFlg = false;

		this.listener.configurationChange(new ConfigurationChange(ConfigurationType.TRANSITIONAL,
				this.myTransMembList, this.myLeftMembList, List.of(), this.myRingId));
		this.waitingTransAck = true;
		if (logger.isDebugEnabled()) {
			logger.debug("transitional delivery from {} to {}, senders {}", hex(this.myHighDelivered + 1),
					hex(this.oldRingStateHighSeqReceived), this.myDeliverMembList);
		}
		messagesDeliverToApp(true, this.oldRingStateHighSeqReceived);
		this.listener.waitingTransAck(true);
		this.myAru = aruSave;

		this.listener.configurationChange(new ConfigurationChange(ConfigurationType.REGULAR, this.myNewMembList,
				List.of(), joined, this.myRingId));

		this.regularSortQueue.copyFrom(this.recoverySortQueue);
		this.myLastAru = this.sequenceStart;
		this.myProcList.clear();
		this.myProcList.addAll(this.myNewMembList);
		this.myFailedList.clear();

		// the recovery phase used new-ring sequence numbers; they count as delivered
		int i = this.myHighSeqReceived + 1;
		do {
			i -= 1;
		}
		while (this.regularSortQueue.get(i) == null && i != this.sequenceStart);
		this.myHighDelivered = i;
		this.regularSortQueue.release(this.myHighDelivered);
		this.lastReleased = this.myHighDelivered;

		logMembership(joined);
		this.myLeaveMembList.clear();
		logger.debug("entering OPERATIONAL state.");
		this.state = MembershipState.OPERATIONAL;
		this.stats.increment(SrpCounter.OPERATIONAL_ENTERED);
		this.stats.reset(SrpCounter.CONTINUOUS_GATHER);
		this.myReceivedFlg = true;
		pauseTimeout();
		this.myOldRingId = this.myRingId;
	}

	private void logMembership(List<Long> joined) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		StringBuilder line = new StringBuilder("A new membership (").append(this.myRingId).append(") was formed. Members");
		if (!joined.isEmpty()) {
			line.append(" joined:");
			joined.forEach((node) -> line.append(' ').append(node));
		}
		StringBuilder failed = new StringBuilder();
		if (!this.myLeftMembList.isEmpty()) {
			line.append(" left:");
			this.myLeftMembList.forEach((node) -> line.append(' ').append(node));
			for (Long node : this.myLeftMembList) {
				if (!this.myLeaveMembList.contains(node)) {
					failed.append((failed.length() == 0) ? " failed:" : "").append(' ').append(node);
				}
			}
		}
		logger.info(line.toString());
		if (failed.length() > 0) {
			logger.info("Failed to receive the leave message.{}", failed);
		}
	}

	private void deliverMessagesFromRecoveryToRegular() {
		int range = this.myAru - this.sequenceStart;
		int added = 0;
		int present = 0;
		for (int i = 1; Integer.compareUnsigned(i, range) <= 0; i++) {
			Mcast recovered = this.recoverySortQueue.get(i + this.sequenceStart);
			if (recovered == null || !recovered.isEncapsulated()) {
				continue;
			}
			Mcast inner = recovered.inner();
			if (this.myOldRingId.equals(inner.ringId())) {
				int seq = (int) inner.seq();
				if (this.regularSortQueue.inRange(seq) && !this.regularSortQueue.inUse(seq)) {
					this.regularSortQueue.add(inner, seq);
					added++;
					if (Sequence.lt(this.oldRingStateHighSeqReceived, seq)) {
						this.oldRingStateHighSeqReceived = seq;
					}
				}
				else {
					present++;
				}
			}
		}
		logger.debug("recovery to regular: {} of {} recovery messages added, {} held already or out of range, old ring high {}", added,
				Integer.toUnsignedString(range), present, hex(this.oldRingStateHighSeqReceived));
	}

	private void messagesDeliverToApp(boolean skip, int endPoint) {
		int range = endPoint - this.myHighDelivered;
		check(Integer.compareUnsigned(range, SortQueue.SIZE) < 0, "delivery range too large");
		int stored = this.myHighDelivered;
		int holes = 0;
		int skipped = 0;
		for (int i = 1; i <= range; i++) {
			int seq = stored + i;
			if (!this.regularSortQueue.inRange(seq)) {
				break;
			}
			Mcast mcast = this.regularSortQueue.get(seq);
			if (mcast == null && !skip) {
				break;
			}
			this.myHighDelivered = seq;
			if (mcast == null) {
				holes++;
				continue;
			}
			if (skip && !this.myDeliverMembList.contains(mcast.systemFrom())) {
				skipped++;
				continue;
			}
			this.listener.deliver(mcast.nodeid(), mcast.payload(), mcast.bigEndian());
		}
		if (skip && (holes > 0 || skipped > 0)) {
			logger.debug("transitional delivery passed {} holes and {} messages of senders not delivered", holes,
					skipped);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// MCAST, merge detect, hold cancel

	private void handleMcast(Mcast mcast) {
		SortQueue<Mcast> sortQueue = mcast.isEncapsulated() ? this.recoverySortQueue : this.regularSortQueue;
		if (!mcast.ringId().equals(this.myRingId)) {
			if (this.state == MembershipState.COMMIT || this.state == MembershipState.RECOVERY) {
				this.stats.increment(SrpCounter.RX_MSG_DROPPED);
				return;
			}
			foreignNode(mcast.systemFrom(), GatherReason.FOREIGN_MESSAGE_IN_OPERATIONAL,
					GatherReason.FOREIGN_MESSAGE_IN_GATHER);
			return;
		}
		if (!mcast.isEncapsulated() && this.oldRingStateSaved) {
			// A new-ring message before this node installed the ring: only a Corosync daemon that installed
			// early sends one (3.1.7 keeps its retransmit-flag count from an aborted recovery). Corosync
			// files it in the regular queue, which still holds the old ring, where it takes the place of
			// the old-ring message of that number still to be recovered and is delivered in its stead.
			// Once this node installs the ring, the message is above its aru and is sent again.
			this.stats.increment(SrpCounter.RX_MSG_DROPPED);
			logger.debug("Dropped {}'s message {} of ring {}, which this node has not installed yet",
					mcast.nodeid(), hex((int) mcast.seq()), this.myRingId);
			return;
		}
		int seq = (int) mcast.seq();
		if (sortQueue.inRange(seq) && !sortQueue.inUse(seq)) {
			if (Sequence.lt(this.myHighSeqReceived, seq)) {
				this.myHighSeqReceived = seq;
			}
			sortQueue.add(mcast, seq);
		}
		updateAru();
		if (this.state == MembershipState.OPERATIONAL) {
			messagesDeliverToApp(false, this.myHighSeqReceived);
		}
	}

	private void handleTokenHoldCancel(TokenHoldCancel cancel) {
		if (cancel.ringId().equals(this.myRingId)) {
			this.mySeqUnchanged = 0;
			if (this.myRingId.rep() == this.myId) {
				tokenRetransmitTimeout();
			}
		}
	}

	private void tokenHoldCancelSend() {
		if (!this.myTokenHeld) {
			return;
		}
		this.myTokenHeld = false;
		this.stats.increment(SrpCounter.TOKEN_HOLD_CANCEL_TX);
		this.network.multicast(new TokenHoldCancel(this.myId, 0, this.myRingId));
	}

	private void updateAru() {
		SortQueue<Mcast> sortQueue = (this.state == MembershipState.RECOVERY) ? this.recoverySortQueue
				: this.regularSortQueue;
		int range = this.myHighSeqReceived - this.myAru;
		int saved = this.myAru;
		int i = 1;
		for (; Integer.compareUnsigned(i, range) <= 0; i++) {
			if (sortQueue.get(saved + i) == null) {
				break;
			}
		}
		this.myAru += i - 1;
	}

	// ---------------------------------------------------------------------------------------------
	// The ORF token

	private void handleOrfToken(OrfToken received) {
		if (this.orfTokenDiscard) {
			return;
		}
		MutableToken token = MutableToken.of(received);
		if (token.seq == this.myLastSeq) {
			startMergeDetectTimeout();
			this.mySeqUnchanged++;
		}
		else {
			cancelMergeDetectTimeout();
			this.scheduler.cancel(SrpTimer.TOKEN_HOLD);
			this.mySeqUnchanged = 0;
		}
		this.myLastSeq = token.seq;

		boolean rep = this.myRingId.rep() == this.myId;
		long unchangedConst = this.timers.seqnoUnchangedConst();
		this.myTokenHeld = rep ? this.mySeqUnchanged > unchangedConst : this.mySeqUnchanged >= unchangedConst;
		boolean forwardToken = !(rep && this.myTokenHeld);

		if (this.state == MembershipState.COMMIT) {
			heartbeatAfterToken(forwardToken);
			return;
		}
		if (!token.ringId.equals(this.myRingId)) {
			heartbeatAfterToken(forwardToken);
			return;
		}
		if (Sequence.lte(token.tokenSeq, this.myTokenSeq)) {
			// a retransmitted copy of a token this node already handled
			return;
		}
		if (this.state == MembershipState.OPERATIONAL) {
			// Corosync frees before the two checks above. A retransmitted copy then carries the aru
			// its sender set before the rest of the ring lowered it, and messages a successor never
			// received are freed here and cannot be re-sent in recovery: found by the simulation
			// (MIXED seed 381), where a survivor missed five messages its transitional peer delivered.
			messagesFree(token.aru);
		}
		this.lastTokenReceived = this.now;
		this.stats.tokenReceived(this.now / NANOS_PER_MILLI);
		this.listener.tokenReceived();

		int lastAru = this.myLastAru;
		this.myLastAru = token.aru;
		this.confirmedAru = Sequence.lt(token.aru, lastAru) ? token.aru : lastAru;
		while (!this.stableWaiters.isEmpty() && !Sequence.lt(this.confirmedAru, this.stableWaiters.peek().seq())) {
			this.stableWaiters.poll().callback().run();
		}
		int transmitsAllowed = fccCalculate(token);
		int mcastedRetransmit = orfTokenRtr(token, transmitsAllowed);
		transmitsAllowed -= mcastedRetransmit;
		if (this.settings.cancelTokenHoldOnRetransmit() && this.myTokenHeld
				&& (!token.rtr.isEmpty() || mcastedRetransmit > 0)) {
			this.myTokenHeld = false;
			forwardToken = true;
		}
		transmitsAllowed = fccRtrLimit(token, transmitsAllowed);
		int mcastedRegular = orfTokenMcast(token, transmitsAllowed);
		fccTokenUpdate(token, mcastedRetransmit + mcastedRegular);

		if (Sequence.lt(this.myAru, token.aru) || this.myId == token.aruAddr || token.aruAddr == 0) {
			token.aru = this.myAru;
			token.aruAddr = (token.aru == token.seq) ? 0 : this.myId;
		}
		if (token.aru == lastAru && token.aruAddr != 0) {
			this.myAruCount++;
		}
		else {
			this.myAruCount = 0;
		}

		// Corosync departs from the paper here: the node that keeps holding the aru back marks itself failed
		if (this.myAruCount > this.timers.failRecvConst() && token.aruAddr == this.myId) {
			logger.error("FAILED TO RECEIVE");
			this.failedToRecv = true;
			Members.add(this.myId, this.myFailedList);
			gatherEnter(GatherReason.FAILED_TO_RECEIVE);
		}
		else {
			this.myTokenSeq = token.tokenSeq;
			token.tokenSeq++;
			if (this.state == MembershipState.RECOVERY) {
				recoveryTokenRules(token);
			}
			tokenSend(token, forwardToken);
			if (this.state == MembershipState.OPERATIONAL) {
				messagesDeliverToApp(false, this.myHighSeqReceived);
			}
			resetTokenTimeout();
			resetTokenRetransmitTimeout();
			if (rep && this.myTokenHeld) {
				schedule(SrpTimer.TOKEN_HOLD, this.timers.hold());
			}
			this.stats.tokenSent(this.now / NANOS_PER_MILLI);
		}
		heartbeatAfterToken(forwardToken);
	}

	private void heartbeatAfterToken(boolean forwardToken) {
		if (forwardToken && this.useHeartbeat) {
			resetHeartbeatTimeout();
		}
		else {
			this.scheduler.cancel(SrpTimer.HEARTBEAT);
		}
	}

	private void recoveryTokenRules(MutableToken token) {
		if (!this.retransMessageQueue.isEmpty()) {
			if (token.retransFlg == 0) {
				token.retransFlg = 1;
				this.mySetRetransFlg = true;
			}
		}
		else if (token.retransFlg == 1 && this.mySetRetransFlg) {
			token.retransFlg = 0;
			this.mySetRetransFlg = false;
		}
		if (token.retransFlg == 0) {
			this.myRetransFlgCount++;
		}
		else {
			this.myRetransFlgCount = 0;
		}
		if (this.myRetransFlgCount == 2) {
			this.myInstallSeq = token.seq;
		}
		if (this.myRetransFlgCount >= 2 && !this.myReceivedFlg && Sequence.lte(this.myInstallSeq, this.myAru)) {
			this.myReceivedFlg = true;
			this.myDeliverMembList.clear();
			this.myDeliverMembList.addAll(this.myTransMembList);
		}
		if (this.myRetransFlgCount >= 3 && Sequence.lte(this.myInstallSeq, token.aru)) {
			this.myRotationCounter++;
		}
		else {
			this.myRotationCounter = 0;
		}
		if (this.myRotationCounter == 2) {
			logger.debug("retrans flag count {} token aru {} install seq {} aru {} {}", this.myRetransFlgCount,
					Integer.toUnsignedString(token.aru, 16), Integer.toUnsignedString(this.myInstallSeq, 16),
					Integer.toUnsignedString(this.myAru, 16), Integer.toUnsignedString(token.seq, 16));
			operationalEnter();
			this.myRotationCounter = 0;
			this.myRetransFlgCount = 0;
		}
	}

	private void tokenSend(MutableToken token, boolean forward) {
		OrfToken message = token.toMessage(this.myId, this.tokenTarget);
		this.lastTokenSent = message;
		if (forward) {
			this.network.sendToken(this.tokenTarget, message);
		}
	}

	private void messagesFree(int tokenAru) {
		int releaseTo = tokenAru;
		if (Sequence.lt(this.myLastAru, releaseTo)) {
			releaseTo = this.myLastAru;
		}
		if (Sequence.lt(this.myHighDelivered, releaseTo)) {
			releaseTo = this.myHighDelivered;
		}
		if (Sequence.lt(releaseTo, this.lastReleased)) {
			return;
		}
		int range = releaseTo - this.lastReleased;
		check(Integer.compareUnsigned(range, SortQueue.SIZE) < 0, "release range too large");
		if (range != 0) {
			this.regularSortQueue.release(releaseTo);
			this.lastReleased = releaseTo;
		}
	}

	private int backlog() {
		int backlog = 0;
		if (this.state == MembershipState.OPERATIONAL) {
			backlog = (this.waitingTransAck ? this.newMessageQueueTrans : this.newMessageQueue).size();
		}
		else if (this.state == MembershipState.RECOVERY) {
			backlog = this.retransMessageQueue.size();
		}
		this.stats.backlogCalculated(backlog);
		return backlog;
	}

	/** {@code fcc_calculate}, in Corosync's unsigned arithmetic. */
	private int fccCalculate(MutableToken token) {
		int window = (int) this.timers.windowSize();
		int allowed = (int) this.timers.maxMessages();
		if (Integer.compareUnsigned(allowed, window - token.fcc) > 0) {
			allowed = window - token.fcc;
		}
		this.myCbl = backlog();
		int divisor = token.backlog + this.myCbl - this.myPbl;
		if (divisor != 0) {
			int backlogCalc = Integer.divideUnsigned(window * this.myPbl, divisor);
			if (backlogCalc != 0 && Integer.compareUnsigned(allowed, backlogCalc) > 0) {
				allowed = backlogCalc;
			}
		}
		return allowed;
	}

	/** {@code fcc_rtr_limit}: never send past what the 16384-slot sort queue can hold. */
	private int fccRtrLimit(MutableToken token, int allowed) {
		int window = (int) this.timers.windowSize();
		if (Sequence.lt(this.lastReleased + SortQueue.SIZE - allowed - window, token.seq)) {
			return 0;
		}
		return allowed;
	}

	private void fccTokenUpdate(MutableToken token, int transmitted) {
		token.fcc += transmitted - this.myTrc;
		token.backlog += this.myCbl - this.myPbl;
		this.myTrc = transmitted;
		this.myPbl = this.myCbl;
	}

	/** Answers the token's retransmission requests and adds this node's own gaps ({@code orf_token_rtr}). */
	private int orfTokenRtr(MutableToken token, int allowed) {
		SortQueue<Mcast> sortQueue = (this.state == MembershipState.RECOVERY) ? this.recoverySortQueue
				: this.regularSortQueue;
		List<RtrItem> rtr = token.rtr;
		if (!rtr.isEmpty() && logger.isDebugEnabled()) {
			StringBuilder list = new StringBuilder("Retransmit List: ");
			rtr.forEach((item) -> list.append(Long.toHexString(item.seq())).append(' '));
			logger.debug(list.toString());
		}
		int remcast = 0;
		for (int i = 0; Integer.compareUnsigned(remcast, allowed) < 0 && i < rtr.size();) {
			RtrItem item = rtr.get(i);
			if (!item.ringId().equals(this.myRingId)) {
				i++;
				continue;
			}
			Mcast stored = sortQueue.get((int) item.seq());
			if (stored != null) {
				this.network.multicastToPeers(stored);
				rtr.remove(i);
				this.stats.increment(SrpCounter.MCAST_RETX);
				remcast++;
			}
			else {
				i++;
			}
		}
		int range = token.seq - this.myAru;
		check(Integer.compareUnsigned(range, SortQueue.SIZE) < 0, "retransmit range too large");
		for (int i = 1; rtr.size() < RTR_ENTRIES_MAX && i <= range; i++) {
			int seq = this.myAru + i;
			if (!sortQueue.inRange(seq)) {
				break;
			}
			if (!sortQueue.inUse(seq)) {
				if (sortQueue.missed(seq) < this.timers.missCountConst()) {
					continue;
				}
				boolean found = false;
				for (RtrItem item : rtr) {
					if (item.seq() == Sequence.unsigned(seq)) {
						found = true;
						break;
					}
				}
				if (!found) {
					rtr.add(new RtrItem(this.myRingId, Sequence.unsigned(seq)));
				}
			}
		}
		return remcast;
	}

	/** Multicasts queued messages, each with the next sequence number of the ring ({@code orf_token_mcast}). */
	private int orfTokenMcast(MutableToken token, int allowed) {
		ArrayDeque<Pending> queue;
		SortQueue<Mcast> sortQueue;
		if (this.state == MembershipState.RECOVERY) {
			queue = this.retransMessageQueue;
			sortQueue = this.recoverySortQueue;
			resetTokenRetransmitTimeout();
		}
		else {
			queue = this.waitingTransAck ? this.newMessageQueueTrans : this.newMessageQueue;
			sortQueue = this.regularSortQueue;
		}
		int sent = 0;
		for (; Integer.compareUnsigned(sent, allowed) < 0; sent++) {
			Pending pending = queue.poll();
			if (pending == null) {
				break;
			}
			token.seq++;
			Mcast mcast = new Mcast(this.myId, 0, pending.encapsulation(), this.myId, Sequence.unsigned(token.seq),
					Sequence.unsigned(this.globalSeqno++), this.myRingId, 0, 0, pending.payload());
			sortQueue.add(mcast, token.seq);
			this.network.multicastToPeers(mcast);
			this.myHighSeqReceived = token.seq;
		}
		updateAru();
		return sent;
	}

	// ---------------------------------------------------------------------------------------------

	private static void check(boolean condition, String what) {
		if (!condition) {
			throw new IllegalStateException("Totem SRP invariant broken: " + what);
		}
	}

	private TotemFatalException fatal(String message, IOException cause) {
		logger.error(message);
		stop();
		return new TotemFatalException(message, cause);
	}

	/** A message waiting for the token. */
	private record StableWaiter(int seq, Runnable callback) {
	}

	private record Pending(int encapsulation, byte[] payload) {
	}

	private record DeferredJoin(long due, MembJoin join) {
	}

	/** Why GATHER was entered ({@code enum gather_state_from}, numbered as Corosync logs it). */
	private enum GatherReason {

		CONSENSUS_TIMEOUT(0, "consensus timeout"),
		TOKEN_LOST_IN_OPERATIONAL(1, "The token was lost in the OPERATIONAL state."),
		CONSENSUS_TIMEOUT_EXPIRED(2, "The consensus timeout expired."),
		TOKEN_LOST_IN_COMMIT(3, "The token was lost in the COMMIT state."),
		TOKEN_LOST_IN_RECOVERY(4, "The token was lost in the RECOVERY state."),
		FAILED_TO_RECEIVE(5, "failed to receive"),
		FOREIGN_MESSAGE_IN_OPERATIONAL(6, "foreign message in operational state"),
		FOREIGN_MESSAGE_IN_GATHER(7, "foreign message in gather state"),
		MERGE_DURING_OPERATIONAL(8, "merge during operational state"),
		MERGE_DURING_GATHER(9, "merge during gather state"),
		MERGE_DURING_JOIN(10, "merge during join"),
		JOIN_DURING_OPERATIONAL(11, "join during operational state"),
		JOIN_DURING_COMMIT(12, "join during commit state"),
		JOIN_DURING_RECOVERY(13, "join during recovery"),
		INTERFACE_CHANGE(14, "interface change");

		private final int number;

		private final String description;

		GatherReason(int number, String description) {
			this.number = number;
			this.description = description;
		}

	}

	/** The commit token this node is passing on, with its member entries filled in so far. */
	private static final class CommitToken {

		final RingId ringId;

		final List<Long> members;

		final MembEntry[] entries;

		int membIndex;

		int tokenSeq;

		CommitToken(RingId ringId, List<Long> members, MembEntry[] entries) {
			this.ringId = ringId;
			this.members = List.copyOf(members);
			this.entries = entries;
		}

		static CommitToken of(MembCommitToken message) {
			CommitToken token = new CommitToken(message.ringId(), message.addr(),
					message.membList().toArray(new MembEntry[0]));
			token.membIndex = message.membIndex();
			token.tokenSeq = (int) message.tokenSeq();
			return token;
		}

		MembCommitToken toMessage(long sender, long target) {
			return new MembCommitToken(sender, target, Sequence.unsigned(this.tokenSeq), this.ringId, 0, this.membIndex,
					this.members, List.of(this.entries));
		}

	}

	/** The ORF token while this node holds it. */
	private static final class MutableToken {

		int seq;

		int tokenSeq;

		int aru;

		long aruAddr;

		RingId ringId = new RingId(0, 0);

		int backlog;

		int fcc;

		int retransFlg;

		final List<RtrItem> rtr = new ArrayList<>(RTR_ENTRIES_MAX);

		static MutableToken of(OrfToken message) {
			MutableToken token = new MutableToken();
			token.seq = (int) message.seq();
			token.tokenSeq = (int) message.tokenSeq();
			token.aru = (int) message.aru();
			token.aruAddr = message.aruAddr();
			token.ringId = message.ringId();
			token.backlog = (int) message.backlog();
			token.fcc = (int) message.fcc();
			token.retransFlg = message.retransFlg();
			token.rtr.addAll(message.rtrList());
			return token;
		}

		OrfToken toMessage(long sender, long target) {
			return new OrfToken(sender, target, Sequence.unsigned(this.seq), Sequence.unsigned(this.tokenSeq),
					Sequence.unsigned(this.aru), this.aruAddr, this.ringId, Sequence.unsigned(this.backlog),
					Sequence.unsigned(this.fcc), this.retransFlg, this.rtr);
		}

	}

	/** A sequence number as Corosync's logs print it. */
	private static String hex(int seq) {
		return Integer.toHexString(seq);
	}

}
