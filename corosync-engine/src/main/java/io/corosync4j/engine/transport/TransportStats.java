package io.corosync4j.engine.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport's counters, readable from any thread. Names follow what {@code corosync-cfgtool} and
 * {@code stats.*} report where Corosync has an equivalent.
 */
public final class TransportStats {

	final AtomicLong packetsSent = new AtomicLong();

	final AtomicLong bytesSent = new AtomicLong();

	final AtomicLong packetsReceived = new AtomicLong();

	final AtomicLong bytesReceived = new AtomicLong();

	final AtomicLong sendErrors = new AtomicLong();

	final AtomicLong blockedUnlisted = new AtomicLong();

	final AtomicLong discarded = new AtomicLong();

	private final String description;

	TransportStats(String description) {
		this.description = description;
	}

	public long packetsSent() {
		return this.packetsSent.get();
	}

	public long bytesSent() {
		return this.bytesSent.get();
	}

	public long packetsReceived() {
		return this.packetsReceived.get();
	}

	public long bytesReceived() {
		return this.bytesReceived.get();
	}

	/** Datagrams the operating system refused to send. */
	public long sendErrors() {
		return this.sendErrors.get();
	}

	/** Datagrams from addresses outside the nodelist, dropped with {@code block_unlisted_ips}. */
	public long blockedUnlisted() {
		return this.blockedUnlisted.get();
	}

	/** Datagrams thrown away after a process pause. */
	public long discarded() {
		return this.discarded.get();
	}

	/** One line per link, like {@code corosync-cfgtool -s}: the bound address and its status. */
	public String describe() {
		return this.description;
	}

	@Override
	public String toString() {
		return this.description + " sent " + packetsSent() + " (" + bytesSent() + " B), received " + packetsReceived()
				+ " (" + bytesReceived() + " B), send errors " + sendErrors() + ", blocked " + blockedUnlisted()
				+ ", discarded " + discarded();
	}

}
