package io.corosync4j.spring.health;

import java.util.Map;
import java.util.function.Supplier;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The listeners of one registry, with a detail per listener: UP while every running one receives,
 * OUT_OF_SERVICE while one does not (its member is not broken, only away from the state), DOWN while
 * one is broken in a way only a restart mends.
 *
 * @param <S> a listener's counts
 */
abstract class AbstractListenersHealthIndicator<S> extends AbstractHealthIndicator {

	private final Supplier<Map<String, S>> statistics;

	AbstractListenersHealthIndicator(String failureMessage, Supplier<Map<String, S>> statistics) {
		super(failureMessage);
		this.statistics = statistics;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean all = true;
		boolean broken = false;
		for (Map.Entry<String, S> entry : this.statistics.get().entrySet()) {
			S statistics = entry.getValue();
			builder.withDetail(entry.getKey(), details(statistics));
			broken |= broken(statistics);
			// a listener stopped through the registry is meant not to receive
			all &= receiving(statistics) || !running(statistics);
		}
		if (broken) {
			builder.down();
		}
		else if (all) {
			builder.up();
		}
		else {
			builder.outOfService();
		}
	}

	protected abstract Map<String, Object> details(S statistics);

	protected abstract boolean running(S statistics);

	/** Whether its subscription, queue, ... is there, so it gets what is sent to it. */
	protected abstract boolean receiving(S statistics);

	protected boolean broken(S statistics) {
		return false;
	}

}
