package io.corosync4j.engine.servicegroup;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.replica.Member;
import org.jspecify.annotations.Nullable;

/**
 * The context of one state change of a service unit.
 */
public final class StateChange {

	private final String group;

	private final ChangeReason reason;

	private final @Nullable Member previousActive;

	private final long assignment;

	private final String detail;

	private final CompletableFuture<@Nullable Void> quiesced;

	StateChange(String group, ChangeReason reason, @Nullable Member previousActive, long assignment, String detail,
			CompletableFuture<@Nullable Void> quiesced) {
		this.group = group;
		this.reason = reason;
		this.previousActive = previousActive;
		this.assignment = assignment;
		this.detail = detail;
		this.quiesced = quiesced;
	}

	public String group() {
		return this.group;
	}

	public ChangeReason reason() {
		return this.reason;
	}

	/**
	 * The process that was the group's active unit before this change made another one active (on a
	 * failover or switchover); empty when there was none, or for changes that make no unit active.
	 */
	public Optional<Member> previousActive() {
		return Optional.ofNullable(this.previousActive);
	}

	/**
	 * The number of the assignment that made the unit active, for {@link ServiceUnitState#ACTIVE}: greater
	 * than that of every earlier assignment of the group, so it can fence writes as a lock's fencing token
	 * does (let the store refuse a number lower than the highest it saw). 0 for other states.
	 */
	public long assignment() {
		return this.assignment;
	}

	/** Why, in words, where there is more to say: the failure a unit reported, or that quiescing timed out. */
	public String detail() {
		return this.detail;
	}

	/**
	 * For {@link ServiceUnitState#QUIESCING}: complete it (with anything) once the unit stopped its work and
	 * wrote its last checkpoint. Already complete for every other change.
	 */
	public CompletableFuture<@Nullable Void> quiesced() {
		return this.quiesced;
	}

	@Override
	public String toString() {
		return this.reason + ((this.previousActive != null) ? " after " + this.previousActive : "")
				+ ((this.assignment != 0) ? " #" + this.assignment : "") + (this.detail.isEmpty() ? "" : ": " + this.detail);
	}

}
