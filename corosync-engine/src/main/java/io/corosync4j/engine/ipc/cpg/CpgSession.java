package io.corosync4j.engine.ipc.cpg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcMessages;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgTotemConfiguration;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

import static io.corosync4j.engine.ipc.cpg.CpgIpcCodec.*;

/**
 * One libcpg connection ({@code struct cpg_pd}): its requests on the connection's loop, its group's
 * events from the node's loop (the same loop when the server serves on the node's). The states and their answers are Corosync's: a connection joins once; a leave is
 * refused while the join is on its way ({@code CS_ERR_BUSY}, on which libcpg asks again); after a leave
 * the connection keeps its group and pid until it goes, so it cannot join again. A multicast has no
 * answer: one the node's send queue has no room for waits here, in order, until there is.
 */
final class CpgSession implements IpcSession, CpgListener {

	private enum State {

		UNJOINED, JOINED, LEAVE_STARTED

	}

	/** The largest message a client may send in pieces: what the node's receivers accept. */
	private static final int MAX_PARTIAL_MESSAGE = 256 * 1024 * 1024;

	private final CpgIpcService service;

	private final IpcConnection connection;

	private final ByteBufAllocator alloc;

	// on the connection's loop

	private State state = State.UNJOINED;

	private @Nullable CpgHandle handle;

	private @Nullable CpgName group;

	private long pid;

	/** The leave sent for this session's process, once one was. */
	private @Nullable CompletionStage<Void> leaving;

	/** Multicasts accepted from the client that wait for room in the node's send queue, oldest first. */
	private final ArrayDeque<byte[]> held = new ArrayDeque<>();

	private long heldBytes;

	private boolean waitingForRoom;

	/** What to do once the held multicasts are sent: the leave, which must come after them. */
	private @Nullable Runnable afterHeld;

	/** The message a client sends in pieces ({@code cpg_mcast_joined} above the atomic size). */
	private byte @Nullable [] partial;

	private int partialFilled;

	private long partialTransitions;

	private final Map<Long, Iterator<Member>> iterations = new HashMap<>();

	private long nextIteration = 1;

	private final ZeroCopyBuffers zeroCopy = new ZeroCopyBuffers();

	/** Answers waiting for one before them that the node's loop still works on. */
	private final ArrayDeque<Answer> answers = new ArrayDeque<>();

	private boolean closed;

	// written on the node's loop, read on the connection's loop

	/** Configuration changes sent to the client: a piecewise send fails if one came between its pieces. */
	private final AtomicLong transitions = new AtomicLong();

	/** The client finalized or its queue overflowed: it gets no more events. */
	private volatile boolean silent;

	CpgSession(CpgIpcService service, IpcConnection connection) {
		this.service = service;
		this.connection = connection;
		this.alloc = connection.alloc();
	}

	// ---------------------------------------------------------------------------------------------
	// requests

	@Override
	public void request(int id, ByteBuf message) {
		if (id < 0 || id >= REQUEST_COUNT) {
			refuse(id);
			return;
		}
		switch (id) {
			case REQ_JOIN -> join(message);
			case REQ_LEAVE -> leave(message);
			case REQ_MCAST -> mcast(message);
			case REQ_MEMBERSHIP -> membership(message);
			case REQ_LOCAL_GET -> localGet(message);
			case REQ_ITERATION_INITIALIZE -> iterationInitialize(message);
			case REQ_ITERATION_NEXT -> iterationNext(message);
			case REQ_ITERATION_FINALIZE -> iterationFinalize(message);
			case REQ_FINALIZE -> finalizeRequest(message);
			case REQ_ZC_ALLOC -> zeroCopyAllocate(message);
			case REQ_ZC_FREE -> zeroCopyFree(message);
			case REQ_ZC_EXECUTE -> zeroCopyExecute(message);
			default -> partialMcast(message);
		}
	}

