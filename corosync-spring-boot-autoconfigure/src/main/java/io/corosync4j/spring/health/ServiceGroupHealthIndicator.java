package io.corosync4j.spring.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.corosync4j.engine.servicegroup.ServiceGroupService;
import io.corosync4j.engine.servicegroup.ServiceGroupView;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.spring.servicegroup.CorosyncServiceGroups;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The service groups this process has a unit in: each with the state its unit was last told, the
 * process the group's table holds active ({@code node/pid}) and its failovers and switchovers.
 *
 * <p>UP while no unit of this process is {@link ServiceUnitState#FAILED}, standbys included: a standby
 * is this member doing its job, and a partition is the {@code quorum} child's business. DOWN once a unit
 * is failed, because only the application (its {@code fail}, a start that threw) or a fencer that failed
 * puts it there, and it is never chosen again until repaired: this member no longer backs its group up,
 * which an operator should see. The groups' details need the table: without it (outside the primary
 * component) only this process's own states are shown.
 */
public class ServiceGroupHealthIndicator extends AbstractHealthIndicator {

	/** How long the service's view of its groups may take. */
	private static final long VIEW_TIMEOUT_MILLIS = 2000;

	private final CorosyncServiceGroups serviceGroups;

	public ServiceGroupHealthIndicator(CorosyncServiceGroups serviceGroups) {
		super("Service group health check failed");
		this.serviceGroups = serviceGroups;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		ServiceGroupService service = this.serviceGroups.getServiceGroupServiceIfStarted();
		if (service == null) {
			builder.unknown().withDetail("started", false);
			return;
		}
		Map<String, ServiceGroupView> views = new TreeMap<>();
		for (ServiceGroupView view : views(service)) {
			views.put(view.name(), view);
		}
		boolean failed = false;
		Map<String, Object> groups = new TreeMap<>();
		for (Map.Entry<String, ServiceUnit> entry : service.units().entrySet()) {
			ServiceUnit unit = entry.getValue();
			failed |= unit.state() == ServiceUnitState.FAILED;
			Map<String, Object> group = new LinkedHashMap<>();
			group.put("state", unit.state());
			group.put("rank", unit.spec().rank());
			ServiceGroupView view = views.get(entry.getKey());
			if (view != null) {
				view.activeMember().ifPresent((active) -> group.put("active", active.toString()));
				group.put("failovers", view.failovers());
				group.put("switchovers", view.switchovers());
				group.put("inGrace", view.inGrace());
			}
			groups.put(entry.getKey(), group);
		}
		if (failed) {
			builder.down();
		}
		else {
			builder.up();
		}
		builder.withDetail("inPrimaryComponent", service.inPrimaryComponent()).withDetail("groups", groups);
	}

	private static List<ServiceGroupView> views(ServiceGroupService service) throws InterruptedException {
		try {
			return service.groups().get(VIEW_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			return List.of();
		}
	}

}
