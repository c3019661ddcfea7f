package io.corosync4j.engine.checkpoint;

import java.time.Instant;
import java.util.Objects;

/**
 * Which sections {@link Checkpoint#sections(SectionFilter)} lists. As in AIS, a section without an
 * expiration expires at the end of time: {@link #expiringAfter} lists it, {@link #expiringBefore} does not.
 *
 * @param kind what to compare
 * @param millis the time compared with, in epoch milliseconds (unused by {@link Kind#ANY} and {@link Kind#FOREVER})
 */
public record SectionFilter(Kind kind, long millis) {

	/** What a filter compares. */
	public enum Kind {

		/** Every section ({@code SA_CKPT_SECTIONS_ANY}). */
		ANY,

		/** Sections without an expiration ({@code SA_CKPT_SECTIONS_FOREVER}). */
		FOREVER,

		/** Sections expiring at or before the time ({@code SA_CKPT_SECTIONS_LEQ_EXPIRATION_TIME}). */
		EXPIRING_BEFORE,

		/** Sections expiring at or after the time, and those that never do ({@code SA_CKPT_SECTIONS_GEQ_EXPIRATION_TIME}). */
		EXPIRING_AFTER

	}

	public SectionFilter {
		Objects.requireNonNull(kind, "kind");
	}

	public static SectionFilter any() {
		return new SectionFilter(Kind.ANY, 0);
	}

	public static SectionFilter forever() {
		return new SectionFilter(Kind.FOREVER, 0);
	}

	public static SectionFilter expiringBefore(Instant time) {
		return new SectionFilter(Kind.EXPIRING_BEFORE, time.toEpochMilli());
	}

	public static SectionFilter expiringAfter(Instant time) {
		return new SectionFilter(Kind.EXPIRING_AFTER, time.toEpochMilli());
	}

	/** Whether a section expiring at {@code expiration} ({@link CheckpointState#NEVER} for none) passes. */
	boolean accepts(long expiration) {
		return switch (this.kind) {
			case ANY -> true;
			case FOREVER -> expiration == CheckpointState.NEVER;
			case EXPIRING_BEFORE -> expiration != CheckpointState.NEVER && expiration <= this.millis;
			case EXPIRING_AFTER -> expiration >= this.millis;
		};
	}

}