	/** A request Corosync's checks refuse: an id out of range or a size that does not fit its structure. */
	private void refuse(int id) {
		// Corosync answers every refusal but that of a multicast, which has no answer to carry it
		if (id != REQ_MCAST) {
			respond(IpcMessages.header(this.alloc, 0, CsError.INVALID_PARAM));
		}
	}

	private static boolean sized(ByteBuf message, int size) {
		return message.readableBytes() == size && IpcMessages.requestSize(message) == size;
	}

	private void respond(ByteBuf response) {
		if (this.answers.isEmpty()) {
			this.connection.respond(response);
		}
		else {
			this.answers.add(new Answer(response));
		}
	}

	/**
	 * A place in the order of answers for one that comes from the node's loop later: answers to later
	 * requests wait behind it, so a client always reads its answers in the order it asked.
	 */
	private Answer answerLater() {
		Answer answer = new Answer(null);
		this.answers.add(answer);
		return answer;
	}

	/** On the connection's loop: an answer is ready; sends it and those waiting behind it. */
	private void answered(Answer answer, ByteBuf response) {
		if (this.closed) {
			response.release();
			return;
		}
		answer.response = response;
		Answer head;
		while ((head = this.answers.peek()) != null && head.response != null) {
			this.answers.poll();
			this.connection.respond(head.response);
		}
	}

	private void join(ByteBuf message) {
		if (!sized(message, JOIN_SIZE)) {
			refuse(REQ_JOIN);
			return;
		}
		int at = message.readerIndex();
		long requestedPid = Integer.toUnsignedLong(message.getIntLE(at + JOIN_PID));
		int flags = message.getIntLE(at + JOIN_FLAGS);
		CpgName requested = readName(message, JOIN_GROUP);
		respond(IpcMessages.header(this.alloc, RES_JOIN, joinError(requestedPid, requested, flags)));
	}

	private CsError joinError(long requestedPid, @Nullable CpgName requested, int flags) {
		if (requested == null) {
			return CsError.NAME_TOO_LONG;
		}
		Object holder = this.service.holder(requestedPid, requested);
		if (holder != null) {
			// a connection holds that process in that group; or its leave was not delivered yet
			return this.service.isLeaving(holder) ? CsError.TRY_AGAIN : CsError.EXIST;
		}
		if (this.state == State.LEAVE_STARTED) {
			return CsError.BUSY;
		}
		if (this.state == State.JOINED) {
			return CsError.EXIST;
		}
		if (!this.service.claim(requestedPid, requested, this)) {
			return CsError.EXIST;
		}
		this.state = State.JOINED;
		this.pid = requestedPid;
		this.group = requested;
		this.handle = this.service.cpg()
			.join(requested, this, (flags & FLAG_INITIAL_TOTEM_CONF) != 0, requestedPid);
		return CsError.OK;
	}

	private void leave(ByteBuf message) {
		if (!sized(message, LEAVE_SIZE)) {
			refuse(REQ_LEAVE);
			return;
		}
		CsError error = switch (this.state) {
			case UNJOINED, LEAVE_STARTED -> CsError.NOT_EXIST;
			case JOINED -> joinDelivered() ? CsError.OK : CsError.BUSY;
		};
		CpgHandle joined = this.handle;
		CpgName joinedGroup = this.group;
		if (error == CsError.OK && joined != null && joinedGroup != null) {
			this.state = State.LEAVE_STARTED;
			afterHeld(() -> leaveSent(joined.leave(), joinedGroup));
		}
		respond(IpcMessages.header(this.alloc, RES_LEAVE, error));
	}

	private boolean joinDelivered() {
		CpgHandle joined = this.handle;
		return joined != null && joined.joined().toCompletableFuture().isDone();
	}

	private void leaveSent(CompletionStage<Void> leave, CpgName leftGroup) {
		this.leaving = leave;
		long leftPid = this.pid;
		leave.whenComplete((ignored, failure) -> this.service.left(leftPid, leftGroup));
	}

