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
	 * Consensus rounds a merge may lose after the faults stop. Nodes that come from different rings
	 * take failure verdicts only from their own ring's members, so two groups can hold crossed failed
	 * lists; neither can agree with the other until the consensus timeout splits them, and when those
	 * timeouts expire together the next merge can cross again. Corosync has the same rules. Of 10,000
	 * seeded runs one needed five rounds (MIXED seed 901: one ring 33 s after the heal with Corosync's
	 * default timers for six nodes).
	 */
	static final int LOST_CONSENSUS_ROUNDS = 5;

	/**
	 * After every fault stopped (partitions healed, pauses over, loss gone), all live nodes are in one
	 * ring: a ring still waiting for a lost token first detects the loss ({@link #failure}), separate
	 * rings find each other by merge detection ({@link #formation}), and a merge may lose up to
	 * {@link #LOST_CONSENSUS_ROUNDS} consensus rounds to crossed failure verdicts.
	 */
	static long convergence(TotemTimers timers) {
		return failure(timers) + formation(timers) + LOST_CONSENSUS_ROUNDS * timers.consensus();
	}

}
