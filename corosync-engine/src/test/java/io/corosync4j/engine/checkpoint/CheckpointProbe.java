package io.corosync4j.engine.checkpoint;

import java.util.List;

import io.corosync4j.engine.replica.Retention;
import org.jspecify.annotations.Nullable;

/**
 * What tests in other packages (the simulation) read of a service's replica, on its event loop: a
 * canonical dump to compare members with, a section's data, and the timers' inputs.
 */
public final class CheckpointProbe {

	private CheckpointProbe() {
	}

	/** The whole replica as text, equal on two members exactly when their replicas are; empty without a state. */
	public static String dump(CheckpointService service) {
		CheckpointState state = service.state();
		return (state != null && service.holdsState()) ? state.dump() : "";
	}

	public static byte @Nullable [] section(CheckpointService service, String checkpoint, SectionId id) {
		CheckpointState state = service.state();
		return (state != null) ? state.sectionData(checkpoint, id) : null;
	}

	/** The names of the linked checkpoints without openers. */
	public static List<String> idle(CheckpointService service) {
		CheckpointState state = service.state();
		return (state != null) ? state.idle().stream().map(Retention::name).toList() : List.of();
	}

	/** The soonest expiration of a section in the replica, {@code Long.MAX_VALUE} for none. */
	public static long nextExpiration(CheckpointService service) {
		CheckpointState state = service.state();
		return (state != null) ? state.nextExpiration() : Long.MAX_VALUE;
	}

	/** Times the service's state started empty with the others'. */
	public static long freshStarts(CheckpointService service) {
		CheckpointState state = service.state();
		return (state != null) ? state.freshStarts() : 0;
	}

	/** The group as this member sees it: members, whether it holds the state, whether the last change settled. */
	public static String group(CheckpointService service) {
		var group = service.group();
		var view = (group != null) ? group.view() : null;
		return (view == null) ? "(not joined)" : "members " + view.members() + " holds " + view.holdsState()
				+ " settled " + view.settled() + " coordinator " + view.coordinator();
	}

	/** Whether the service's member sends or receives the state now. */
	public static boolean transferring(CheckpointService service) {
		var group = service.group();
		return group != null && group.transferring();
	}

	public static long totalBytes(CheckpointService service) {
		CheckpointState state = service.state();
		return (state != null) ? state.totalBytes() : 0;
	}

}
