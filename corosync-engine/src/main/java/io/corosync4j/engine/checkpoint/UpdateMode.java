package io.corosync4j.engine.checkpoint;

/** When a write to a checkpoint completes; chosen when the checkpoint is created. */
public enum UpdateMode {

	/**
	 * Once every member holding the state applied it and it is stable: every member of the ring holds
	 * it ({@code SA_CKPT_WR_ALL_REPLICAS}). A completed write survives the failure of any node.
	 */
	SYNCHRONOUS,

	/**
	 * Once this member applied it in agreed order ({@code SA_CKPT_WR_ACTIVE_REPLICA_WEAK}): faster by a
	 * token rotation or two, but a failure right after may lose it. {@link Checkpoint#synchronize()}
	 * waits until everything written before it is stable.
	 */
	ASYNCHRONOUS

}
