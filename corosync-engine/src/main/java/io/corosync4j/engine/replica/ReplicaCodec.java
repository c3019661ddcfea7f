package io.corosync4j.engine.replica;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.replica.ReplicaMessage.Chunk;
import io.corosync4j.engine.replica.ReplicaMessage.Operation;
import io.corosync4j.engine.replica.ReplicaMessage.Settle;
import io.corosync4j.engine.replica.ReplicaMessage.SyncRequest;
import io.corosync4j.engine.replica.ReplicaMessage.Target;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads {@link ReplicaMessage}s: a version byte, a type byte, then the fields big-endian; an
 * operation's or a chunk's bytes run to the end of the message. Only corosync4j members read these, so
 * the format is ours; the version lets a later one refuse it cleanly.
 */
final class ReplicaCodec {

	static final int VERSION = 1;

	private static final int OPERATION = 1;

	private static final int SETTLE = 2;

	private static final int SYNC_REQUEST = 3;

	private static final int CHUNK = 4;

	/** More targets than any group has members: a chunk naming more is malformed. */
	private static final int MAX_TARGETS = 65_536;

	private static final int TARGET_BYTES = 24;

	private ReplicaCodec() {
	}

	static byte[] encode(ReplicaMessage message) {
		if (message instanceof Operation operation) {
			byte[] payload = operation.payload();
			ByteBuffer out = header(payload.length, OPERATION);
			return out.put(payload).array();
		}
		if (message instanceof Settle settle) {
			return header(24, SETTLE).putLong(settle.view()).putLong(settle.confirmed()).putLong(settle.digest()).array();
		}
		if (message instanceof SyncRequest request) {
			return header(40, SYNC_REQUEST).putLong(request.nonce())
				.putLong(request.view())
				.putLong(request.floor())
				.putLong(request.retained())
				.putLong(request.retainedDigest())
				.array();
		}
		Chunk chunk = (Chunk) message;
		ByteBuffer out = header(8 + 4 + 1 + 4 + chunk.targets().size() * TARGET_BYTES + chunk.data().length, CHUNK);
		out.putLong(chunk.transfer()).putInt(chunk.index()).put((byte) (chunk.last() ? 1 : 0));
		out.putInt(chunk.targets().size());
		for (Target target : chunk.targets()) {
			out.putLong(target.member().nodeid()).putLong(target.member().pid()).putLong(target.nonce());
		}
		return out.put(chunk.data()).array();
	}

	/** The message, or {@code null} if it is not one this version reads. */
	static @Nullable ReplicaMessage decode(byte[] bytes) {
		try {
			ByteBuffer in = ByteBuffer.wrap(bytes);
			if (in.get() != VERSION) {
				return null;
			}
			int type = in.get();
			if (type == OPERATION) {
				return new Operation(rest(in));
			}
			if (type == SETTLE) {
				return exactly(in, new Settle(in.getLong(), in.getLong(), in.getLong()));
			}
			if (type == SYNC_REQUEST) {
				return exactly(in, new SyncRequest(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong()));
			}
			if (type == CHUNK) {
				long transfer = in.getLong();
				int index = in.getInt();
				int last = in.get();
				int count = in.getInt();
				if (index < 0 || (last & ~1) != 0 || count < 1 || count > MAX_TARGETS
						|| (long) count * TARGET_BYTES > in.remaining()) {
					return null;
				}
				List<Target> targets = new ArrayList<>(count);
				for (int i = 0; i < count; i++) {
					targets.add(new Target(new Member(in.getLong(), in.getLong()), in.getLong()));
				}
				return new Chunk(transfer, index, last == 1, List.copyOf(targets), rest(in));
			}
			return null;
		}
		catch (BufferUnderflowException truncated) {
			return null;
		}
	}

	private static ByteBuffer header(int length, int type) {
		return ByteBuffer.allocate(2 + length).put((byte) VERSION).put((byte) type);
	}

	private static byte[] rest(ByteBuffer in) {
		byte[] rest = new byte[in.remaining()];
		in.get(rest);
		return rest;
	}

	private static @Nullable ReplicaMessage exactly(ByteBuffer in, ReplicaMessage message) {
		return in.hasRemaining() ? null : message;
	}

}
