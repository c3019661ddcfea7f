/**
 * The node's {@code votequorum} IPC service, as Corosync's votequorum answers {@code libvotequorum}: node
 * information, expected votes and votes, the quorum, expected-votes and node-list notifications, and the
 * quorum device requests of a node that never hosts a device.
 */
@NullMarked
package io.corosync4j.engine.ipc.votequorum;

import org.jspecify.annotations.NullMarked;
