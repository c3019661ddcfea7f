package io.corosync4j.engine.event;

import java.util.List;

/**
 * What tests in other packages (the simulation) read of a service's replica, on its event loop: a
 * canonical dump to compare members with, the retained events, and where the order has reached.
 */
public final class EventProbe {

	private EventProbe() {
	}

	/** The whole replica as text, equal on two members exactly when their replicas are; empty without a state. */
	public static String dump(EventService service) {
		EventState state = service.state();
		return (state != null && service.holdsState()) ? state.dump() : "";
	}

	/** The id the next publication gets. */
	public static long nextEvent(EventService service) {
		EventState state = service.state();
		return (state != null) ? state.nextEvent() : 0;
	}

	/** The ids of the retained events, in order. */
	public static List<Long> retained(EventService service) {
		EventState state = service.state();
		return (state != null) ? state.retained() : List.of();
	}

	/** The soonest end of a retention, {@code Long.MAX_VALUE} for none. */
	public static long nextExpiration(EventService service) {
		EventState state = service.state();
		return (state != null) ? state.nextExpiration() : Long.MAX_VALUE;
	}

	public static long freshStarts(EventService service) {
		EventState state = service.state();
		return (state != null) ? state.freshStarts() : 0;
	}

	/** The group as this member sees it. */
	public static String group(EventService service) {
		var group = service.group();
		var view = (group != null) ? group.view() : null;
		return (view == null) ? "(not joined)" : "members " + view.members() + " holds " + view.holdsState()
				+ " settled " + view.settled() + " coordinator " + view.coordinator();
	}

}
