package io.corosync4j.engine.service.votequorum;

/** What votequorum knows of a node ({@code nodestate_t}; the codes are those of {@code votequorum_getinfo}). */
public enum NodeState {

	/** Sent its nodeinfo in the current ring. */
	MEMBER(1),

	/** Left the ring; its votes no longer count. */
	DEAD(2),

	/** Announced a clean shutdown with {@code allow_downscale}. */
	LEAVING(3);

	private final int code;

	NodeState(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

}
