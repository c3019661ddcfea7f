package io.corosync4j.engine.ipc.votequorum;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcMessages;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.service.votequorum.QuorumNode;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/** One {@code libvotequorum} handle: whether it tracks, and the context its notifications carry. */
final class VotequorumSession implements IpcSession {

	private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

	private final VotequorumIpcService service;

	private final IpcConnection connection;

	private boolean tracking;

	/** The client's context for notifications; read on the node's loop. */
	private volatile long context;

	VotequorumSession(VotequorumIpcService service, IpcConnection connection) {
		this.service = service;
		this.connection = connection;
	}

	@Override
	public void request(int id, ByteBuf message) {
		if (id < 0 || id >= VotequorumCodec.REQUEST_SIZES.length
				|| message.readableBytes() < VotequorumCodec.REQUEST_SIZES[id]) {
			this.connection.respond(IpcMessages.header(ALLOC, 0, CsError.INVALID_PARAM));
			return;
		}
		int base = message.readerIndex();
		long value = (message.readableBytes() >= VotequorumCodec.REQUEST_VALUE + 4)
				? Integer.toUnsignedLong(message.getIntLE(base + VotequorumCodec.REQUEST_VALUE)) : 0;
		switch (id) {
			case VotequorumCodec.REQ_GETINFO -> getinfo(value);
			case VotequorumCodec.REQ_SETEXPECTED -> answer(this.service.votequorum().setExpectedVotes(value));
			case VotequorumCodec.REQ_SETVOTES -> setVotes(
					Integer.toUnsignedLong(message.getIntLE(base + VotequorumCodec.SETVOTES_NODEID)), value);
			case VotequorumCodec.REQ_TRACKSTART -> trackStart(message.getLongLE(base + VotequorumCodec.TRACKSTART_CONTEXT),
					message.getIntLE(base + VotequorumCodec.TRACKSTART_FLAGS));
			case VotequorumCodec.REQ_TRACKSTOP -> {
				CsError error = this.tracking ? CsError.OK : CsError.NOT_EXIST;
				stopTracking();
				this.connection.respond(VotequorumCodec.status(ALLOC, error));
			}
			// this node never hosts a quorum device, so none can register; the others find none registered
			case VotequorumCodec.REQ_QDEVICE_REGISTER ->
				this.connection.respond(VotequorumCodec.status(ALLOC, CsError.NOT_SUPPORTED));
			default -> this.connection.respond(VotequorumCodec.status(ALLOC, CsError.NOT_EXIST));
		}
	}

	private void getinfo(long nodeid) {
		QuorumState state = this.service.votequorum().state();
		// node 0 is the quorum device's id, which asks about this node
		QuorumNode node = (state == null) ? null : state.nodeOrNull((nodeid == 0) ? state.nodeid() : nodeid);
		if (state == null || node == null) {
			ByteBuf response = IpcMessages.response(ALLOC, VotequorumCodec.RES_GETINFO, VotequorumCodec.GETINFO_SIZE,
					CsError.NOT_EXIST);
			this.connection.respond(IpcMessages.finish(response));
			return;
		}
		this.connection.respond(VotequorumCodec.getinfo(ALLOC, state, node));
	}

	private void setVotes(long nodeid, long votes) {
		QuorumState state = this.service.votequorum().state();
		if (nodeid == 0) {
			// Corosync sets the quorum device's votes here; this node has no device to give votes to
			this.connection.respond(VotequorumCodec.status(ALLOC, CsError.NOT_SUPPORTED));
			return;
		}
		if (state == null || state.nodeOrNull(nodeid) == null) {
			this.connection.respond(VotequorumCodec.status(ALLOC, CsError.NAME_NOT_FOUND));
			return;
		}
		answer(this.service.votequorum().setVotes(nodeid, votes));
	}

	/** Answers once votequorum took or refused the change: refused values are CS_ERR_INVALID_PARAM. */
	private void answer(CompletableFuture<Void> change) {
		change.whenComplete((done, failure) -> this.connection.respond(VotequorumCodec.status(ALLOC, error(failure))));
	}

	private static CsError error(@Nullable Throwable failure) {
		Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
		if (cause == null) {
			return CsError.OK;
		}
		return (cause instanceof IllegalArgumentException) ? CsError.INVALID_PARAM : CsError.LIBRARY;
	}

	private void trackStart(long requestContext, int flags) {
		if ((flags & (VotequorumCodec.TRACK_CURRENT | VotequorumCodec.TRACK_CHANGES)) != 0) {
			QuorumState state = this.service.votequorum().state();
			if (state != null) {
				send(VotequorumCodec.nodeListNotification(ALLOC, state, requestContext));
				send(VotequorumCodec.quorumNotification(ALLOC, state, requestContext));
			}
		}
		CsError error = CsError.OK;
		if (this.tracking) {
			error = CsError.EXIST;
		}
		else if ((flags & (VotequorumCodec.TRACK_CHANGES | VotequorumCodec.TRACK_CHANGES_ONLY)) != 0) {
			this.tracking = true;
			this.context = requestContext;
			this.service.trackers.add(this);
		}
		this.connection.respond(VotequorumCodec.status(ALLOC, error));
	}

	/** On the node's loop, like the two below. */
	void quorumChanged(QuorumState state) {
		send(VotequorumCodec.quorumNotification(ALLOC, state, this.context));
	}

	void nodeListChanged(QuorumState state) {
		send(VotequorumCodec.nodeListNotification(ALLOC, state, this.context));
	}

	void expectedVotesChanged(long expectedVotes) {
		send(VotequorumCodec.expectedVotesNotification(ALLOC, expectedVotes, this.context));
	}

	private void send(ByteBuf event) {
		if (!this.connection.event(event)) {
			this.service.trackers.remove(this);
		}
	}

	private void stopTracking() {
		this.tracking = false;
		this.service.trackers.remove(this);
	}

	@Override
	public void closed() {
		stopTracking();
	}

}
