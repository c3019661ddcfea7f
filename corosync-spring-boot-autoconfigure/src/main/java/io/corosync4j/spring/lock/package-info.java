/**
 * Distributed locks for Spring applications: a Spring Integration
 * {@link org.springframework.integration.support.locks.LockRegistry} on the node's lock service, which
 * also serves {@code LockRegistryLeaderInitiator} for leader election.
 */
@NullMarked
package io.corosync4j.spring.lock;

import org.jspecify.annotations.NullMarked;
