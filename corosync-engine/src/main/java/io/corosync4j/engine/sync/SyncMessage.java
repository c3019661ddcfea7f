package io.corosync4j.engine.sync;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;

/**
 * The two sync messages ({@code struct req_exec_barrier_message}, 32 bytes, and
 * {@code struct req_exec_service_build_message}, 552 bytes): a 16-byte request header whose id is the
 * raw message number, the ring id at offset 16, and for service_build the count at 32 and up to 128
 * service ids from 40. Corosync never byte-swaps them, so they are read and written little-endian.
 *
 * @param type which message
 * @param ringId the ring being synchronized
 * @param services the sender's services (service_build only)
 */
record SyncMessage(Type type, RingId ringId, int[] services) {

	enum Type {

		BARRIER(0, 32), SERVICE_BUILD(1, 552);

		final int id;

		final int size;

		Type(int id, int size) {
			this.id = id;
			this.size = size;
		}

	}

	static final int MAX_SERVICES = 128;

	static SyncMessage barrier(RingId ringId) {
		return new SyncMessage(Type.BARRIER, ringId, new int[0]);
	}

	static SyncMessage serviceBuild(RingId ringId, int[] services) {
		if (services.length > MAX_SERVICES) {
			throw new IllegalArgumentException("at most " + MAX_SERVICES + " services, not " + services.length);
		}
		return new SyncMessage(Type.SERVICE_BUILD, ringId, services.clone());
	}

	byte[] encode() {
		ByteBuffer out = ByteBuffer.allocate(this.type.size).order(ByteOrder.LITTLE_ENDIAN);
		out.putInt(0, this.type.id);
		out.putInt(8, this.type.size);
		out.putInt(16, (int) this.ringId.rep());
		out.putLong(20, this.ringId.seq());
		if (this.type == Type.SERVICE_BUILD) {
			out.putInt(32, this.services.length);
			for (int i = 0; i < this.services.length; i++) {
				out.putInt(40 + 4 * i, this.services[i]);
			}
		}
		return out.array();
	}

	/** {@code null} for anything that is not a well-formed barrier or service_build. */
	static @Nullable SyncMessage decode(byte[] bytes) {
		if (bytes.length < 28) {
			return null;
		}
		ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		RingId ringId = new RingId(Integer.toUnsignedLong(in.getInt(16)), in.getLong(20));
		int id = in.getInt(0);
		if (id == Type.BARRIER.id) {
			return barrier(ringId);
		}
		if (id != Type.SERVICE_BUILD.id || bytes.length < 40) {
			return null;
		}
		int count = in.getInt(32);
		if (count < 0 || count > MAX_SERVICES || bytes.length < 40 + 4 * count) {
			return null;
		}
		int[] services = new int[count];
		for (int i = 0; i < count; i++) {
			services[i] = in.getInt(40 + 4 * i);
		}
		return new SyncMessage(Type.SERVICE_BUILD, ringId, services);
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof SyncMessage message) && this.type == message.type
				&& this.ringId.equals(message.ringId) && Arrays.equals(this.services, message.services);
	}

	@Override
	public int hashCode() {
		return this.ringId.hashCode() * 31 + Arrays.hashCode(this.services);
	}

	@Override
	public String toString() {
		return this.type + " " + this.ringId + ((this.type == Type.SERVICE_BUILD) ? " " + Arrays.toString(this.services) : "");
	}

}
