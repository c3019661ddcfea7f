package io.corosync4j.engine.ipc.quorum;

import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcMessages;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.ipc.quorum.QuorumCodec.NodeListView;
import io.corosync4j.engine.ipc.quorum.QuorumCodec.QuorumView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import static io.corosync4j.engine.ipc.quorum.QuorumCodec.MODEL_V0;
import static io.corosync4j.engine.ipc.quorum.QuorumCodec.MODEL_V1;

/** One {@code libquorum} handle: its model (0 until it asks for another) and whether it tracks. */
final class QuorumSession implements IpcSession {

	/** The smallest request of each id: the request header, or its struct. */
	private static final int[] REQUEST_SIZES = { IpcMessages.REQUEST_HEADER_SIZE, QuorumCodec.TRACKSTART_SIZE,
			IpcMessages.REQUEST_HEADER_SIZE, IpcMessages.REQUEST_HEADER_SIZE, QuorumCodec.MODEL_GETTYPE_SIZE };

	private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

	private final QuorumIpcService service;

	private final IpcConnection connection;

	/** Read on the node's loop for notifications. */
	private volatile int model = MODEL_V0;

	private boolean tracking;

	QuorumSession(QuorumIpcService service, IpcConnection connection) {
		this.service = service;
		this.connection = connection;
	}

	@Override
	public void request(int id, ByteBuf message) {
		if (id < 0 || id >= QuorumCodec.REQUEST_COUNT || message.readableBytes() < REQUEST_SIZES[id]) {
			this.connection.respond(IpcMessages.header(ALLOC, 0, CsError.INVALID_PARAM));
			return;
		}
		int base = message.readerIndex();
		switch (id) {
			case QuorumCodec.REQ_GETQUORATE -> this.connection.respond(QuorumCodec.value(ALLOC,
					QuorumCodec.RES_GETQUORATE, CsError.OK, this.service.view().quorate() ? 1 : 0));
			case QuorumCodec.REQ_TRACKSTART -> trackStart(message.getIntLE(base + QuorumCodec.TRACKSTART_FLAGS));
			case QuorumCodec.REQ_TRACKSTOP -> {
				stopTracking();
				// Corosync answers CS_OK even when the handle was not tracking
				this.connection.respond(IpcMessages.header(ALLOC, QuorumCodec.RES_TRACKSTOP, CsError.OK));
			}
			case QuorumCodec.REQ_GETTYPE -> this.connection.respond(
					QuorumCodec.value(ALLOC, QuorumCodec.RES_GETTYPE, CsError.OK, this.service.quorumType()));
			default -> {
				int requested = message.getIntLE(base + QuorumCodec.MODEL_GETTYPE_MODEL);
				CsError error = CsError.OK;
				if (requested == MODEL_V0 || requested == MODEL_V1) {
					this.model = requested;
				}
				else {
					error = CsError.INVALID_PARAM;
				}
				this.connection.respond(QuorumCodec.value(ALLOC, QuorumCodec.RES_MODEL_GETTYPE, error,
						this.service.quorumType()));
			}
		}
	}

	private void trackStart(int flags) {
		if ((flags & (QuorumCodec.TRACK_CURRENT | QuorumCodec.TRACK_CHANGES)) != 0) {
			if (this.model == MODEL_V1) {
				send(QuorumCodec.nodeList(ALLOC, this.service.currentNodeList(), false));
			}
			send(quorumEvent(this.service.view()));
		}
		CsError error = CsError.OK;
		if (this.tracking) {
			error = CsError.EXIST;
		}
		else if ((flags & (QuorumCodec.TRACK_CHANGES | QuorumCodec.TRACK_CHANGES_ONLY)) != 0) {
			this.tracking = true;
			this.service.trackers.add(this);
		}
		this.connection.respond(IpcMessages.header(ALLOC, QuorumCodec.RES_TRACKSTART, error));
	}

	/** A quorum notification for a tracking client; on the node's loop. */
	void quorumChanged(QuorumView view) {
		send(quorumEvent(view));
	}

	/** A synchronized ring for a tracking client; only model 1 hears of it. On the node's loop. */
	void nodeListChanged(NodeListView nodeList) {
		if (this.model == MODEL_V1) {
			send(QuorumCodec.nodeList(ALLOC, nodeList, true));
		}
	}

	private ByteBuf quorumEvent(QuorumView view) {
		return (this.model == MODEL_V1) ? QuorumCodec.notificationV1(ALLOC, view)
				: QuorumCodec.notificationV0(ALLOC, view);
	}

	private void send(ByteBuf event) {
		if (!this.connection.event(event)) {
			// the client is being disconnected for not reading its events
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
