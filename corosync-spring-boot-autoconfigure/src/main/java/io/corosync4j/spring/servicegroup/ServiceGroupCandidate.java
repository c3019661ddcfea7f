package io.corosync4j.spring.servicegroup;

import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import org.springframework.integration.leader.Candidate;

/**
 * A Spring Integration {@link Candidate} that chooses its service unit's rank (or grace period, or
 * quiesce timeout): without it, a candidate's unit has the rank of
 * {@code corosync.service-group.default-rank}, the same for every group of the process.
 */
public interface ServiceGroupCandidate extends Candidate {

	/**
	 * The unit's spec; {@code defaults} has the role as its group and the properties' rank, grace period
	 * and quiesce timeout. The group must stay the role.
	 */
	default ServiceUnitSpec getServiceUnitSpec(ServiceUnitSpec defaults) {
		return defaults;
	}

}
