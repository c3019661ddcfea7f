package io.corosync4j.engine.replica;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The part of a {@link ReplicatedService}'s state machine every service writes alike: decoding an
 * operation (one that cannot be read is counted and dropped, the same on every member, which got the
 * same bytes), telling this member what its own operations gave, forgetting what a departed process held,
 * telling the settles and losses of the state, and the counters the service's timers and tests read.
 * Recoverable: the services built on it hold data (checkpoints, retained events, queued messages), worth
 * more than a fresh start after quorum went everywhere.
 *
 * @param <P> the service's operation
 * @param <R> what applying an operation gives
 */
public abstract class ServiceState<P, R> implements ReplicatedState {

	/** What the state tells its member, on the event loop. */
	public interface Listener<R> {

		/** One of this member's operations was applied, with what it gave. */
		void applied(long request, R outcome);

		/** A change settled, or the coordinator changed between settles; {@code coordinator}: this member is it. */
		void settled(boolean coordinator);

		/** This member dropped the state. */
		void lost();

	}

	protected final ReplicaView view;

	private final Listener<R> listener;

	private long timerChanges;

	private long malformed;

	private long freshStarts;

	protected ServiceState(ReplicaView view, Listener<R> listener) {
		this.view = view;
		this.listener = listener;
	}

	// ---------------------------------------------------------------------------------------------
	// What a service's state supplies

	/** The operation these bytes encode, or {@code null} if they encode none. */
	protected abstract @Nullable P decode(byte[] operation);

	/** The request number of an operation; 0 for one a timer sent. */
	protected abstract long request(P operation);

	/** Applies an operation of {@code from}, a member holding the state. */
	protected abstract R apply(Member from, P operation);

	/** A process left the group, or its member dropped the state: what it held (handles, consumers) goes. */
	protected abstract void memberGone(Member member);

	/** Empties the state. */
	protected abstract void clear();

	/** After an empty state was started above {@code floor}. */
	protected void startedFresh(long floor) {
	}

	// ---------------------------------------------------------------------------------------------
	// ReplicatedState

	@Override
	public final void apply(Member from, byte[] operation) {
		P decoded = decode(operation);
		if (decoded == null) {
			this.malformed++;
			return;
		}
		R outcome = apply(from, decoded);
		long request = request(decoded);
		if (from.equals(this.view.self()) && request != 0) {
			this.listener.applied(request, outcome);
		}
	}

	@Override
	public void membersChanged(List<Member> members, List<Member> left, Set<Member> nodesDown) {
		for (Member member : left) {
			memberGone(member);
		}
	}

	@Override
	public void memberDropped(Member member) {
		memberGone(member);
	}

	@Override
	public void settled(boolean coordinator) {
		this.listener.settled(coordinator);
	}

	@Override
	public final void coordinatorChanged(boolean coordinator) {
		this.listener.settled(coordinator);
	}

	@Override
	public final boolean recoverable() {
		return true;
	}

	@Override
	public void lost() {
		clear();
		this.listener.lost();
	}

	@Override
	public final void startFresh(long floor) {
		clear();
		startedFresh(floor);
		this.freshStarts++;
	}

	// ---------------------------------------------------------------------------------------------

	/** What the coordinator's timers time changed: they are armed again after this event. */
	protected final void timersChanged() {
		this.timerChanges++;
	}

	/** Bumped whenever what the coordinator's timers time changes. */
	public final long timerChanges() {
		return this.timerChanges;
	}

	/** Operations that could not be read, dropped. */
	public final long malformed() {
		return this.malformed;
	}

	/** Times this member started an empty state with the others (nobody held one). */
	public final long freshStarts() {
		return this.freshStarts;
	}

}
