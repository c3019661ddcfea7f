package io.corosync4j.spring.servicegroup;

import io.corosync4j.engine.servicegroup.ChangeReason;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.StateChange;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * Published at every change of the state of a unit registered through {@link CorosyncServiceGroups}
 * (the units of {@link ActiveStandbyService} beans and of Spring Integration candidates among them),
 * after the unit's own callbacks ran. Published on the service's callback thread, one at a time in the
 * order the changes happened; never on the node's event loop, so a listener may block, at the cost of
 * delaying the unit's next change.
 */
public class ServiceUnitStateChangedEvent extends ApplicationEvent {

	private final @Nullable ServiceUnit unit;

	private final ServiceUnitState previousState;

	private final ServiceUnitState state;

	private final StateChange change;

	public ServiceUnitStateChangedEvent(Object source, @Nullable ServiceUnit unit, ServiceUnitState previousState,
			ServiceUnitState state, StateChange change) {
		super(source);
		this.unit = unit;
		this.previousState = previousState;
		this.state = state;
		this.change = change;
	}

	/** The service group the unit belongs to. */
	public String getGroup() {
		return this.change.group();
	}

	/**
	 * The unit, to {@link ServiceUnit#fail fail}, {@link ServiceUnit#switchover() switch over} or
	 * {@link ServiceUnit#withdraw() withdraw} it; {@code null} only for a change told before the
	 * registration returned.
	 */
	public @Nullable ServiceUnit getUnit() {
		return this.unit;
	}

	public ServiceUnitState getPreviousState() {
		return this.previousState;
	}

	public ServiceUnitState getState() {
		return this.state;
	}

	/** Why the state changed. */
	public ChangeReason getReason() {
		return this.change.reason();
	}

	/** The change as the unit's listener heard it: reason, previous active, assignment number, quiesce future. */
	public StateChange getChange() {
		return this.change;
	}

	@Override
	public String toString() {
		return getGroup() + ": " + this.previousState + " -> " + this.state + " (" + this.change + ")";
	}

}
