package io.corosync4j.engine.servicegroup;

import io.corosync4j.engine.sam.SamComponent;

/**
 * SAM recovery that escalates to a service group. SAM alone restarts a component whose health check
 * fails, and the component is out of service until the new instance is back; with this recovery the
 * component's unit fails first, so its group's standby takes over at once, and once the restart
 * returned the unit is repaired, a standby from then on. A component SAM gives up on (policy QUIT) leaves
 * its unit failed. The restart runs on the service group's callback thread, after the failure was applied
 * (or refused).
 */
public final class SamEscalation implements SamComponent.Recovery {

	private final ServiceUnit unit;

	private final SamComponent.Recovery recovery;

	private SamEscalation(ServiceUnit unit, SamComponent.Recovery recovery) {
		this.unit = unit;
		this.recovery = recovery;
	}

	/**
	 * {@code recovery}, with {@code unit} failed before it (and repaired after a restart). Pass it to
	 * {@code Sam.register}.
	 */
	public static SamComponent.Recovery failingOver(ServiceUnit unit, SamComponent.Recovery recovery) {
		return new SamEscalation(unit, recovery);
	}

	@Override
	public void warn() {
		this.recovery.warn();
	}

	@Override
	public void restart(int newInstanceId) {
		// the group fails over whatever the outcome (outside the primary component there is nothing to hand over)
		this.unit.fail("SAM restarts the component as instance " + newInstanceId).whenComplete((done, failure) -> {
			this.recovery.restart(newInstanceId);
			this.unit.repair();
		});
	}

	@Override
	public void quit() {
		this.unit.fail("SAM gave up on the component");
		this.recovery.quit();
	}

}
