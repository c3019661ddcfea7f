package io.corosync4j.spring.cpg;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * For replicated state: a member whose listener cannot apply a message the others applied leaves the
 * group (every member sees it go at one point of the order) and joins again as a new member, which
 * takes a state transfer as any new member does (a {@link CpgMembershipListener} sees the join). Until
 * its leave is delivered its listeners still get the group's messages.
 */
public class RejoinCpgRecoverer implements CpgRecoverer {

	private static final Logger logger = LoggerFactory.getLogger(RejoinCpgRecoverer.class);

	private final Supplier<CpgListenerEndpointRegistry> registry;

	/** @param registry the groups (looked up when a message fails, so the registry may use this recoverer) */
	public RejoinCpgRecoverer(Supplier<CpgListenerEndpointRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void recover(String group, Message<?> message, Throwable error) {
		logger.error("A CPG listener of group '{}' failed on a message from node {}; this member leaves the group "
				+ "and joins again as a new member", group, message.getHeaders().get(CpgHeaders.NODE_ID), error);
		this.registry.get().leaveAndRejoin(group);
	}

}
