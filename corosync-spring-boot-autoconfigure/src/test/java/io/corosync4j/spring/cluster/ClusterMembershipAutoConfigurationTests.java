package io.corosync4j.spring.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.corosync4j.engine.cluster.ClusterMembership;
import io.corosync4j.engine.cluster.ClusterNode;
import io.corosync4j.engine.cluster.ClusterView;
import io.corosync4j.engine.cluster.TrackFlag;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncMembershipChangedEvent;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.CorosyncSynchronizedEvent;
import io.corosync4j.spring.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The {@link ClusterMembership} bean and {@link ClusterViewChangedEvent}: a single node's view of itself,
 * trackings made before the node runs, two nodes that learn each other, and backing off.
 */
class ClusterMembershipAutoConfigurationTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path state;

	private final int port = FreePort.udp();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class,
					ClusterMembershipAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + this.port, "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.state.resolve("state"));
	}

	/** Node {@code nodeid} of a two-node nodelist on 127.0.0.1 and 127.0.0.2. */
	private ApplicationContextRunner node(int nodeid) {
		List<String> properties = new ArrayList<>(List.of("corosync.local-address=127.0.0." + nodeid,
				"corosync.startup-settle=0s", "corosync.system.state-dir=" + this.state.resolve("n" + nodeid)));
		for (int i = 1; i <= 2; i++) {
			properties.add("corosync.nodelist[" + (i - 1) + "].nodeid=" + i);
			properties.add("corosync.nodelist[" + (i - 1) + "].ring0-addr=127.0.0." + i);
		}
		return runner().withUserConfiguration(Recorder.class).withPropertyValues(properties.toArray(String[]::new));
	}

	@Test
	void aSingleNodeSeesItselfInTheViewOfItsRing() {
		runner().withUserConfiguration(Recorder.class, Placement.class).run((context) -> {
			assertThat(context).hasSingleBean(ClusterMembership.class);
			ClusterMembership membership = context.getBean(ClusterMembership.class);
			CorosyncNode node = context.getBean(CorosyncNodeLifecycle.class).getNode();
			assertThat(membership.localNodeId()).isEqualTo(1);
			ClusterView view = membership.view();
			assertThat(view.viewNumber()).isEqualTo(node.membership().ringId().seq());
			assertThat(view.members()).singleElement().satisfies((self) -> {
				assertThat(self.nodeid()).isEqualTo(1);
				assertThat(self.name()).isEqualTo("127.0.0.1");
				assertThat(self.bootTime()).isNotNull();
			});
			assertThat(context.getBean(Placement.class).liveNodes()).containsExactly("127.0.0.1");
			// the current view is published once the node runs, with the number the ring events carry
			Recorder recorder = context.getBean(Recorder.class);
			Await.until("the view published", BOUND, () -> !recorder.views().isEmpty());
			ClusterViewChangedEvent first = recorder.views().get(0);
			assertThat(first.getView()).isEqualTo(view);
			assertThat(first.getView().hasChanges()).isFalse();
			assertThat(recorder.last(CorosyncSynchronizedEvent.class).getViewNumber()).isEqualTo(first.getViewNumber());
			assertThat(recorder.last(CorosyncMembershipChangedEvent.class).getViewNumber())
				.isEqualTo(first.getViewNumber());
			assertThat(context.getBean(Placement.class).seen).contains(first.getViewNumber());
		});
	}

	@Test
	void aTrackingMadeBeforeTheNodeRunsStartsWithItAndTheBeanStopsWithTheContext() {
		ClusterMembership[] bean = new ClusterMembership[1];
		runner().withUserConfiguration(EarlyTracker.class).run((context) -> {
			EarlyTracker tracker = context.getBean(EarlyTracker.class);
			Await.until("the current view", BOUND, () -> !tracker.views.isEmpty());
			assertThat(tracker.views.get(0).members()).extracting(ClusterNode::nodeid).containsExactly(1L);
			bean[0] = context.getBean(ClusterMembership.class);
		});
		assertThatIllegalStateException().isThrownBy(bean[0]::view).withMessageContaining("not running");
	}

	@Test
	void twoNodesLearnEachOthersBootTimesAndPublishJoinsAndLeaves() {
		node(1).run((first) -> {
			Recorder one = first.getBean(Recorder.class);
			ClusterMembership membership = first.getBean(ClusterMembership.class);
			Await.until("node 1's view", BOUND, () -> !one.views().isEmpty());
			assertThat(membership.node(2)).hasValueSatisfying((two) -> {
				assertThat(two.member()).isFalse();
				assertThat(two.name()).isEqualTo("127.0.0.2");
				assertThat(two.bootTime()).isNull();
			});
			node(2).run((second) -> {
				Await.until("node 2 joined", BOUND, () -> one.views().stream()
					.anyMatch((event) -> event.getView().joined().contains(2L)));
				Await.until("node 2's boot time heard", BOUND,
						() -> membership.node(2).orElseThrow().bootTime() != null);
				ClusterMembership theirs = second.getBean(ClusterMembership.class);
				Await.until("node 1's boot time heard on node 2", BOUND,
						() -> theirs.node(1).orElseThrow().bootTime() != null);
				assertThat(theirs.view().viewNumber()).isEqualTo(membership.view().viewNumber());
				// the state is read where the node keeps it; its events reach listeners on their own thread after
				Await.until("node 2 reconfigured in a view event", BOUND, () -> one.views().stream()
					.anyMatch((event) -> event.getView().reconfigured().contains(2L)));
			});
			Await.until("node 2 left", BOUND, () -> one.views().stream()
				.anyMatch((event) -> event.getView().left().contains(2L)));
			assertThat(membership.view().members()).extracting(ClusterNode::nodeid).containsExactly(1L);
			// every view of a ring follows the ring's events, with the same number
			for (ClusterViewChangedEvent view : one.views()) {
				assertThat(one.events).filteredOn(CorosyncSynchronizedEvent.class::isInstance)
					.map((event) -> ((CorosyncSynchronizedEvent) event).getViewNumber())
					.contains(view.getViewNumber());
			}
		});
	}

	@Test
	void anApplicationsOwnClusterMembershipWins() {
		runner().withUserConfiguration(OwnMembership.class).run((context) -> {
			assertThat(context).hasSingleBean(ClusterMembership.class);
			assertThat(context.getBean(ClusterMembership.class)).isSameAs(OwnMembership.INSTANCE);
		});
	}

	@Test
	void backsOffWithoutANode() {
		runner().withPropertyValues("corosync.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ClusterMembership.class));
	}

	// tag::spring[]
	@Component
	static class Placement {

		private final ClusterMembership membership;

		final List<Long> seen = new CopyOnWriteArrayList<>();

		Placement(ClusterMembership membership) {
			this.membership = membership;
		}

		List<String> liveNodes() {
			return this.membership.view().members().stream().map(ClusterNode::name).toList();
		}

		@EventListener
		void viewChanged(ClusterViewChangedEvent event) {
			// the current view once the node runs, then every change: joined(), left(), reconfigured()
			this.seen.add(event.getViewNumber());
		}

	}
	// end::spring[]

	@Component
	static class EarlyTracker {

		final List<ClusterView> views = new CopyOnWriteArrayList<>();

		EarlyTracker(ClusterMembership membership) {
			membership.track(EnumSet.of(TrackFlag.CURRENT), this.views::add);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnMembership {

		static final ClusterMembership INSTANCE = new ClusterMembership() {

			@Override
			public long localNodeId() {
				return 42;
			}

			@Override
			public ClusterView view() {
				return new ClusterView(0, List.of(), List.of(), List.of(), List.of());
			}

			@Override
			public Optional<ClusterNode> node(long nodeid) {
				return Optional.empty();
			}

			@Override
			public Tracking track(Set<TrackFlag> flags, Consumer<ClusterView> callback) {
				return () -> {
				};
			}

			@Override
			public long malformedMessages() {
				return 0;
			}

		};

		@Bean
		ClusterMembership ownMembership() {
			return INSTANCE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Recorder {

		final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void view(ClusterViewChangedEvent event) {
			this.events.add(event);
		}

		@EventListener
		void ring(CorosyncMembershipChangedEvent event) {
			this.events.add(event);
		}

		@EventListener
		void synced(CorosyncSynchronizedEvent event) {
			this.events.add(event);
		}

		List<ClusterViewChangedEvent> views() {
			return this.events.stream().filter(ClusterViewChangedEvent.class::isInstance)
				.map(ClusterViewChangedEvent.class::cast).toList();
		}

		<E extends ApplicationEvent> E last(Class<E> type) {
			return this.events.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> b).orElseThrow();
		}

	}

}