	/** No answer, as Corosync gives none: a refused multicast is dropped, as Corosync drops it. */
	private void mcast(ByteBuf message) {
		int size = message.readableBytes();
		if (size < MCAST_HEADER || IpcMessages.requestSize(message) != size
				|| message.getIntLE(message.readerIndex() + MCAST_MSGLEN) != size - MCAST_HEADER) {
			return;
		}
		if (this.state != State.JOINED) {
			return;
		}
		byte[] data = new byte[size - MCAST_HEADER];
		message.getBytes(message.readerIndex() + MCAST_HEADER, data);
		if (this.held.isEmpty() && send(data)) {
			return;
		}
		hold(data);
	}

	/** Hands a message to the node; false when its send queue is full. */
	private boolean send(byte[] data) {
		CpgHandle joined = this.handle;
		try {
			return joined != null && joined.mcast(data) == CpgHandle.SendResult.OK;
		}
		catch (IllegalStateException ex) {
			// the handle left: Corosync refuses a multicast after a leave, and so it goes nowhere
			return true;
		}
	}

	private void hold(byte[] data) {
		if (this.held.isEmpty()) {
			// as the daemon while its queue is full: libcpg's multicasts return CS_ERR_TRY_AGAIN, and those
			// already on their way are held here in order
			this.connection.holdMulticasts(true);
		}
		this.held.add(data);
		this.heldBytes += data.length;
		if (this.heldBytes > this.service.heldBytes()) {
			// the client sends faster than the ring takes it and far beyond the queue: as a client whose
			// queue overflows, it goes
			this.held.clear();
			this.heldBytes = 0;
			this.connection.disconnect();
			return;
		}
		awaitRoom();
	}

	private void awaitRoom() {
		byte[] next = this.held.peek();
		if (next == null || this.waitingForRoom) {
			return;
		}
		this.waitingForRoom = true;
		this.service.cpg().whenRoom(next.length, () -> this.connection.loop().execute(this::sendHeld));
	}

	/** On the connection's loop: the send queue has room again. */
	private void sendHeld() {
		this.waitingForRoom = false;
		byte[] next;
		while ((next = this.held.peek()) != null) {
			if (!send(next)) {
				awaitRoom();
				return;
			}
			this.held.poll();
			this.heldBytes -= next.length;
		}
		this.connection.holdMulticasts(false);
		Runnable after = this.afterHeld;
		this.afterHeld = null;
		if (after != null) {
			after.run();
		}
	}

	private void afterHeld(Runnable action) {
		if (this.held.isEmpty()) {
			action.run();
		}
		else {
			this.afterHeld = action;
		}
	}

	private void partialMcast(ByteBuf message) {
		int at = message.readerIndex();
		int size = message.readableBytes();
		if (size < PARTIAL_HEADER || IpcMessages.requestSize(message) != size
				|| message.getIntLE(at + PARTIAL_FRAGLEN) != size - PARTIAL_HEADER) {
			refuse(REQ_PARTIAL_MCAST);
			return;
		}
		long total = Integer.toUnsignedLong(message.getIntLE(at + PARTIAL_MSGLEN));
		int type = message.getIntLE(at + PARTIAL_TYPE);
		CsError error = (this.state == State.JOINED) ? CsError.OK : CsError.NOT_EXIST;
		if (type == PARTIAL_FIRST) {
			this.partialTransitions = this.transitions.get();
			this.partial = null;
			this.partialFilled = 0;
			if (error == CsError.OK && total > MAX_PARTIAL_MESSAGE) {
				error = CsError.TOO_BIG;
			}
			else if (error == CsError.OK) {
				this.partial = new byte[0];
			}
		}
		if (this.transitions.get() != this.partialTransitions) {
			error = CsError.INTERRUPT;
		}
		if (error != CsError.OK) {
			this.partial = null;
			respond(IpcMessages.header(this.alloc, RES_PARTIAL_SEND, error));
			return;
		}
		byte[] assembly = this.partial;
		int fragment = size - PARTIAL_HEADER;
		if (assembly == null || this.partialFilled + (long) fragment > total) {
			// pieces without a start or beyond the length: Corosync passes them on and receivers drop them
			this.partial = null;
			respond(IpcMessages.header(this.alloc, RES_PARTIAL_SEND, CsError.OK));
			return;
		}
		if (this.partialFilled + fragment > assembly.length) {
			assembly = Arrays.copyOf(assembly,
					(int) Math.min(total, Math.max(this.partialFilled + fragment, 2L * assembly.length)));
			this.partial = assembly;
		}
		message.getBytes(at + PARTIAL_HEADER, assembly, this.partialFilled, fragment);
		this.partialFilled += fragment;
		if (type != PARTIAL_LAST) {
			respond(IpcMessages.header(this.alloc, RES_PARTIAL_SEND, CsError.OK));
			return;
		}
		this.partial = null;
		if (this.partialFilled != total) {
			respond(IpcMessages.header(this.alloc, RES_PARTIAL_SEND, CsError.OK));
			return;
		}
		respond(IpcMessages.header(this.alloc, RES_PARTIAL_SEND, sendWhole(assembly)));
	}

