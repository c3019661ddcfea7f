package io.corosync4j.engine.totem.srp;

/**
 * Totem's rollover-aware comparison of 32-bit sequence numbers ({@code sq_lt_compare} and
 * {@code sq_lte_compare} in Corosync's {@code sq.h}). Values are Java {@code int}s holding unsigned
 * 32-bit numbers; when either side is above {@code 0x80000000} both are shifted down by
 * {@code 0x10000} before an unsigned comparison, so a window that spans the wrap still compares in
 * ring order.
 */
final class Sequence {

	private static final int ROLLOVER_POINT = 0x80000000;

	private static final int ROLLOVER_VALUE = 0x10000;

	private Sequence() {
	}

	/** {@code a < b} in ring order. */
	static boolean lt(int a, int b) {
		if (Integer.compareUnsigned(a, ROLLOVER_POINT) > 0 || Integer.compareUnsigned(b, ROLLOVER_POINT) > 0) {
			return Integer.compareUnsigned(a - ROLLOVER_VALUE, b - ROLLOVER_VALUE) < 0;
		}
		return Integer.compareUnsigned(a, b) < 0;
	}

	/** {@code a <= b} in ring order. */
	static boolean lte(int a, int b) {
		if (Integer.compareUnsigned(a, ROLLOVER_POINT) > 0 || Integer.compareUnsigned(b, ROLLOVER_POINT) > 0) {
			return Integer.compareUnsigned(a - ROLLOVER_VALUE, b - ROLLOVER_VALUE) <= 0;
		}
		return Integer.compareUnsigned(a, b) <= 0;
	}

	static long unsigned(int value) {
		return Integer.toUnsignedLong(value);
	}

}
