package io.corosync4j.engine.servicegroup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A process's offer for one service group.
 * @param group the group's name, 1 to {@value #MAX_NAME_BYTES} bytes of UTF-8
 * @param rank lower is preferred when an active is chosen; ties go to the unit registered first, in the
 * agreed order
 * @param grace when this unit is active and its node fails (leaves the ring), no other unit is made
 * active until this much time has passed, so that a unit cut off in a minority has stepped down first
 * (see docs/service-groups.md for how long that takes); zero fails over as soon as the departure settles
 * @param quiesceTimeout how long this unit may take to quiesce in a switchover before the switch is forced
 */
public record ServiceUnitSpec(String group, int rank, Duration grace, Duration quiesceTimeout) {

	/** The longest group name, in UTF-8 bytes ({@code SA_MAX_NAME_LENGTH}). */
	public static final int MAX_NAME_BYTES = 256;

	/** The longest grace period and quiesce timeout: about 24 days, what fits the wire's milliseconds. */
	public static final Duration MAX_DURATION = Duration.ofMillis(Integer.MAX_VALUE);

	/** The quiesce timeout of {@link #of}. */
	public static final Duration DEFAULT_QUIESCE_TIMEOUT = Duration.ofSeconds(30);

	public ServiceUnitSpec {
		Objects.requireNonNull(group, "group");
		Objects.requireNonNull(grace, "grace");
		Objects.requireNonNull(quiesceTimeout, "quiesceTimeout");
		checkName(group);
		checkDuration("grace", grace);
		checkDuration("quiesceTimeout", quiesceTimeout);
	}

	/** Rank 0, no grace period, a quiesce timeout of 30 s. */
	public static ServiceUnitSpec of(String group) {
		return new ServiceUnitSpec(group, 0, Duration.ZERO, DEFAULT_QUIESCE_TIMEOUT);
	}

	public ServiceUnitSpec withRank(int rank) {
		return new ServiceUnitSpec(this.group, rank, this.grace, this.quiesceTimeout);
	}

	public ServiceUnitSpec withGrace(Duration grace) {
		return new ServiceUnitSpec(this.group, this.rank, grace, this.quiesceTimeout);
	}

	public ServiceUnitSpec withQuiesceTimeout(Duration quiesceTimeout) {
		return new ServiceUnitSpec(this.group, this.rank, this.grace, quiesceTimeout);
	}

	static void checkName(String group) {
		for (int i = 0; i < group.length(); i++) {
			char c = group.charAt(i);
			// a lone surrogate would be sent as '?': two names could become one on the wire
			if (Character.isHighSurrogate(c) ? (i + 1 == group.length() || !Character.isLowSurrogate(group.charAt(++i)))
					: Character.isLowSurrogate(c)) {
				throw new IllegalArgumentException("A service group name is well-formed text; this one has a lone "
						+ "surrogate at index " + i);
			}
		}
		int length = group.getBytes(StandardCharsets.UTF_8).length;
		if (length == 0 || length > MAX_NAME_BYTES) {
			throw new IllegalArgumentException(
					"A service group name is 1 to " + MAX_NAME_BYTES + " bytes of UTF-8, not " + length);
		}
	}

	private static void checkDuration(String what, Duration duration) {
		if (duration.isNegative() || duration.compareTo(MAX_DURATION) > 0) {
			throw new IllegalArgumentException(what + " must be between 0 and " + MAX_DURATION + ", not " + duration);
		}
	}

}
