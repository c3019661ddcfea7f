package io.corosync4j.spring.servicegroup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.servicegroup.ChangeReason;
import io.corosync4j.engine.servicegroup.Fencer;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.actuate.CorosyncEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static io.corosync4j.spring.servicegroup.ServiceGroupCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Sequencer} of the docs on three application contexts, without Spring Integration's leader
 * support: it serves on one member at a time, its quiesce hook writes the last checkpoint in a
 * switchover (the service's, or the endpoint's to a chosen standby), and the next active goes on from the
 * checkpoint, also when the active's application stops.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ActiveStandbyTests {

	@Test
	void numbersGoOnAcrossASwitchoverAndTheActivesShutdown() throws Exception {
		try (ServiceGroupCluster cluster = ServiceGroupCluster.start(3, Application.class)) {
			assertThat(awaitServing(cluster)).isEqualTo(1);
			Sequencer first = cluster.bean(1, Sequencer.class);
			long last = 0;
			for (int i = 0; i < 4; i++) {
				last = first.next();
			}
			assertThat(last).isEqualTo(5);

			cluster.bean(1, CorosyncServiceGroups.class).getServiceGroupService().switchover("sequencer")
				.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			assertThat(awaitServing(cluster)).isEqualTo(6);
			assertThat(cluster.bean(2, ActiveStandbyServiceRegistrar.class).isActive("sequencer")).isTrue();
			Changes changes = cluster.bean(1, Changes.class);
			Await.until("node 1 quiesced", BOUND, () -> changes.states().contains(ServiceUnitState.QUIESCED));
			assertThat(changes.states()).containsSubsequence(ServiceUnitState.ACTIVE, ServiceUnitState.QUIESCING,
					ServiceUnitState.QUIESCED);
			// published once start() returned
			Changes second = cluster.bean(2, Changes.class);
			Await.until("node 2's activation published", BOUND, () -> second.states().contains(ServiceUnitState.ACTIVE));
			assertThat(second.received).last().satisfies((change) -> {
				assertThat(change.getState()).isEqualTo(ServiceUnitState.ACTIVE);
				assertThat(change.getReason()).isEqualTo(ChangeReason.SWITCHOVER);
			});

			// the endpoint's switchover to a given standby: node 3, although node 1 ranks better
			CorosyncEndpoint endpoint = new CorosyncEndpoint(cluster.bean(2, CorosyncNodeLifecycle.class), true, null,
					() -> null, cluster.bean(2, CorosyncServiceGroups.class)::getServiceGroupServiceIfStarted);
			WebEndpointResponse<Map<String, Object>> switched = endpoint.operate("switchover", 3L, null, "sequencer");
			assertThat(switched.getStatus()).as(String.valueOf(switched.getBody())).isEqualTo(WebEndpointResponse.STATUS_OK);
			assertThat(awaitServing(cluster)).isEqualTo(7);
			assertThat(cluster.bean(3, ActiveStandbyServiceRegistrar.class).isActive("sequencer")).isTrue();

			cluster.stop(3);
			assertThat(awaitServing(cluster)).isEqualTo(8);
			assertThat(cluster.bean(1, ActiveStandbyServiceRegistrar.class).isActive("sequencer")).as("rank 1 first")
				.isTrue();
		}
	}

	@Test
	void aStandbyFencesTheActiveWhoseNodeCrashedBeforeTakingOver() throws Exception {
		try (ServiceGroupCluster cluster = ServiceGroupCluster.start(3, Fencing.class)) {
			assertThat(awaitServing(cluster)).isEqualTo(1);
			Sequencer first = cluster.bean(1, Sequencer.class);
			first.next();
			first.next();
			cluster.crash(1);
			assertThat(awaitServing(cluster)).as("every acknowledged number survived").isEqualTo(4);
			assertThat(cluster.bean(2, ActiveStandbyServiceRegistrar.class).isActive("sequencer")).isTrue();
			assertThat(cluster.bean(2, Fenced.class).fenced).singleElement()
				.isEqualTo("sequencer: node 1");
			assertThat(cluster.bean(3, Fenced.class).fenced).isEmpty();
			Changes second = cluster.bean(2, Changes.class);
			Await.until("node 2's activation published", BOUND, () -> second.states().contains(ServiceUnitState.ACTIVE));
			assertThat(second.received).last().satisfies((change) -> {
				assertThat(change.getReason()).isEqualTo(ChangeReason.FAILOVER);
				assertThat(change.getChange().previousActive()).hasValueSatisfying(
						(previous) -> assertThat(previous.nodeid()).isEqualTo(1));
			});
		}
	}

	/**
	 * The first number of the member that serves next, never two serving at once: asking the others for
	 * numbers fails.
	 */
	private static long awaitServing(ServiceGroupCluster cluster) throws InterruptedException {
		long[] number = { -1 };
		Await.until("a member serving", BOUND, () -> {
			for (int node : cluster.running()) {
				try {
					long next = cluster.bean(node, Sequencer.class).next();
					assertThat(number[0]).as("two members serving").isEqualTo(-1);
					number[0] = next;
				}
				catch (IllegalStateException notActive) {
					// a standby
				}
			}
			return number[0] != -1;
		});
		return number[0];
	}

	@Configuration(proxyBeanMethods = false)
	@Import(Sequencer.class)
	static class Application {

		@Bean
		Changes changes() {
			return new Changes();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import(Application.class)
	static class Fencing {

		@Bean
		Fenced fenced() {
			return new Fenced();
		}

	}

	/** Fences by remembering whom: a real one would power the node off or revoke its storage. */
	static class Fenced implements Fencer {

		final List<String> fenced = new CopyOnWriteArrayList<>();

		@Override
		public CompletionStage<?> fence(String group, Member previousActive) {
			this.fenced.add(group + ": node " + previousActive.nodeid());
			return CompletableFuture.completedFuture(null);
		}

	}

	static class Changes implements ApplicationListener<ServiceUnitStateChangedEvent> {

		final List<ServiceUnitStateChangedEvent> received = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ServiceUnitStateChangedEvent event) {
			this.received.add(event);
		}

		List<ServiceUnitState> states() {
			return this.received.stream().map(ServiceUnitStateChangedEvent::getState).toList();
		}

	}

}
