package io.corosync4j.engine.event;

import java.time.Duration;
import java.util.List;

import io.corosync4j.engine.replica.Utf8Names;

/**
 * What a publisher gives an event: patterns that subscriptions' filters are tested against (pattern
 * {@code i} by filter {@code i}), a priority from {@value #HIGHEST} (highest) to {@value #LOWEST}, how long
 * the service retains it for subscriptions made later ({@link Duration#ZERO}: not at all), the
 * publisher's name, and the data. Immutable: the {@code with} methods return a copy.
 */
public record EventPublication(List<byte[]> patterns, int priority, Duration retention, String publisher,
		byte[] data) {

	public static final int HIGHEST = 0;

	public static final int LOWEST = 3;

	/** Retained until cleared ({@code SA_TIME_END}). */
	public static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

	public EventPublication {
		patterns = patterns.stream().map(byte[]::clone).toList();
		data = data.clone();
	}

	/** An event of {@code data} without patterns, of the lowest priority, not retained, publisher "". */
	public static EventPublication of(byte[] data) {
		return new EventPublication(List.of(), LOWEST, Duration.ZERO, "", data);
	}

	public EventPublication withPatterns(byte[]... patterns) {
		return new EventPublication(List.of(patterns), this.priority, this.retention, this.publisher, this.data);
	}

	public EventPublication withPatterns(List<byte[]> patterns) {
		return new EventPublication(patterns, this.priority, this.retention, this.publisher, this.data);
	}

	public EventPublication withPriority(int priority) {
		return new EventPublication(this.patterns, priority, this.retention, this.publisher, this.data);
	}

	public EventPublication withRetention(Duration retention) {
		return new EventPublication(this.patterns, this.priority, retention, this.publisher, this.data);
	}

	public EventPublication withPublisher(String publisher) {
		return new EventPublication(this.patterns, this.priority, this.retention, publisher, this.data);
	}

	/** What is wrong with it, or {@code null}: checked before anything is sent. */
	@org.jspecify.annotations.Nullable String problem() {
		if (this.priority < HIGHEST || this.priority > LOWEST) {
			return "priority " + this.priority + " is not " + HIGHEST + " to " + LOWEST;
		}
		if (this.retention.isNegative()) {
			return "a negative retention " + this.retention;
		}
		if (this.patterns.size() > EventService.MAX_PATTERNS) {
			return this.patterns.size() + " patterns, more than " + EventService.MAX_PATTERNS;
		}
		for (byte[] pattern : this.patterns) {
			if (pattern.length > EventService.MAX_PATTERN_BYTES) {
				return "a pattern of " + pattern.length + " bytes, more than " + EventService.MAX_PATTERN_BYTES;
			}
		}
		byte[] name = Utf8Names.encode(this.publisher);
		if (name == null || name.length > EventService.MAX_NAME_BYTES) {
			return "a publisher name is at most " + EventService.MAX_NAME_BYTES + " bytes of UTF-8";
		}
		return null;
	}

	/** The retention in milliseconds, {@link Long#MAX_VALUE} for ever. */
	long retentionMillis() {
		try {
			return this.retention.toMillis();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

}
