/**
 * Distributed locks (the AIS LCK service) built on CPG: every member of the lock group applies lock
 * requests, releases and membership changes in agreed order to the same {@link LockTable}, so all
 * members grant the same locks at the same point of the order. Only the primary (quorate) component
 * grants; a member outside it drops its locks and learns the table again by state transfer.
 */
@NullMarked
package io.corosync4j.engine.lock;

import org.jspecify.annotations.NullMarked;
