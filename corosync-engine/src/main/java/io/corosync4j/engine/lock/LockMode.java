package io.corosync4j.engine.lock;

/** How a lock is held ({@code SaLckLockModeT}). */
public enum LockMode {

	/** Protected read ({@code SA_LCK_PR_LOCK_MODE}): any number of shared holders at once. */
	SHARED(1),

	/** Exclusive ({@code SA_LCK_EX_LOCK_MODE}): one holder and nobody else. */
	EXCLUSIVE(2);

	final int code;

	LockMode(int code) {
		this.code = code;
	}

	static LockMode of(int code) {
		return switch (code) {
			case 1 -> SHARED;
			case 2 -> EXCLUSIVE;
			default -> throw new IllegalArgumentException("unknown lock mode " + code);
		};
	}

	boolean compatibleWith(LockMode other) {
		return this == SHARED && other == SHARED;
	}

}
