/**
 * The node's {@code quorum} IPC service, as Corosync's {@code vsf_quorum} answers {@code libquorum}: whether
 * the partition is quorate, the quorum provider, and the quorum and node-list notifications of tracking
 * clients.
 */
@NullMarked
package io.corosync4j.engine.ipc.quorum;

import org.jspecify.annotations.NullMarked;
