package io.corosync4j.spring.servicegroup;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.servicegroup.ChangeReason;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;
import org.springframework.integration.support.SmartLifecycleRoleController;

import static io.corosync4j.spring.servicegroup.ServiceGroupCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Integration's {@link SmartLifecycleRoleController} on the service group leader initiator of three
 * application contexts: the {@code @Role("exports")} endpoint runs on the active member only, moves on
 * {@code Context.yield()} (a switchover) and when the leader's application stops.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RoleLeaderElectionTests {

	@Test
	void theRolesEndpointRunsOnTheActiveMemberOnly() throws Exception {
		try (ServiceGroupCluster cluster = ServiceGroupCluster.start(3, Application.class)) {
			awaitLeader(cluster, 1);
			QueueChannel exported = cluster.member(1).getBean("exported", QueueChannel.class);
			assertThat(exported.receive(BOUND.toMillis())).isNotNull();
			for (int node : List.of(2, 3)) {
				assertThat(cluster.member(node).getBean("exported", QueueChannel.class).receive(300)).as("node " + node)
					.isNull();
			}
			LeaderEvents first = cluster.bean(1, LeaderEvents.class);
			// the role controller may hear the event before this listener does
			Await.until("node 1 granted", BOUND, () -> first.granted().size() == 1);
			AbstractLeaderEvent granted = first.granted().get(0);
			assertThat(granted.getRole()).isEqualTo("exports");
			assertThat(granted.getContext().isLeader()).isTrue();
			assertThat(granted.getContext().getRole()).isEqualTo("exports");

			// yield: a switchover to the best standby, node 2
			granted.getContext().yield();
			awaitLeader(cluster, 2);
			Await.until("node 1 revoked", BOUND, () -> first.events.stream().anyMatch(OnRevokedEvent.class::isInstance));
			assertThat(granted.getContext().isLeader()).isFalse();
			ServiceUnit unit = cluster.bean(1, CorosyncServiceGroups.class).getServiceGroupService().units().get("exports");
			Await.until("node 1 a standby again", BOUND, () -> unit.state() == ServiceUnitState.STANDBY
					|| unit.state() == ServiceUnitState.QUIESCED);

			// the leader's application stops: its unit is withdrawn and node 1 (rank 1) leads again
			cluster.stop(2);
			awaitLeader(cluster, 1);
			Await.until("node 1 granted again", BOUND, () -> first.granted().size() == 2);
		}
	}

	@Test
	void theLeaderIsRevokedWhenItsNodeStopsUnderIt() throws Exception {
		try (ServiceGroupCluster cluster = ServiceGroupCluster.start(3, Application.class)) {
			awaitLeader(cluster, 1);
			LeaderEvents first = cluster.bean(1, LeaderEvents.class);
			// the node alone stops (a fail-stop, a CFG kill): its context goes on, without the role
			cluster.bean(1, CorosyncNodeLifecycle.class).stop();
			Await.until("node 1 revoked", BOUND, () -> first.events.stream().anyMatch(OnRevokedEvent.class::isInstance));
			awaitLeader(cluster, 2);
			assertThat(cluster.bean(1, SmartLifecycleRoleController.class).noEndpointsRunning("exports")).isTrue();
		}
	}

	@Test
	void theLeaderIsRevokedWhenItsMemberLosesQuorum() throws Exception {
		try (ServiceGroupCluster cluster = ServiceGroupCluster.start(2, Application.class)) {
			awaitLeader(cluster, 1);
			LeaderEvents first = cluster.bean(1, LeaderEvents.class);
			// the other node stops: node 1 alone has 1 vote of 2, no quorum, and steps down at once
			cluster.bean(2, CorosyncNodeLifecycle.class).stop();
			Await.until("node 1 revoked", BOUND, () -> first.events.stream().anyMatch(OnRevokedEvent.class::isInstance));
			SmartLifecycleRoleController roles = cluster.bean(1, SmartLifecycleRoleController.class);
			Await.until("node 1's endpoint stopped", BOUND, () -> roles.noEndpointsRunning("exports"));
			Changes changes = cluster.bean(1, Changes.class);
			// published after the candidate's revocation returned
			Await.until("the step-down published", BOUND, () -> changes.received.stream()
				.anyMatch((change) -> change.getReason() == ChangeReason.QUORUM_LOST));
			ServiceUnitStateChangedEvent lost = changes.received.stream()
				.filter((change) -> change.getReason() == ChangeReason.QUORUM_LOST)
				.findFirst()
				.orElseThrow();
			assertThat(lost.getPreviousState()).isEqualTo(ServiceUnitState.ACTIVE);
			assertThat(lost.getState()).isEqualTo(ServiceUnitState.UNASSIGNED);
		}
	}

	/** {@code node}'s role endpoints run, and no other member's do. */
	private static void awaitLeader(ServiceGroupCluster cluster, int node) throws InterruptedException {
		Await.until("node " + node + " alone running the role", BOUND, () -> {
			for (int member : cluster.running()) {
				SmartLifecycleRoleController roles = cluster.bean(member, SmartLifecycleRoleController.class);
				if (member == node ? !roles.allEndpointsRunning("exports") : !roles.noEndpointsRunning("exports")) {
					return false;
				}
			}
			return true;
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	@Import(Exports.class)
	static class Application {

		@Bean
		LeaderEvents leaderEvents() {
			return new LeaderEvents();
		}

		@Bean
		Changes changes() {
			return new Changes();
		}

	}

	static class Changes implements ApplicationListener<ServiceUnitStateChangedEvent> {

		final List<ServiceUnitStateChangedEvent> received = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ServiceUnitStateChangedEvent event) {
			this.received.add(event);
		}

	}

	static class LeaderEvents implements ApplicationListener<AbstractLeaderEvent> {

		final List<AbstractLeaderEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(AbstractLeaderEvent event) {
			this.events.add(event);
		}

		List<AbstractLeaderEvent> granted() {
			return this.events.stream().filter(OnGrantedEvent.class::isInstance).toList();
		}

	}

}
