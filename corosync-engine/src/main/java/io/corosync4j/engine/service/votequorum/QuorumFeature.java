package io.corosync4j.engine.service.votequorum;

/** The votequorum features in effect, as {@code corosync-quorumtool -s} lists them under "Flags". */
public enum QuorumFeature {

	TWO_NODE("2Node"),

	WAIT_FOR_ALL("WaitForAll"),

	LAST_MAN_STANDING("LastManStanding"),

	AUTO_TIE_BREAKER("AutoTieBreaker"),

	ALLOW_DOWNSCALE("AllowDownscale");

	private final String label;

	QuorumFeature(String label) {
		this.label = label;
	}

	/** The name {@code corosync-quorumtool} prints. */
	public String label() {
		return this.label;
	}

}
