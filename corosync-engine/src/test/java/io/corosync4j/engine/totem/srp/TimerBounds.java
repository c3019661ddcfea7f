package io.corosync4j.engine.totem.srp;

import io.corosync4j.engine.config.TotemTimers;

/**
 * How long the protocol may take, derived from its timers; the one place the simulation's liveness
 * checks and the formation tests take their limits from. Every bound is a sum of the timer waits the
 * protocol goes through on its slowest legitimate path plus a slack for the message exchanges, which
 * take a few network round trips (the simulated latency is below 1 ms).
 */
final class TimerBounds {

	/** Commit token (two rotations) and recovery (about four rotations), plus the join exchanges. */
	static final long EXCHANGE_SLACK_MS = 100;

	private TimerBounds() {
	}

	/**
	 * Fresh nodes started together form one ring: each first forms a ring of its own from its own
	 * join, the idle representative announces it after {@code merge} (re-armed once per {@code hold}
	 * when a token visit was missed), and the merge may need one consensus timeout when joins cross.
	 */
	static long formation(TotemTimers timers) {
		return timers.hold() + timers.merge() + timers.consensus() + 4 * timers.join() + EXCHANGE_SLACK_MS;
	}

	/**
	 * A member crashed: the token is lost after {@code token}, the silent member is marked failed at the
	 * consensus timeout, and the survivors commit in the next join round.
	 */
	static long failure(TotemTimers timers) {
		return timers.token() + timers.consensus() + 2 * timers.join() + EXCHANGE_SLACK_MS;
	}

	/**
	 * After every fault stopped (partitions healed, pauses over, loss gone), all live nodes are in one
	 * ring: a ring still waiting for a lost token first detects the loss ({@link #failure}), and
	 * separate rings find each other by merge detection ({@link #formation}); a merge that collides with
	 * a late failure detection may need one more consensus round.
	 */
	static long convergence(TotemTimers timers) {
		return failure(timers) + formation(timers) + timers.consensus();
	}

}