	/**
	 * A whole message put together from pieces. Without room it is refused with {@code CS_ERR_TRY_AGAIN},
	 * on which libcpg's {@code cpg_mcast_joined} returns and the caller sends it again from its first piece.
	 */
	private CsError sendWhole(byte[] message) {
		if (!this.held.isEmpty()) {
			return CsError.TRY_AGAIN;
		}
		try {
			return send(message) ? CsError.OK : CsError.TRY_AGAIN;
		}
		catch (IllegalArgumentException ex) {
			// larger than the node's whole send queue
			return CsError.TOO_BIG;
		}
	}

	private void membership(ByteBuf message) {
		if (!sized(message, MEMBERSHIP_REQUEST_SIZE)) {
			refuse(REQ_MEMBERSHIP);
			return;
		}
		CpgName requested = readName(message, JOIN_GROUP);
		if (requested == null) {
			refuse(REQ_MEMBERSHIP);
			return;
		}
		Answer answer = answerLater();
		this.service.cpg().groupsLater().whenComplete((groups, failure) -> {
			List<CpgAddress> members = (groups != null) ? groups.getOrDefault(requested, List.of()) : List.of();
			ByteBuf response = CpgIpcCodec.membership(this.alloc, members);
			this.connection.loop().execute(() -> answered(answer, response));
		});
	}

	private void localGet(ByteBuf message) {
		if (!sized(message, IpcMessages.REQUEST_HEADER_SIZE)) {
			refuse(REQ_LOCAL_GET);
			return;
		}
		respond(CpgIpcCodec.localGet(this.alloc, this.service.cpg().localNodeId()));
	}

	private void iterationInitialize(ByteBuf message) {
		if (!sized(message, ITERATION_INITIALIZE_SIZE)) {
			refuse(REQ_ITERATION_INITIALIZE);
			return;
		}
		int type = message.getIntLE(message.readerIndex() + ITERATION_TYPE);
		CpgName requested = readName(message, JOIN_GROUP);
		if (type == ITERATION_ONE_GROUP && requested == null) {
			refuse(REQ_ITERATION_INITIALIZE);
			return;
		}
		Answer answer = answerLater();
		this.service.cpg().groupsLater().whenComplete((groups, failure) -> {
			List<Member> items = iterationItems((groups != null) ? groups : Map.of(), type, requested);
			this.connection.loop().execute(() -> {
				long iteration = this.nextIteration++;
				if (!this.closed) {
					this.iterations.put(iteration, items.iterator());
				}
				answered(answer, CpgIpcCodec.iterationInitialize(this.alloc, CsError.OK, iteration));
			});
		});
	}

