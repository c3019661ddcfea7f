package io.corosync4j.engine.totem.srp;

/**
 * Where the protocol's timers live. The node's event loop implements it in production and a virtual
 * clock in simulation; either way an expired timer comes back as {@link TotemSrp#onTimer} on the
 * protocol's own thread, and a cancelled or replaced timer never does.
 */
public interface Scheduler {

	/** Arms {@code timer} to fire after {@code delayNanos}, replacing a pending one of the same kind. */
	void schedule(SrpTimer timer, long delayNanos);

	/** Cancels {@code timer} if it is pending. */
	void cancel(SrpTimer timer);

}
