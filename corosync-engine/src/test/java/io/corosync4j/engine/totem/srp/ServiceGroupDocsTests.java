package io.corosync4j.engine.totem.srp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.servicegroup.ChangeReason;
import io.corosync4j.engine.servicegroup.ServiceGroupError;
import io.corosync4j.engine.servicegroup.ServiceGroupException;
import io.corosync4j.engine.servicegroup.ServiceGroupService;
import io.corosync4j.engine.servicegroup.ServiceGroupView;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.totem.srp.LockSimulationTests.DirectExecutorService;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code docs/service-groups.md}, run on a simulated ring of three nodes (each with its
 * own service group service and application), so every step is deterministic.
 */
class ServiceGroupDocsTests {

	private final Simulation sim = new Simulation(7);

	private final Map<Long, Node> nodes = new TreeMap<>();

	@Test
	void serviceGroupsWorkAsThePageSays() throws Exception {
		this.sim.services = true;
		this.sim.invariants.payloads = false;
		this.sim.addNodes(3, (id) -> new SrpSettings(id, Simulation.timers(3, 500), true, 2974));
		this.sim.servicesStarted = (services) -> this.nodes.put(services.node().nodeid, new Node(services));
		this.sim.nodes.forEach(SimNode::start);
		run(5_000);
		// ranks choose among the standbys when an active is chosen: the first unit registered is chosen alone
		this.nodes.get(1L).offer(0);
		run(2_000);
		this.nodes.get(2L).offer(1);
		this.nodes.get(3L).offer(2);
		run(3_000);
		Node first = this.nodes.get(1L);
		Node second = this.nodes.get(2L);
		assertThat(first.unit.isActive()).isTrue();
		assertThat(first.billing.assignment).isPositive();
		assertThat(second.unit.state()).isEqualTo(ServiceUnitState.STANDBY);

		ServiceGroupService groups = first.groups;
		// tag::switchover[]
		CompletableFuture<@Nullable Void> accepted = groups.switchover("billing");   // to the best standby
		// end::switchover[]
		run(3_000);
		assertThat(accepted).isCompleted();
		assertThat(first.billing.running).isFalse();
		assertThat(first.unit.state()).isEqualTo(ServiceUnitState.STANDBY);
		assertThat(second.unit.isActive()).isTrue();
		assertThat(second.reasons).endsWith(ChangeReason.SWITCHOVER);
		assertThat(second.billing.assignment).isGreaterThan(first.billing.assignment);

		// tag::errors[]
		try {
			groups.register(ServiceUnitSpec.of("billing"), (previous, next, change) -> {
			});
		}
		catch (ServiceGroupException ex) {
			assertThat(ex.error()).isEqualTo(ServiceGroupError.EXISTS);   // one unit per group and process
		}
		// end::errors[]

		ServiceUnit unit = second.unit;
		String why = "database unreachable";
		// tag::fail[]
		unit.fail("health check failed: " + why);   // steps down here at once; the group fails over
		// end::fail[]
		run(3_000);
		assertThat(second.unit.state()).isEqualTo(ServiceUnitState.FAILED);
		assertThat(first.unit.isActive()).as("rank 0 is the best standby").isTrue();
		assertThat(first.reasons).endsWith(ChangeReason.FAILOVER);

		List<String> printed = new ArrayList<>();
		// tag::view[]
		groups.groups().thenAccept((views) -> {
			for (ServiceGroupView group : views) {
				System.out.println(group.name() + ": active " + group.activeMember() + ", units " + group.units()
						+ ", " + group.failovers() + " failovers, " + group.switchovers() + " switchovers");
			}
		});
		System.out.println(groups.statistics());
		// end::view[]
		groups.groups().thenAccept((views) -> views.forEach((group) -> printed.add(group.name())));
		run(100);
		assertThat(printed).containsExactly("billing");
		assertThat(groups.statistics().failovers()).isEqualTo(1);
		assertThat(groups.statistics().switchovers()).isEqualTo(1);

		// the active's node fails: after the grace period the best standby fences it, then takes over
		this.sim.nodes.get(0).crash();
		run(8_000);
		Node third = this.nodes.get(3L);
		second.unit.repair();
		run(3_000);
		assertThat(third.unit.isActive()).isTrue();
		assertThat(third.fenced).containsExactly(1L);
		assertThat(third.reasons).endsWith(ChangeReason.FAILOVER);
	}

	private void run(long millis) {
		this.sim.runUntil(this.sim.now() + millis * Simulation.MS);
	}

	/** What the examples' application does with the group's work. */
	static final class Billing {

		boolean running;

		long assignment;

		void start(long assignment) {
			this.running = true;
			this.assignment = assignment;
		}

		/** Stops taking work; completes once the last checkpoint is written. */
		CompletableFuture<@Nullable Void> stop() {
			this.running = false;
			return CompletableFuture.completedFuture(null);
		}

	}

	/** One node: its service group service, on the simulated node, and its application. */
	final class Node {

		final SimNode.Services services;

		final ServiceGroupService groups;

		final Billing billing = new Billing();

		final List<ChangeReason> reasons = new ArrayList<>();

		final List<Long> fenced = new ArrayList<>();

		ServiceUnit unit;

		Node(SimNode.Services services) {
			this.services = services;
			this.groups = new ServiceGroupService(services.replicaHost("service group service"),
					new DirectExecutorService());
		}

		void offer(int rank) throws ServiceGroupException {
			ServiceGroupService groups = this.groups;
			Billing billing = this.billing;
			// tag::register[]
			ServiceUnit unit = groups.register(
					new ServiceUnitSpec("billing", rank, Duration.ofSeconds(2), Duration.ofSeconds(30)),
					(previous, next, change) -> {
						switch (next) {
							case ACTIVE -> billing.start(change.assignment());   // refuse writes of older ones
							case QUIESCING -> billing.stop().thenRun(() -> change.quiesced().complete(null));
							default -> billing.stop();
						}
						reasons.add(change.reason());
					},
					(group, previousActive) -> powerOff(previousActive.nodeid()));   // the fencer
			// end::register[]
			this.unit = unit;
		}

		private CompletableFuture<@Nullable Void> powerOff(long nodeid) {
			this.fenced.add(nodeid);
			return CompletableFuture.completedFuture(null);
		}

	}

}
