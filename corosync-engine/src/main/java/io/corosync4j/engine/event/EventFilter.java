package io.corosync4j.engine.event;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One filter of a subscription: filter {@code i} of a subscription is tested against pattern {@code i}
 * of an event, as AIS does; an event with fewer patterns than filters matches only where the missing
 * patterns' filters are {@link Type#PASS_ALL}, and patterns beyond the filters are not looked at.
 */
public record EventFilter(Type type, byte[] pattern) {

	/** How a filter compares its pattern with an event's ({@code SaEvtEventFilterTypeT}). */
	public enum Type {

		/** The event's pattern starts with the filter's. */
		PREFIX,

		/** The event's pattern ends with the filter's. */
		SUFFIX,

		/** The event's pattern is the filter's. */
		EXACT,

		/** Any pattern, or none. */
		PASS_ALL

	}

	public EventFilter {
		pattern = pattern.clone();
	}

	public static EventFilter prefix(byte[] pattern) {
		return new EventFilter(Type.PREFIX, pattern);
	}

	public static EventFilter suffix(byte[] pattern) {
		return new EventFilter(Type.SUFFIX, pattern);
	}

	public static EventFilter exact(byte[] pattern) {
		return new EventFilter(Type.EXACT, pattern);
	}

	public static EventFilter passAll() {
		return new EventFilter(Type.PASS_ALL, new byte[0]);
	}

	/** Whether this filter lets {@code candidate} through; {@code null}: the event has no such pattern. */
	public boolean matches(byte @org.jspecify.annotations.Nullable [] candidate) {
		if (this.type == Type.PASS_ALL) {
			return true;
		}
		if (candidate == null) {
			return false;
		}
		int length = this.pattern.length;
		switch (this.type) {
			case PREFIX:
				return candidate.length >= length && Arrays.equals(candidate, 0, length, this.pattern, 0, length);
			case SUFFIX:
				return candidate.length >= length && Arrays.equals(candidate, candidate.length - length,
						candidate.length, this.pattern, 0, length);
			default:
				return Arrays.equals(candidate, this.pattern);
		}
	}

	/** Whether every filter matches the pattern of its position (see the class comment). */
	public static boolean matchesAll(java.util.List<EventFilter> filters, java.util.List<byte[]> patterns) {
		for (int i = 0; i < filters.size(); i++) {
			if (!filters.get(i).matches((i < patterns.size()) ? patterns.get(i) : null)) {
				return false;
			}
		}
		return true;
	}

	@Override
	public byte[] pattern() {
		return this.pattern.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof EventFilter filter && filter.type == this.type
				&& Arrays.equals(filter.pattern, this.pattern);
	}

	@Override
	public int hashCode() {
		return this.type.hashCode() * 31 + Arrays.hashCode(this.pattern);
	}

	@Override
	public String toString() {
		return this.type + ":" + HexFormat.of().formatHex(this.pattern);
	}

}
