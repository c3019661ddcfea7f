package io.corosync4j.engine.sam;

/** What SAM does with a component that failed ({@code SAM_RECOVERY_POLICY_*}). */
public enum SamPolicy {

	/** Give up on it: the component is quit and stays failed. */
	QUIT,

	/** Restart it: a new instance, with the instance id one higher and the stored data kept. */
	RESTART

}
