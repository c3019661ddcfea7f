package io.corosync4j.spring.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.spring.Await;
import io.corosync4j.spring.ContextCluster;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.event.EventChannelAutoConfiguration;
import io.corosync4j.spring.event.EventChannelListener;
import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry;
import io.corosync4j.spring.event.EventChannelTemplate;
import io.corosync4j.spring.health.EventChannelListenersHealthIndicator;
import io.corosync4j.spring.health.QueueListenersHealthIndicator;
import io.corosync4j.spring.message.MessageQueueAutoConfiguration;
import io.corosync4j.spring.message.MessageQueueTemplate;
import io.corosync4j.spring.message.QueueListener;
import io.corosync4j.spring.message.QueueListenerEndpointRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member that loses the primary component loses its subscriptions and queues with the state; its
 * listeners make them again once it holds the state, as do those of a node started again.
 */
class ListenerRecoveryTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@Test
	void listenersSubscribeAndOpenAgainOnceTheirMemberHoldsTheStateAgain() throws Exception {
		try (ContextCluster cluster = ContextCluster.start(2, new Class<?>[] { Member.class, Listeners.class })) {
			for (int node = 1; node <= 2; node++) {
				cluster.bean(node, EventChannelListenerEndpointRegistry.class).subscribed()
					.get(BOUND.toSeconds(), TimeUnit.SECONDS);
				cluster.bean(node, QueueListenerEndpointRegistry.class).opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			}
			EventChannelListenerEndpointRegistry events = cluster.bean(1, EventChannelListenerEndpointRegistry.class);
			QueueListenerEndpointRegistry queues = cluster.bean(1, QueueListenerEndpointRegistry.class);
			// node 2 stops: node 1 alone is not a majority of the nodelist, and drops the state
			cluster.bean(2, CorosyncNodeLifecycle.class).stop();
			Await.until("node 1's subscription and queue to end", BOUND,
					() -> !events.getStatistics().get("ticks").subscribed() && !queues.getStatistics().get("work").open());
			// not broken, not serving: out of service
			assertThat(new EventChannelListenersHealthIndicator(events).health(false).getStatus())
				.isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(new QueueListenersHealthIndicator(queues).health(false).getStatus())
				.isEqualTo(Status.OUT_OF_SERVICE);
			cluster.bean(2, CorosyncNodeLifecycle.class).start();
			for (int node = 1; node <= 2; node++) {
				EventChannelListenerEndpointRegistry nodeEvents = cluster.bean(node, EventChannelListenerEndpointRegistry.class);
				QueueListenerEndpointRegistry nodeQueues = cluster.bean(node, QueueListenerEndpointRegistry.class);
				Await.until("node " + node + "'s subscription and queue again", BOUND,
						() -> nodeEvents.getStatistics().get("ticks").subscribed()
								&& nodeQueues.getStatistics().get("work").open());
			}
			cluster.bean(1, EventChannelTemplate.class).publish("ticks", "after").get(BOUND.toSeconds(), TimeUnit.SECONDS);
			for (int i = 0; i < 4; i++) {
				cluster.bean(1, MessageQueueTemplate.class).sendAndWaitForDelivery("work", "job-" + i)
					.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			}
			Listeners first = cluster.bean(1, Listeners.class);
			Listeners second = cluster.bean(2, Listeners.class);
			Await.until("the event on both nodes", BOUND, () -> first.ticks.contains("after") && second.ticks.contains("after"));
			// round robin over both queues again
			assertThat(first.jobs).isNotEmpty();
			assertThat(second.jobs).isNotEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
			EventChannelAutoConfiguration.class, MessageQueueAutoConfiguration.class })
	static class Member {

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<String> ticks = new CopyOnWriteArrayList<>();

		final List<String> jobs = new CopyOnWriteArrayList<>();

		@EventChannelListener(channel = "ticks", id = "ticks")
		void tick(String tick) {
			this.ticks.add(tick);
		}

		@QueueListener(group = "work", id = "work")
		void work(String job) {
			this.jobs.add(job);
		}

	}

}
