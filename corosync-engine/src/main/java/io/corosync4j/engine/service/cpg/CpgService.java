package io.corosync4j.engine.service.cpg;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.corosync4j.engine.service.ServiceContext;
import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.ServiceHeader;
import io.corosync4j.engine.sync.SyncService;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPG service engine and its Java API. The group state (every process of every group, sorted by node
 * id then pid) and the local handles live on the node's event loop, as in {@code exec/cpg.c};
 * {@link CpgHandle#mcast} puts messages into a bounded queue from any thread, which the loop drains
 * into Totem while no synchronization runs.
 */
public final class CpgService implements ServiceEngine, SyncService {

	private static final Logger logger = LoggerFactory.getLogger(CpgService.class);

	/** {@code cpg_max_atomic_msgsize_get}: larger messages travel in pieces of this size. */
	public static final int MAX_ATOMIC_SIZE = 1024 * 1024 - 1024;

	/** Where PROCJOIN, PROCLEAVE, MCAST and PARTIAL_MCAST carry their group's name, after the service header. */
	private static final int GROUP_AT = 16;

	/** The ring a change names when none has been synchronized yet (tests that drive the service alone). */
	private static final RingId BEFORE_ANY_RING = new RingId(0, 0);

	/** The largest message a partial multicast may announce (receivers refuse larger ones). */
	static final int MAX_PARTIAL_MESSAGE = 256 * 1024 * 1024;

	/** Default bound of the send queue, in bytes of message data. */
	public static final long DEFAULT_QUEUE_CAPACITY = 16 * 1024 * 1024;

	private enum HandleState {

		UNJOINED, JOIN_STARTED, JOIN_COMPLETED, LEAVE_STARTED

	}

	private enum SyncStep {

		DOWNLIST, JOINLIST

	}

	/** A process in a group, as every node knows it. */
	private record ProcessInfo(CpgName group, long nodeid, long pid) {
	}

	/** One entry of a joinlist received during synchronization. */
	private record JoinlistEntry(long sender, long pid, CpgName group) {
	}

	/**
	 * Something to multicast: the buffers of one service message and the bytes it counts against the queue;
	 * for a PROCJOIN, the handle that joins, registered on the loop before its join leaves.
	 */
	/** A sender waiting for room in the send queue ({@link #whenRoom}). */
	private record RoomWaiter(long bytes, Runnable task) {
	}

	private record Outgoing(byte[][] pieces, long bytes, @Nullable Handle joining) {

		Outgoing(byte[][] pieces, long bytes) {
			this(pieces, bytes, null);
		}

	}

	private final long queueCapacity;

	private final AtomicLong nextPid;

	// on the event loop

	private @Nullable ServiceContext context;

	private final List<ProcessInfo> processes = new ArrayList<>();

	private final List<Handle> handles = new ArrayList<>();

	private final List<JoinlistEntry> joinlist = new ArrayList<>();

	private List<Long> memberList = List.of();

	private List<Long> oldMemberList = List.of();

	private List<Long> downList = List.of();

	/** The nodes Corosync reports down this round: old members not in the latest transitional list. */
	private List<Long> corosyncDownList = List.of();

	/** Joinlist entries delivered after the last round ended, which Corosync applies to this round. */
	private List<JoinlistEntry> carriedJoinlist = List.of();

	private @Nullable RingId lastSyncRingId;

	private SyncStep syncStep = SyncStep.DOWNLIST;

	/** Counters written on the loop only, read from anywhere. */
	private volatile long droppedUnknownNode;

	private volatile long malformed;

	// the send queue, shared with callers

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition space = this.lock.newCondition();

	private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();

	private long queuedBytes;

	private final List<RoomWaiter> roomWaiters = new ArrayList<>();

	/** A drain is queued on the loop and has not started: later sends need not queue another. */
	private final AtomicBoolean drainPending = new AtomicBoolean();

	private final Runnable pendingDrain = () -> {
		this.drainPending.set(false);
		drain();
	};

	public CpgService() {
		this(DEFAULT_QUEUE_CAPACITY);
	}

	/**
	 * @param queueCapacity the most message bytes waiting to be sent; a sender that finds the queue full
	 * gets {@link CpgHandle.SendResult#TRY_AGAIN} or waits
	 */
	public CpgService(long queueCapacity) {
		this(queueCapacity, ProcessHandle.current().pid());
	}

	/**
	 * @param queueCapacity the most message bytes waiting to be sent
	 * @param firstPid the process id of the first handle (the JVM's pid by default); the next ones count up
	 */
	public CpgService(long queueCapacity, long firstPid) {
		if (queueCapacity < MAX_ATOMIC_SIZE) {
			throw new IllegalArgumentException("the CPG send queue must hold at least one atomic message ("
					+ MAX_ATOMIC_SIZE + " bytes), not " + queueCapacity);
		}
		this.queueCapacity = queueCapacity;
		this.nextPid = new AtomicLong(firstPid);
	}

	// ---------------------------------------------------------------------------------------------
	// API

	/**
	 * Joins a group with a new process id ({@code cpg_initialize} + {@code cpg_join}).
	 * @param initialTotemConfiguration also deliver the current ring once the join completes
	 * ({@code CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF})
	 */
	public CpgHandle join(CpgName group, CpgListener listener, boolean initialTotemConfiguration) {
		return join(group, listener, initialTotemConfiguration, this.nextPid.getAndIncrement());
	}

	/**
	 * Joins a group for another process of this host, such as a libcpg client of the node's IPC, which
	 * joins with its own process id as it does on a Corosync daemon. The caller keeps its pids apart from
	 * those of the Java handles and of each other.
	 */
	public CpgHandle join(CpgName group, CpgListener listener, boolean initialTotemConfiguration, long pid) {
		ServiceContext ctx = context();
		Handle handle = new Handle(group, pid, ctx.nodeId(), listener, initialTotemConfiguration);
		// queued here, not on the loop, so that what this thread multicasts next follows it: receivers
		// drop a message from a node that has no process in the group yet (cpg_join is synchronous)
		queueControl(CpgMessages.procJoinOrLeave(CpgMessages.PROCJOIN, group, handle.pid, CpgReason.JOIN), handle);
		ctx.loop().execute(() -> {
			register(handle);
			drain();
		});
		return handle;
	}

	public CpgHandle join(CpgName group, CpgListener listener) {
		return join(group, listener, false);
	}

	/**
	 * Every group this node knows of, with its members ({@code cpg_iteration_*} over all groups). It asks
	 * the event loop and waits, so call it from an application thread, not from a {@link CpgListener}.
	 */
	public Map<CpgName, List<CpgAddress>> groups() {
		return groupsLater().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
	}

	/**
	 * As {@link #groups()}, without waiting: completes on the node's event loop. The groups come in the
	 * order of their first process in the node's process list (by node id, then pid), and the members of
	 * each in that order, which is what Corosync's iteration over the groups is made from.
	 */
	public CompletionStage<Map<CpgName, List<CpgAddress>>> groupsLater() {
		CompletableFuture<Map<CpgName, List<CpgAddress>>> snapshot = new CompletableFuture<>();
		context().loop().execute(() -> {
			Map<CpgName, List<CpgAddress>> groups = new LinkedHashMap<>();
			for (ProcessInfo process : this.processes) {
				groups.computeIfAbsent(process.group(), (key) -> new ArrayList<>())
					.add(new CpgAddress(process.nodeid(), process.pid(), CpgReason.UNDEFINED));
			}
			groups.replaceAll((key, members) -> List.copyOf(members));
			snapshot.complete(Collections.unmodifiableMap(groups));
		});
		return snapshot;
	}

	/**
	 * Runs {@code task} on the node's event loop once the send queue has room for {@code bytes} more bytes
	 * of message data, at once if it has now: for a sender that got {@link CpgHandle.SendResult#TRY_AGAIN}
	 * and must not wait.
	 */
	public void whenRoom(long bytes, Runnable task) {
		ServiceContext ctx = context();
		this.lock.lock();
		try {
			if (this.queuedBytes + bytes > this.queueCapacity) {
				this.roomWaiters.add(new RoomWaiter(bytes, task));
				return;
			}
		}
		finally {
			this.lock.unlock();
		}
		ctx.loop().execute(task);
	}

	/** {@code cpg_local_get}. */
	public long localNodeId() {
		return context().nodeId();
	}

	/** Multicasts dropped because their sender's node had no process in the group. */
	public long droppedFromUnknownNodes() {
		return this.droppedUnknownNode;
	}

	public long malformedMessages() {
		return this.malformed;
	}

	// ---------------------------------------------------------------------------------------------
	// ServiceEngine

	@Override
	public int serviceId() {
		return CPG;
	}

	@Override
	public int functionCount() {
		return 7;
	}

	@Override
	public String name() {
		return "corosync cluster closed process group service v1.01";
	}

	@Override
	public void start(ServiceContext serviceContext) {
		this.context = serviceContext;
		serviceContext.whenSendable(this::drain);
	}

	@Override
	public void deliver(long nodeid, int function, byte[] message, boolean bigEndian) {
		ByteBuffer in = ServiceHeader.read(message, bigEndian);
		switch (function) {
			case CpgMessages.PROCJOIN, CpgMessages.PROCLEAVE -> {
				CpgName group = (message.length >= CpgMessages.PROCJOIN_SIZE) ? CpgName.read(in, GROUP_AT) : null;
				if (group == null) {
					this.malformed++;
					return;
				}
				long pid = Integer.toUnsignedLong(in.getInt(152));
				if (function == CpgMessages.PROCJOIN) {
					procJoin(group, pid, nodeid, CpgReason.JOIN, null);
				}
				else {
					procLeave(group, pid, nodeid, CpgReason.of(in.getInt(160)));
				}
			}
			case CpgMessages.JOINLIST -> joinlistReceived(nodeid, in, message.length);
			case CpgMessages.MCAST -> mcastReceived(nodeid, in, message, 0, message.length);
			case CpgMessages.PARTIAL_MCAST -> partialReceived(nodeid, in, message, 0, message.length);
			case CpgMessages.DOWNLIST, CpgMessages.DOWNLIST_OLD -> logger.debug("downlist from node {}", nodeid);
			default -> logger.warn("discarded unknown CPG message {} from node {}", function, nodeid);
		}
	}

	/** Multicasts straight from the frame they arrived in: only their data is copied, once. */
	@Override
	public void deliver(long nodeid, int function, byte[] buffer, int offset, int length, boolean bigEndian) {
		switch (function) {
			case CpgMessages.MCAST -> mcastReceived(nodeid, ServiceHeader.read(buffer, offset, length, bigEndian), buffer,
					offset, length);
			case CpgMessages.PARTIAL_MCAST -> partialReceived(nodeid, ServiceHeader.read(buffer, offset, length, bigEndian),
					buffer, offset, length);
			default -> deliver(nodeid, function, Arrays.copyOfRange(buffer, offset, offset + length), bigEndian);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// SyncService

	@Override
	public void init(List<Long> transitional, List<Long> members, RingId ringId) {
		init(transitional, transitional, members, ringId);
	}

	/**
	 * Joinlists delivered since the last round ended belong to an older ring (a transitional delivery
	 * after an abort): corosync4j leaves them out, Corosync applies them to this round. The nodes down
	 * are those not in every transitional configuration since the last round (the narrowed list), or for
	 * Corosync those not in the latest one. Each node reports its own view, so corosync4j keeps its rule
	 * beside Corosync daemons too: where the two differ, Corosync's hides a separation that the node
	 * went through (it delivered other messages than the node reported as staying with it).
	 */
	@Override
	public void init(List<Long> transitional, List<Long> latestTransitional, List<Long> members, RingId ringId) {
		this.carriedJoinlist = List.copyOf(this.joinlist);
		this.joinlist.clear();
		this.syncStep = SyncStep.DOWNLIST;
		this.memberList = members;
		this.lastSyncRingId = ringId;
		this.downList = down(transitional);
		this.corosyncDownList = down(latestTransitional);
	}

	private List<Long> down(List<Long> transitional) {
		List<Long> down = new ArrayList<>();
		for (Long old : this.oldMemberList) {
			if (!transitional.contains(old)) {
				down.add(old);
			}
		}
		return List.copyOf(down);
	}

	@Override
	public boolean process() {
		ServiceContext ctx = context();
		if (this.syncStep == SyncStep.DOWNLIST) {
			if (!ctx.mcast(CpgMessages.downList(this.oldMemberList.size(), this.downList))) {
				return false;
			}
			this.syncStep = SyncStep.JOINLIST;
		}
		List<CpgAddress> local = new ArrayList<>();
		List<CpgName> groups = new ArrayList<>();
		for (ProcessInfo process : this.processes) {
			if (process.nodeid() == ctx.nodeId()) {
				local.add(new CpgAddress(process.nodeid(), process.pid(), CpgReason.UNDEFINED));
				groups.add(process.group());
			}
		}
		return local.isEmpty() || ctx.mcast(CpgMessages.joinList(local, groups));
	}

	@Override
	public void activate() {
		if (context().asCorosync()) {
			this.downList = this.corosyncDownList;
			this.joinlist.addAll(0, this.carriedJoinlist);
		}
		this.carriedJoinlist = List.of();
		this.oldMemberList = this.memberList;
		downlistInformClients();
		joinlistInformClients();
		this.joinlist.clear();
		RingId ring = this.lastSyncRingId;
		if (ring != null) {
			CpgTotemConfiguration configuration = new CpgTotemConfiguration(ring, this.memberList);
			for (Handle handle : List.copyOf(this.handles)) {
				handle.totemConfiguration(configuration);
			}
		}
	}

	@Override
	public void abort() {
		this.joinlist.clear();
		this.carriedJoinlist = List.of();
	}

	// ---------------------------------------------------------------------------------------------
	// Group state (exec/cpg.c's process_info list)

	private void procJoin(CpgName group, long pid, long nodeid, CpgReason reason,
			@Nullable Map<CpgName, List<CpgAddress>> batch) {
		for (ProcessInfo process : this.processes) {
			if (process.pid() == pid && process.nodeid() == nodeid && process.group().equals(group)) {
				return;
			}
		}
		ProcessInfo added = new ProcessInfo(group, nodeid, pid);
		int at = 0;
		while (at < this.processes.size() && !after(this.processes.get(at), added)) {
			at++;
		}
		this.processes.add(at, added);
		CpgAddress joined = new CpgAddress(nodeid, pid, reason);
		if (batch == null) {
			notifyGroup(group, List.of(joined), List.of());
		}
		else {
			batch.computeIfAbsent(group, (key) -> new ArrayList<>()).add(joined);
		}
	}

	private static boolean after(ProcessInfo existing, ProcessInfo added) {
		return existing.nodeid() > added.nodeid()
				|| (existing.nodeid() == added.nodeid() && existing.pid() > added.pid());
	}

	private void procLeave(CpgName group, long pid, long nodeid, CpgReason reason) {
		notifyGroup(group, List.of(), List.of(new CpgAddress(nodeid, pid, reason)));
		this.processes.removeIf((p) -> p.pid() == pid && p.nodeid() == nodeid && p.group().equals(group));
	}

	/** {@code notify_lib_joinlist}: members are the group's processes minus those that left. */
	private void notifyGroup(CpgName group, List<CpgAddress> joined, List<CpgAddress> left) {
		List<CpgAddress> members = new ArrayList<>();
		for (ProcessInfo process : this.processes) {
			if (process.group().equals(group) && left.stream()
				.noneMatch((gone) -> gone.nodeid() == process.nodeid() && gone.pid() == process.pid())) {
				members.add(new CpgAddress(process.nodeid(), process.pid(), CpgReason.UNDEFINED));
			}
		}
		RingId delivered = this.lastSyncRingId;
		CpgConfigurationChange change = new CpgConfigurationChange(group, members, left, joined,
				(delivered != null) ? delivered : BEFORE_ANY_RING);
		long self = context().nodeId();
		for (Handle handle : List.copyOf(this.handles)) {
			if (!handle.group.equals(group)) {
				continue;
			}
			if (joined.stream().anyMatch((j) -> j.nodeid() == self && j.pid() == handle.pid)) {
				handle.state = HandleState.JOIN_COMPLETED;
			}
			if (handle.state == HandleState.JOIN_COMPLETED || handle.state == HandleState.LEAVE_STARTED) {
				handle.configurationChange(change);
			}
			if (left.stream().anyMatch((l) -> l.nodeid() == self && l.pid() == handle.pid)) {
				handle.left();
				this.handles.remove(handle);
			}
		}
		RingId ring = this.lastSyncRingId;
		for (Handle handle : List.copyOf(this.handles)) {
			if (handle.initialTotemConfiguration && !handle.initialSent && ring != null
					&& handle.state == HandleState.JOIN_COMPLETED) {
				handle.initialSent = true;
				handle.totemConfiguration(new CpgTotemConfiguration(ring, this.oldMemberList));
			}
		}
	}

	/** After synchronization: one NODEDOWN change per group for the processes of nodes that left. */
	private void downlistInformClients() {
		Map<CpgName, List<CpgAddress>> leftByGroup = new TreeMap<>(CpgService::compareNames);
		for (ProcessInfo process : List.copyOf(this.processes)) {
			if (this.downList.contains(process.nodeid())) {
				leftByGroup.computeIfAbsent(process.group(), (key) -> new ArrayList<>())
					.add(new CpgAddress(process.nodeid(), process.pid(), CpgReason.NODEDOWN));
				this.processes.remove(process);
			}
		}
		leftByGroup.forEach((group, left) -> notifyGroup(group, List.of(), left));
	}

	/**
	 * After synchronization: NODEUP for processes other nodes announced that this node did not know,
	 * one change per group, then PROCDOWN for processes of other nodes that nobody announced.
	 */
	private void joinlistInformClients() {
		long self = context().nodeId();
		Map<CpgName, List<CpgAddress>> joinedByGroup = new TreeMap<>(CpgService::compareNames);
		// Corosync keeps received entries newest first
		for (int i = this.joinlist.size() - 1; i >= 0; i--) {
			JoinlistEntry entry = this.joinlist.get(i);
			if (entry.sender() != self) {
				procJoin(entry.group(), entry.pid(), entry.sender(), CpgReason.NODEUP, joinedByGroup);
			}
		}
		joinedByGroup.forEach((group, joined) -> notifyGroup(group, joined, List.of()));
		for (ProcessInfo process : List.copyOf(this.processes)) {
			if (process.nodeid() == self) {
				continue;
			}
			boolean announced = this.joinlist.stream()
				.anyMatch((e) -> e.sender() != self && e.sender() == process.nodeid() && e.pid() == process.pid()
						&& e.group().equals(process.group()));
			if (!announced) {
				procLeave(process.group(), process.pid(), process.nodeid(), CpgReason.PROCDOWN);
			}
		}
	}

	private static int compareNames(CpgName a, CpgName b) {
		return Arrays.compareUnsigned(a.bytes(), b.bytes());
	}

	private void joinlistReceived(long nodeid, ByteBuffer in, int length) {
		int size = (length >= CpgMessages.JOINLIST_HEADER) ? in.getInt(8) : -1;
		if (size < CpgMessages.JOINLIST_HEADER || size > length) {
			this.malformed++;
			return;
		}
		for (int at = CpgMessages.JOINLIST_HEADER; at + CpgMessages.JOINLIST_ENTRY <= size; at += CpgMessages.JOINLIST_ENTRY) {
			CpgName group = CpgName.read(in, at + 8);
			if (group == null) {
				this.malformed++;
				return;
			}
			this.joinlist.add(new JoinlistEntry(nodeid, Integer.toUnsignedLong(in.getInt(at)), group));
		}
	}

	/** {@code in} is a view of the message, which is {@code length} bytes of {@code buffer} from {@code offset}. */
	private void mcastReceived(long nodeid, ByteBuffer in, byte[] buffer, int offset, int length) {
		if (length < CpgMessages.MCAST_HEADER) {
			malformedMessage(nodeid, "MCAST", length);
			return;
		}
		int dataLength = in.getInt(152);
		if (!CpgName.isValidAt(in, GROUP_AT) || dataLength != length - CpgMessages.MCAST_HEADER) {
			malformedMessage(nodeid, "MCAST", length);
			return;
		}
		long pid = Integer.toUnsignedLong(in.getInt(160));
		if (!hasReceivers(in, GROUP_AT, nodeid)) {
			return;
		}
		byte[] data = Arrays.copyOfRange(buffer, offset + CpgMessages.MCAST_HEADER, offset + length);
		// handles change only in configuration changes, never while a message is delivered
		for (int i = 0; i < this.handles.size(); i++) {
			Handle handle = this.handles.get(i);
			if (handle.receives(in, GROUP_AT)) {
				handle.deliver(nodeid, pid, data);
			}
		}
	}

	private void partialReceived(long nodeid, ByteBuffer in, byte[] buffer, int offset, int length) {
		if (length < CpgMessages.PARTIAL_HEADER) {
			malformedMessage(nodeid, "PARTIAL_MCAST", length);
			return;
		}
		int total = in.getInt(152);
		int fragment = in.getInt(160);
		if (!CpgName.isValidAt(in, GROUP_AT) || fragment != length - CpgMessages.PARTIAL_HEADER || total < 0
				|| total > MAX_PARTIAL_MESSAGE) {
			malformedMessage(nodeid, "PARTIAL_MCAST", length);
			return;
		}
		long pid = Integer.toUnsignedLong(in.getInt(168));
		int type = in.getInt(176);
		if (!hasReceivers(in, GROUP_AT, nodeid)) {
			return;
		}
		for (int i = 0; i < this.handles.size(); i++) {
			Handle handle = this.handles.get(i);
			if (handle.receives(in, GROUP_AT)) {
				handle.partial(nodeid, pid, total, type, buffer, offset + CpgMessages.PARTIAL_HEADER, fragment);
			}
		}
	}

	/**
	 * Whether a message of {@code nodeid} to the group named at {@code groupAt} of {@code in} goes to any
	 * local handle: one that completed its join must be in the group, and the sender's node must have a
	 * process in it (else "Unknown node", counted). Runs for every delivered message, so it compares the
	 * name in place and walks the lists without allocating.
	 */
	private boolean hasReceivers(ByteBuffer in, int groupAt, long nodeid) {
		boolean any = false;
		for (int i = 0; i < this.handles.size() && !any; i++) {
			any = this.handles.get(i).receives(in, groupAt);
		}
		if (!any) {
			return false;
		}
		for (int i = 0; i < this.processes.size(); i++) {
			ProcessInfo process = this.processes.get(i);
			if (process.nodeid() == nodeid && process.group().isAt(in, groupAt)) {
				return true;
			}
		}
		dropUnknown(nodeid, CpgName.read(in, groupAt));
		return false;
	}

	/** Counted; at debug also said, so a run's log shows where application messages went. */
	private void malformedMessage(long nodeid, String type, int length) {
		this.malformed++;
		logger.debug("Dropped a malformed {} of {} bytes from node {}", type, length, nodeid);
	}

	private void dropUnknown(long nodeid, CpgName group) {
		if (this.droppedUnknownNode++ % 1000 == 0) {
			logger.warn("Unknown node {} in group {} -> we will not deliver message ({} so far)", nodeid, group,
					this.droppedUnknownNode);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Sending

	private ServiceContext context() {
		ServiceContext ctx = this.context;
		if (ctx == null) {
			throw new IllegalStateException("the CPG service is not running: start the node first");
		}
		return ctx;
	}

	/** Joins and leaves always get in: they are small and must keep their place in the order. */
	private void queueControl(byte[] message, @Nullable Handle joining) {
		this.lock.lock();
		try {
			this.queue.add(new Outgoing(new byte[][] { message }, 0, joining));
		}
		finally {
			this.lock.unlock();
		}
	}

	/** On the loop: a leave. */
	private void enqueueControl(byte[] message) {
		queueControl(message, null);
		drain();
	}

	private boolean enqueue(List<Outgoing> items, long bytes, long timeoutNanos) throws InterruptedException {
		if (bytes > this.queueCapacity) {
			throw new IllegalArgumentException("a message of " + bytes + " bytes exceeds the CPG send queue ("
					+ this.queueCapacity + " bytes)");
		}
		boolean alone;
		this.lock.lock();
		try {
			long wait = timeoutNanos;
			while (this.queuedBytes + bytes > this.queueCapacity) {
				if (wait <= 0) {
					return false;
				}
				wait = this.space.awaitNanos(wait);
			}
			alone = this.queue.isEmpty();
			this.queue.addAll(items);
			this.queuedBytes += bytes;
		}
		finally {
			this.lock.unlock();
		}
		// A message alone in the queue while the token goes round leaves at the token's next visit here
		// without waking the loop, which would take a CPU from the members the token is waiting for. A
		// backlog is drained between visits (one wake-up per burst), so that packing it and waking the
		// senders blocked on a full queue stay off the token's path.
		ServiceContext ctx = context();
		if (!(alone && ctx.tokenReturns()) && this.drainPending.compareAndSet(false, true)) {
			ctx.loop().execute(this.pendingDrain);
		}
		return true;
	}

	/** On the loop, once per handle: whichever comes first, the join's task or its PROCJOIN leaving. */
	private void register(Handle handle) {
		if (!handle.registered) {
			handle.registered = true;
			this.handles.add(handle);
			handle.state = HandleState.JOIN_STARTED;
		}
	}

	/** On the loop: hands queued messages to Totem while it takes them and no synchronization runs. */
	private void drain() {
		ServiceContext ctx = context();
		if (ctx.synchronizing()) {
			return;
		}
		while (true) {
			Outgoing next;
			this.lock.lock();
			try {
				next = this.queue.peek();
			}
			finally {
				this.lock.unlock();
			}
			if (next == null) {
				return;
			}
			if (next.joining() != null) {
				register(next.joining());
			}
			if (!ctx.mcast(next.pieces())) {
				return;
			}
			List<Runnable> roomy = List.of();
			this.lock.lock();
			try {
				this.queue.poll();
				this.queuedBytes -= next.bytes();
				this.space.signalAll();
				if (!this.roomWaiters.isEmpty() && next.bytes() > 0) {
					roomy = takeRoomWaiters();
				}
			}
			finally {
				this.lock.unlock();
			}
			roomy.forEach(Runnable::run);
		}
	}

	/** Under the lock: the waiters that now fit, in the order they came; the others keep waiting. */
	private List<Runnable> takeRoomWaiters() {
		List<Runnable> tasks = new ArrayList<>();
		long room = this.queueCapacity - this.queuedBytes;
		for (var waiters = this.roomWaiters.iterator(); waiters.hasNext();) {
			RoomWaiter waiter = waiters.next();
			if (waiter.bytes() <= room) {
				tasks.add(waiter.task());
				waiters.remove();
			}
		}
		return tasks;
	}

	private List<Outgoing> pieces(Handle handle, byte[] message) {
		long self = handle.nodeid;
		if (message.length <= MAX_ATOMIC_SIZE) {
			byte[] header = CpgMessages.mcastHeader(handle.group, handle.pid, self, message.length);
			return List.of(new Outgoing(new byte[][] { header, message }, message.length));
		}
		// libcpg's send_fragments: pieces of the atomic size, FIRST, CONTINUED…, LAST
		List<Outgoing> pieces = new ArrayList<>();
		for (int sent = 0; sent < message.length; sent += MAX_ATOMIC_SIZE) {
			int length = Math.min(MAX_ATOMIC_SIZE, message.length - sent);
			int type = (sent == 0) ? CpgMessages.PARTIAL_FIRST
					: (sent + length == message.length) ? CpgMessages.PARTIAL_LAST : CpgMessages.PARTIAL_CONTINUED;
			byte[] header = CpgMessages.partialHeader(handle.group, handle.pid, self, message.length, length, type);
			pieces.add(new Outgoing(new byte[][] { header, Arrays.copyOfRange(message, sent, sent + length) }, length));
		}
		return pieces;
	}

	/** A local process in a group. */
	private final class Handle implements CpgHandle {

		final CpgName group;

		final long pid;

		final long nodeid;

		final CpgListener listener;

		final boolean initialTotemConfiguration;

		/** Written on the loop, read by senders. */
		volatile HandleState state = HandleState.UNJOINED;

		volatile List<CpgAddress> members = List.of();

		/** In {@code handles}: set on the loop. */
		boolean registered;

		boolean initialSent;

		boolean leaveRequested;

		/** What the members are told when this handle leaves: LEAVE, or PROCDOWN for a process that ended. */
		CpgReason leaveReason = CpgReason.LEAVE;

		final CompletableFuture<Void> joinedFuture = new CompletableFuture<>();

		final CompletableFuture<Void> leftFuture = new CompletableFuture<>();

		/** Partial messages being assembled, by sender node and pid. */
		final Map<List<Long>, Assembly> assemblies = new HashMap<>();

		Handle(CpgName group, long pid, long nodeid, CpgListener listener, boolean initialTotemConfiguration) {
			this.group = group;
			this.pid = pid;
			this.nodeid = nodeid;
			this.listener = listener;
			this.initialTotemConfiguration = initialTotemConfiguration;
		}

		@Override
		public CpgName group() {
			return this.group;
		}

		@Override
		public long pid() {
			return this.pid;
		}

		@Override
		public long nodeId() {
			return this.nodeid;
		}

		@Override
		public CompletionStage<Void> joined() {
			return this.joinedFuture;
		}

		@Override
		public SendResult mcast(byte[] message) {
			try {
				return send(message, 0) ? SendResult.OK : SendResult.TRY_AGAIN;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return SendResult.TRY_AGAIN;
			}
		}

		@Override
		public boolean mcast(byte[] message, Duration timeout) throws InterruptedException {
			return send(message, timeout.toNanos());
		}

		private boolean send(byte[] message, long timeoutNanos) throws InterruptedException {
			HandleState current = this.state;
			if (current == HandleState.LEAVE_STARTED || (current == HandleState.UNJOINED && this.leftFuture.isDone())) {
				throw new IllegalStateException("handle " + this.pid + " has left group " + this.group
						+ " (CS_ERR_NOT_EXIST)");
			}
			return enqueue(pieces(this, message), message.length, timeoutNanos);
		}

		@Override
		public List<CpgAddress> membership() {
			return this.members;
		}

		@Override
		public CompletionStage<Void> leave() {
			context().loop().execute(this::leaveOnLoop);
			return this.leftFuture;
		}

		@Override
		public CompletionStage<Void> processDown() {
			context().loop().execute(() -> {
				this.leaveReason = CpgReason.PROCDOWN;
				leaveOnLoop();
			});
			return this.leftFuture;
		}

		private void leaveOnLoop() {
			if (this.state == HandleState.JOIN_COMPLETED) {
				this.state = HandleState.LEAVE_STARTED;
				enqueueControl(CpgMessages.procJoinOrLeave(CpgMessages.PROCLEAVE, this.group, this.pid, this.leaveReason));
			}
			else if (this.state == HandleState.JOIN_STARTED) {
				// Corosync answers CS_ERR_BUSY; the handle leaves as soon as its join is in
				this.leaveRequested = true;
			}
		}

		@Override
		public void close() {
			leave();
		}

		void configurationChange(CpgConfigurationChange change) {
			this.members = change.members();
			for (CpgAddress gone : change.left()) {
				this.assemblies.remove(List.of(gone.nodeid(), gone.pid()));
			}
			safely(() -> this.listener.configurationChange(change));
			if (this.state == HandleState.JOIN_COMPLETED && !this.joinedFuture.isDone()) {
				this.joinedFuture.complete(null);
				if (this.leaveRequested) {
					leaveOnLoop();
				}
			}
		}

		void totemConfiguration(CpgTotemConfiguration configuration) {
			safely(() -> this.listener.totemConfigurationChange(configuration));
		}

		/**
		 * Whether a message to the group named at {@code groupAt} of {@code in} reaches this handle now: it
		 * is that group's, completed its join and has not left.
		 */
		boolean receives(ByteBuffer in, int groupAt) {
			return (this.state == HandleState.JOIN_COMPLETED || this.state == HandleState.LEAVE_STARTED)
					&& this.group.isAt(in, groupAt);
		}

		void deliver(long from, long fromPid, byte[] data) {
			try {
				this.listener.deliver(this.group, from, fromPid, data);
			}
			catch (RuntimeException ex) {
				logger.warn("A CPG listener of group {} failed", this.group, ex);
			}
		}

		void partial(long from, long fromPid, int total, int type, byte[] message, int offset, int length) {
			List<Long> key = List.of(from, fromPid);
			Assembly assembly = this.assemblies.get(key);
			if (type == CpgMessages.PARTIAL_FIRST) {
				assembly = new Assembly(total);
				this.assemblies.put(key, assembly);
			}
			if (assembly == null || assembly.total != total || assembly.filled + length > total) {
				// the start was missed (joined mid-message) or the pieces do not add up
				this.assemblies.remove(key);
				logger.debug("group {}: dropped a piece of {}/{}'s message of {} bytes (type {}, start {})", this.group,
						from, fromPid, total, type, (assembly != null) ? "seen" : "missed");
				return;
			}
			assembly.append(message, offset, length);
			if (type == CpgMessages.PARTIAL_LAST) {
				this.assemblies.remove(key);
				if (assembly.filled == total) {
					deliver(from, fromPid, assembly.data);
				}
			}
		}

		void left() {
			this.state = HandleState.UNJOINED;
			this.leftFuture.complete(null);
			if (!this.joinedFuture.isDone()) {
				this.joinedFuture.completeExceptionally(new IllegalStateException("left before the join completed"));
			}
		}

		private void safely(Runnable callback) {
			try {
				callback.run();
			}
			catch (RuntimeException ex) {
				logger.warn("A CPG listener of group {} failed", this.group, ex);
			}
		}

	}

	/**
	 * A partial message being put together. The buffer grows with the pieces that arrive rather than
	 * being sized by the first piece's total, which a single datagram could set to 256 MiB.
	 */
	private static final class Assembly {

		final int total;

		byte[] data = new byte[0];

		int filled;

		Assembly(int total) {
			this.total = total;
		}

		/** Appends a piece that fits in {@code total}; the buffer is exactly {@code total} long once full. */
		void append(byte[] source, int offset, int length) {
			int needed = this.filled + length;
			if (needed > this.data.length) {
				int grown = (int) Math.min(this.total, Math.max(needed, 2L * this.data.length));
				this.data = Arrays.copyOf(this.data, grown);
			}
			System.arraycopy(source, offset, this.data, this.filled, length);
			this.filled = needed;
		}

	}

}
