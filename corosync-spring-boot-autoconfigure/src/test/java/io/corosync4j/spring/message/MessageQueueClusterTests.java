package io.corosync4j.spring.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.spring.Await;
import io.corosync4j.spring.ContextCluster;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;

/** Two application contexts, two nodes, one queue group: each message is handled once, by one of them. */
class MessageQueueClusterTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final int EACH = 30;

	@Test
	void eachMessageOfTheGroupIsHandledOnceByOneMemberAndRequestsAreAnswered() throws Exception {
		try (ContextCluster cluster = ContextCluster.start(2, new Class<?>[] { Member.class, Worker.class })) {
			for (int node = 1; node <= 2; node++) {
				cluster.bean(node, QueueListenerEndpointRegistry.class).opened().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			}
			List<CompletableFuture<List<Long>>> sent = new ArrayList<>();
			for (int i = 0; i < EACH; i++) {
				for (int node = 1; node <= 2; node++) {
					sent.add(cluster.bean(node, MessageQueueTemplate.class).send("work", "n" + node + "-" + i));
				}
			}
			CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
			Worker first = cluster.bean(1, Worker.class);
			Worker second = cluster.bean(2, Worker.class);
			Await.until("every message handled", BOUND, () -> first.handled.size() + second.handled.size() == 2 * EACH);
			List<String> all = new ArrayList<>(first.handled);
			all.addAll(second.handled);
			// once each, no more
			assertThat(all).doesNotHaveDuplicates().hasSize(2 * EACH);
			// round robin over the two queues: both worked
			assertThat(first.handled).isNotEmpty();
			assertThat(second.handled).isNotEmpty();
			for (int node = 1; node <= 2; node++) {
				int handled = cluster.bean(node, Worker.class).handled.size();
				QueueListenerEndpointRegistry registry = cluster.bean(node, QueueListenerEndpointRegistry.class);
				Await.until("the acknowledgements", BOUND,
						() -> registry.getStatistics().get("worker").acknowledged() == handled);
			}
			// requests from node 1 reach both nodes' workers in turn, and every answer comes back
			List<String> answers = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				answers.add(cluster.bean(1, MessageQueueTemplate.class).sendAndReceive("work", "ask-" + i, String.class)
					.get(BOUND.toSeconds(), TimeUnit.SECONDS));
			}
			assertThat(answers).allMatch((answer) -> answer.matches("ask-\\d by node [12]"));
			assertThat(answers.stream().map((answer) -> answer.substring(answer.length() - 1)).distinct()).hasSize(2);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ CorosyncAutoConfiguration.class, CpgAutoConfiguration.class,
			MessageQueueAutoConfiguration.class })
	static class Member {

	}

	@Configuration(proxyBeanMethods = false)
	static class Worker {

		final List<String> handled = new CopyOnWriteArrayList<>();

		private final CorosyncNodeLifecycle node;

		Worker(CorosyncNodeLifecycle node) {
			this.node = node;
		}

		@QueueListener(group = "work", id = "worker")
		String work(String item, @Header(QueueHeaders.REPLY_EXPECTED) boolean request) {
			if (!request) {
				this.handled.add(item);
			}
			return item + " by node " + this.node.getNode().nodeId();
		}

	}

}
