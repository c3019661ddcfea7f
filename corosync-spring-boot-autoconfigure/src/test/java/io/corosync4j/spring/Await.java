package io.corosync4j.spring;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, bounded, for a condition: tests poll instead of sleeping a fixed time. */
public final class Await {

	private Await() {
	}

	public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(what + " did not happen within " + timeout);
			}
			Thread.sleep(10);
		}
	}

}
