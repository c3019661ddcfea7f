package io.corosync4j.spring.health;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.corosync4j.engine.checkpoint.CheckpointService;
import io.corosync4j.engine.checkpoint.CheckpointStatistics;
import io.corosync4j.engine.checkpoint.CheckpointStatus;
import io.corosync4j.spring.checkpoint.CorosyncCheckpoints;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The checkpoint service, once the application started it: UP while this member holds the checkpoints
 * (it is in the primary component and synchronized), OUT_OF_SERVICE while it does not, since reads and
 * writes are refused then but the member is not broken (the {@code quorum} child says why). Details:
 * whether it holds them, how many checkpoints and bytes its replica has, and its write counters.
 */
public class CheckpointHealthIndicator extends AbstractHealthIndicator {

	/** How long the service's list of checkpoints may take. */
	private static final long LIST_TIMEOUT_MILLIS = 2000;

	private final CorosyncCheckpoints checkpoints;

	public CheckpointHealthIndicator(CorosyncCheckpoints checkpoints) {
		super("Checkpoint health check failed");
		this.checkpoints = checkpoints;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		CheckpointService service = this.checkpoints.getCheckpointServiceIfStarted();
		if (service == null) {
			builder.unknown().withDetail("started", false);
			return;
		}
		boolean holdsState = service.holdsState();
		if (holdsState) {
			builder.up();
		}
		else {
			builder.outOfService();
		}
		builder.withDetail("holdsState", holdsState);
		if (holdsState) {
			try {
				List<CheckpointStatus> all = service.checkpoints().get(LIST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
				builder.withDetail("checkpoints", all.size())
					.withDetail("bytes", all.stream().mapToLong(CheckpointStatus::bytes).sum());
			}
			catch (ExecutionException | TimeoutException ex) {
				// the details of the counters below still help
			}
		}
		CheckpointStatistics statistics = service.statistics();
		builder.withDetail("writes", statistics.writes())
			.withDetail("bytesWritten", statistics.bytesWritten())
			.withDetail("refusals", statistics.refusals());
	}

}
