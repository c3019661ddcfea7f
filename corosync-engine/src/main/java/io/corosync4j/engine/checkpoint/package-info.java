/**
 * Checkpoints (the AIS CKPT service) on the replicated-state layer: named, size-limited sets of byte
 * sections that outlive the processes writing them. Every member of the CPG group
 * {@value io.corosync4j.engine.checkpoint.CheckpointService#GROUP_NAME} holds every checkpoint (full
 * replication) in a {@link io.corosync4j.engine.checkpoint.CheckpointState} that applies the same
 * operations in agreed order; only the primary component holds state, and a member that joins receives
 * it by the replica layer's chunked transfer.
 */
@NullMarked
package io.corosync4j.engine.checkpoint;

import org.jspecify.annotations.NullMarked;
