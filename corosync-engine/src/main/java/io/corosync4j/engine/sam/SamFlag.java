package io.corosync4j.engine.sam;

/** Optional behaviours of a component ({@code SAM_RECOVERY_POLICY_QUORUM}, {@code _CMAP}). */
public enum SamFlag {

	/** {@code start()} waits until the partition is quorate; losing quorum while started counts as a failure. */
	QUORUM,

	/** The component's state is published in CMAP under {@code resources.process.<name>.*}. */
	CMAP

}
