package io.corosync4j.engine.ipc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * An {@link IpcConnection} for unit tests of a service's session: keeps every response and event as
 * bytes, runs the loop's tasks at once.
 */
public final class RecordingConnection implements IpcConnection {

	public final List<byte[]> responses = new ArrayList<>();

	public final List<byte[]> events = new ArrayList<>();

	public boolean open = true;

	/** Every {@link #holdMulticasts} call, in order. */
	public final List<Boolean> multicastHolds = new ArrayList<>();

	/** Events beyond this many are refused and disconnect, as a full queue does. */
	public int eventCapacity = Integer.MAX_VALUE;

	private final String service;

	private final long pid;

	public RecordingConnection(String service, long pid) {
		this.service = service;
		this.pid = pid;
	}

	@Override
	public long pid() {
		return this.pid;
	}

	@Override
	public int uid() {
		return 0;
	}

	@Override
	public int gid() {
		return 0;
	}

	@Override
	public String service() {
		return this.service;
	}

	@Override
	public synchronized void respond(ByteBuf response) {
		try {
			this.responses.add(ByteBufUtil.getBytes(response));
		}
		finally {
			response.release();
		}
	}

	@Override
	public synchronized boolean event(ByteBuf event) {
		try {
			if (!this.open || this.events.size() >= this.eventCapacity) {
				this.open = false;
				return false;
			}
			this.events.add(ByteBufUtil.getBytes(event));
			return true;
		}
		finally {
			event.release();
		}
	}

	@Override
	public synchronized void holdMulticasts(boolean hold) {
		this.multicastHolds.add(hold);
	}

	@Override
	public synchronized void disconnect() {
		this.open = false;
	}

	@Override
	public Executor loop() {
		return Runnable::run;
	}

	@Override
	public synchronized boolean isOpen() {
		return this.open;
	}

}