	/**
	 * Corosync's order: it walks its process list (by node id, then pid) and puts each process of a group
	 * it has not met at the front, and each other right after the first of its group. So the groups come
	 * last-met first, each its first process then the others from the last.
	 */
	static List<Member> iterationItems(Map<CpgName, List<CpgAddress>> groups, int type, @Nullable CpgName requested) {
		List<CpgName> names = new ArrayList<>(groups.keySet());
		List<Member> items = new ArrayList<>();
		for (int g = names.size() - 1; g >= 0; g--) {
			CpgName name = names.get(g);
			List<CpgAddress> members = groups.get(name);
			if (type == ITERATION_NAME_ONLY) {
				items.add(new Member(name, 0, 0));
				continue;
			}
			if (type == ITERATION_ONE_GROUP && !name.equals(requested)) {
				continue;
			}
			items.add(new Member(name, members.get(0).nodeid(), members.get(0).pid()));
			for (int i = members.size() - 1; i > 0; i--) {
				items.add(new Member(name, members.get(i).nodeid(), members.get(i).pid()));
			}
		}
		return items;
	}

	private void iterationNext(ByteBuf message) {
		if (!sized(message, ITERATION_REQUEST_SIZE)) {
			refuse(REQ_ITERATION_NEXT);
			return;
		}
		Iterator<Member> iteration = this.iterations.get(message.getLongLE(message.readerIndex() + ITERATION_HANDLE));
		if (iteration == null) {
			respond(CpgIpcCodec.iterationNext(this.alloc, CsError.LIBRARY, null, 0, 0));
		}
		else if (!iteration.hasNext()) {
			respond(CpgIpcCodec.iterationNext(this.alloc, CsError.NO_SECTIONS, null, 0, 0));
		}
		else {
			Member next = iteration.next();
			respond(CpgIpcCodec.iterationNext(this.alloc, CsError.OK, next.group(), next.nodeid(), next.pid()));
		}
	}

	private void iterationFinalize(ByteBuf message) {
		if (!sized(message, ITERATION_REQUEST_SIZE)) {
			refuse(REQ_ITERATION_FINALIZE);
			return;
		}
		Object removed = this.iterations.remove(message.getLongLE(message.readerIndex() + ITERATION_HANDLE));
		respond(IpcMessages.header(this.alloc, RES_ITERATION_FINALIZE, (removed != null) ? CsError.OK : CsError.LIBRARY));
	}

	/**
	 * {@code cpg_finalize}: the connection leaves Corosync's list, so it gets no more events and its process
	 * no longer counts as this connection's; the process leaves the group (PROCDOWN) when the client
	 * disconnects, which libcpg does next.
	 */
	private void finalizeRequest(ByteBuf message) {
		if (!sized(message, IpcMessages.REQUEST_HEADER_SIZE)) {
			refuse(REQ_FINALIZE);
			return;
		}
		this.silent = true;
		giveUpProcess();
		respond(IpcMessages.header(this.alloc, RES_FINALIZE, CsError.OK));
	}

	private void giveUpProcess() {
		CpgName joined = this.group;
		if (joined == null) {
			return;
		}
		CompletionStage<Void> leave = this.leaving;
		if (leave != null && leave.toCompletableFuture().isDone()) {
			this.service.release(this.pid, joined, this);
		}
		else {
			this.service.leaving(this.pid, joined, this);
		}
	}

	private void zeroCopyAllocate(ByteBuf message) {
		if (!sized(message, ZC_ALLOC_SIZE)) {
			refuse(REQ_ZC_ALLOC);
			return;
		}
		int at = message.readerIndex();
		long mapSize = message.getLongLE(at + ZC_MAP_SIZE);
		int length = 0;
		while (length < ZC_PATH_MAX && message.getByte(at + ZC_PATH + length) != 0) {
			length++;
		}
		String path = message.toString(at + ZC_PATH, length, StandardCharsets.UTF_8);
		long address = this.zeroCopy.allocate(path, mapSize, this.connection.uid());
		respond(IpcMessages.header(this.alloc, RES_ZC, (address != 0) ? CsError.OK : CsError.INVALID_PARAM));
	}

