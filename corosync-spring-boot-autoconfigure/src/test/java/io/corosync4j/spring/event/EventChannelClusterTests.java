package io.corosync4j.spring.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.corosync4j.spring.Await;
import io.corosync4j.spring.ContextCluster;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;

/** Two application contexts, two nodes: listeners on both see the events of both publishers in one order. */
class EventChannelClusterTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final int EACH = 25;

	@Test
	void listenersOnTwoNodesSeeTheEventsOfBothPublishersInTheSameOrder() throws Exception {
		try (ContextCluster cluster = ContextCluster.start(2, new Class<?>[] { Member.class, Ticks.class })) {
			for (int node = 1; node <= 2; node++) {
				cluster.bean(node, EventChannelListenerEndpointRegistry.class).subscribed()
					.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			}
			List<CompletableFuture<Long>> published = new ArrayList<>();
			List<CompletableFuture<Void>> publishers = new ArrayList<>();
			for (int node = 1; node <= 2; node++) {
				EventChannelTemplate template = cluster.bean(node, EventChannelTemplate.class);
				String name = "n" + node;
				// both publish at once, so their events interleave
				publishers.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < EACH; i++) {
						synchronized (published) {
							published.add(template.publish("ticks", name + "-" + i));
						}
					}
				}));
			}
			CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			Ticks first = cluster.bean(1, Ticks.class);
			Ticks second = cluster.bean(2, Ticks.class);
			Await.until("every event on both nodes", BOUND,
					() -> first.seen.size() == 2 * EACH && second.seen.size() == 2 * EACH);
			assertThat(first.seen).containsExactlyElementsOf(second.seen);
			assertThat(first.ids).isSorted().doesNotHaveDuplicates().containsExactlyElementsOf(second.ids);
			for (String name : List.of("n1", "n2")) {
				assertThat(first.seen.stream().filter((tick) -> tick.startsWith(name + "-")).toList())
					.as("%s's events in the order it published them", name)
					.containsExactlyElementsOf(IntStream.range(0, EACH).mapToObj((i) -> name + "-" + i)
						.toList());
			}
			assertThat(first.publisherNodes).containsOnly(1L, 2L);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
			EventChannelAutoConfiguration.class })
	static class Member {

	}

	@Configuration(proxyBeanMethods = false)
	static class Ticks {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final List<Long> ids = new CopyOnWriteArrayList<>();

		final List<Long> publisherNodes = new CopyOnWriteArrayList<>();

		@EventChannelListener(channel = "ticks")
		void tick(String tick, @Header(EventHeaders.ID) long id, @Header(EventHeaders.PUBLISHER_NODE) long node) {
			this.seen.add(tick);
			this.ids.add(id);
			this.publisherNodes.add(node);
		}

	}

}
