package io.corosync4j.spring.cpg;

import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import org.springframework.context.ApplicationEvent;

/**
 * Published when the membership of a CPG group this application is in changes: the same change a
 * {@link CpgMembershipListener} gets, at the same point of the group's order, on the group's listener
 * thread after the group's membership listeners (so after every message delivered before it and
 * before any delivered after it).
 */
public class CpgGroupChangedEvent extends ApplicationEvent {

	private final String group;

	private final CpgConfigurationChange change;

	public CpgGroupChangedEvent(Object source, String group, CpgConfigurationChange change) {
		super(source);
		this.group = group;
		this.change = change;
	}

	/** The group's name. */
	public String getGroup() {
		return this.group;
	}

	/** The members after the change, who left and who joined (with the reason). */
	public CpgConfigurationChange getChange() {
		return this.change;
	}

}