	private void zeroCopyFree(ByteBuf message) {
		if (!sized(message, ZC_FREE_SIZE)) {
			refuse(REQ_ZC_FREE);
			return;
		}
		this.zeroCopy.free(message.getLongLE(message.readerIndex() + ZC_FREE_ADDRESS));
		respond(IpcMessages.header(this.alloc, RES_ZC, CsError.OK));
	}

	/** {@code cpg_zcb_mcast_joined}: a multicast with an answer, so a full send queue is a TRY_AGAIN. */
	private void zeroCopyExecute(ByteBuf message) {
		if (!sized(message, ZC_EXECUTE_SIZE)) {
			refuse(REQ_ZC_EXECUTE);
			return;
		}
		byte[] data = this.zeroCopy.message(message.getLongLE(message.readerIndex() + ZC_EXECUTE_ADDRESS));
		CsError error;
		if (data == null) {
			error = CsError.INVALID_PARAM;
		}
		else if (this.state != State.JOINED) {
			error = CsError.NOT_EXIST;
		}
		else {
			error = (this.held.isEmpty() && send(data)) ? CsError.OK : CsError.TRY_AGAIN;
		}
		respond(IpcMessages.header(this.alloc, RES_MCAST, error));
	}

	@Override
	public void closed() {
		this.closed = true;
		this.silent = true;
		for (Answer answer : this.answers) {
			if (answer.response != null) {
				answer.response.release();
			}
		}
		this.answers.clear();
		this.iterations.clear();
		this.zeroCopy.freeAll();
		this.partial = null;
		CpgHandle joined = this.handle;
		CpgName joinedGroup = this.group;
		if (joined != null && joinedGroup != null && this.state == State.JOINED) {
			// gone without leaving: the group hears PROCDOWN, after what the client multicast before
			this.state = State.LEAVE_STARTED;
			afterHeld(() -> leaveSent(joined.processDown(), joinedGroup));
		}
		giveUpProcess();
	}

	// ---------------------------------------------------------------------------------------------
	// events, on the node's loop

	@Override
	public void deliver(CpgName from, long nodeid, long senderPid, byte[] message) {
		if (message.length <= MAX_FRAGMENT) {
			event(CpgIpcCodec.deliver(this.alloc, from, nodeid, senderPid, message));
			return;
		}
		// as Corosync passes on a message sent in pieces, which libcpg puts together
		for (int sent = 0; sent < message.length && !this.silent; sent += MAX_FRAGMENT) {
			int length = Math.min(MAX_FRAGMENT, message.length - sent);
			int type = (sent == 0) ? PARTIAL_FIRST
					: (sent + length == message.length) ? PARTIAL_LAST : PARTIAL_CONTINUED;
			event(CpgIpcCodec.partialDeliver(this.alloc, from, nodeid, senderPid, message, sent, length, type));
		}
	}

	@Override
	public void configurationChange(CpgConfigurationChange change) {
		this.transitions.incrementAndGet();
		event(CpgIpcCodec.confchg(this.alloc, change.group(), change.members(), change.left(), change.joined()));
	}

	@Override
	public void totemConfigurationChange(CpgTotemConfiguration configuration) {
		event(CpgIpcCodec.totemConfchg(this.alloc, configuration));
	}

	private void event(ByteBuf event) {
		if (this.silent) {
			event.release();
			return;
		}
		if (!this.connection.event(event)) {
			this.silent = true;
		}
	}

	/** An answer in the order of the requests; without a response yet while the node's loop works on it. */
	private static final class Answer {

		@Nullable ByteBuf response;

		Answer(@Nullable ByteBuf response) {
			this.response = response;
		}

	}

	/** A process of the iteration: a group and, unless only names were asked for, a member. */
	record Member(CpgName group, long nodeid, long pid) {
	}

}
