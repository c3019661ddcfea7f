package io.corosync4j.spring.sam;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.ClassUtils;

/** Reads a {@code Health} result without needing the health module on the class path otherwise. */
final class HealthResults {

	private static final boolean HEALTH_PRESENT = ClassUtils
		.isPresent("org.springframework.boot.health.contributor.Health", HealthResults.class.getClassLoader());

	private HealthResults() {
	}

	static boolean isUp(Object result) {
		return HEALTH_PRESENT && Up.test(result);
	}

	/** Loaded only when the health module is there. */
	private static final class Up {

		static boolean test(Object result) {
			return result instanceof Health health && Status.UP.equals(health.getStatus());
		}

	}

}
