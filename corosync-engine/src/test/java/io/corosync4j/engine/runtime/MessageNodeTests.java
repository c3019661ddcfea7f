package io.corosync4j.engine.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.message.Delivery;
import io.corosync4j.engine.message.DeliveryFailure;
import io.corosync4j.engine.message.Destination;
import io.corosync4j.engine.message.GroupPolicy;
import io.corosync4j.engine.message.MessageError;
import io.corosync4j.engine.message.MessageException;
import io.corosync4j.engine.message.MessageQueue;
import io.corosync4j.engine.message.MessageService;
import io.corosync4j.engine.message.QueueAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The message service on real sockets in this JVM: messages a consumer was handed but had not
 * acknowledged when its node crashed are handed to the other queue of its group, with the same ids;
 * request/reply and waiting for delivery between nodes.
 */
class MessageNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void unacknowledgedMessagesMoveToTheGroupsOtherQueueWhenTheConsumersNodeCrashes() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<CorosyncNode> nodes = cluster.startAll();
			cluster.awaitRing(BOUND);
			for (CorosyncNode node : nodes) {
				get(node.messages().ready().toCompletableFuture());
			}
			Map<Long, Delivery> stuck = new ConcurrentHashMap<>();
			Map<Long, Delivery> taken = new ConcurrentHashMap<>();
			// tag::open[]
			MessageService messages = nodes.get(0).messages();
			get(messages.createGroup("orders", GroupPolicy.ROUND_ROBIN));
			// node 1's consumer is handed messages but never acknowledges them
			get(messages.open("orders-1", QueueAttributes.transientQueue().withPrefetch(8), "orders",
					(queue, delivery) -> stuck.put(delivery.id(), delivery)));
			// node 2's consumer acknowledges each after handling it, deduplicating by id
			get(nodes.get(1).messages().open("orders-2", QueueAttributes.transientQueue(), "orders",
					(queue, delivery) -> {
						taken.putIfAbsent(delivery.id(), delivery);
						queue.acknowledge(delivery);
					}));
			// end::open[]
			// tag::send[]
			MessageService sender = nodes.get(2).messages();
			for (int i = 0; i < 10; i++) {
				// completes once the message is enqueued and held by every member of the ring
				List<Long> ids = get(sender.send(Destination.queue("orders-1"), 1, ("order " + i).getBytes(StandardCharsets.UTF_8)));
				assertThat(ids).hasSize(1);
			}
			// end::send[]
			Await.until("node 1's consumer was handed its prefetch window", BOUND, () -> stuck.size() == 8);
			// a consumer that does not acknowledge is handed no more than its window: an operation of its own
			// node, applied after the ten sends, completes on the callback thread after any handler the sends
			// could have caused
			get(messages.createGroup("applied-after-the-sends", GroupPolicy.ROUND_ROBIN));
			assertThat(stuck).hasSize(8);
			assertThat(taken).isEmpty();

			cluster.crash(1);
			Await.until("node 2's consumer took all ten", BOUND, () -> taken.size() == 10, taken::keySet);
			assertThat(taken.keySet()).containsAll(stuck.keySet());
			assertThat(taken.values()).allMatch(Delivery::moved);
			assertThat(taken.values().stream().map((d) -> new String(d.payload(), StandardCharsets.UTF_8)))
				.containsExactly("order 0", "order 1", "order 2", "order 3", "order 4", "order 5", "order 6", "order 7",
						"order 8", "order 9");
		}
	}

	@Test
	void requestsAreAnsweredAndDeliveriesAwaited() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			List<CorosyncNode> nodes = cluster.startAll();
			cluster.awaitRing(BOUND);
			for (CorosyncNode node : nodes) {
				get(node.messages().ready().toCompletableFuture());
			}
			MessageService server = nodes.get(0).messages();
			// tag::reply[]
			get(server.open("prices", QueueAttributes.transientQueue(), null, (queue, request) -> {
				String item = new String(request.payload(), StandardCharsets.UTF_8);
				queue.reply(request, (item + ": 42").getBytes(StandardCharsets.UTF_8));
			}));
			MessageService client = nodes.get(1).messages();
			byte[] answer = get(client.request(Destination.queue("prices"), 0, "tea".getBytes(StandardCharsets.UTF_8),
					Duration.ofSeconds(5)));
			// end::reply[]
			assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("tea: 42");

			List<Delivery> unanswered = new CopyOnWriteArrayList<>();
			MessageQueue silent = get(server.open("silent", QueueAttributes.transientQueue(), null,
					(queue, delivery) -> unanswered.add(delivery)));
			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> get(client.request(Destination.queue("silent"), 0, new byte[1], Duration.ofMillis(300))))
				.withCauseInstanceOf(MessageException.class)
				.satisfies((ex) -> assertThat(((MessageException) ex.getCause()).error()).isEqualTo(MessageError.TIMEOUT));

			List<DeliveryFailure> returned = new CopyOnWriteArrayList<>();
			client.onDeliveryFailure(returned::add);
			CompletableFuture<Void> delivered = client.sendAndWaitForDelivery(Destination.queue("silent"), 0, new byte[1]);
			Await.until("the consumer was handed the message", BOUND, () -> unanswered.size() == 2);
			assertThat(delivered).as("handed, not acknowledged").isNotDone();
			// the consumer closes its queue without acknowledging: the message comes back
			get(silent.closeQueue());
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> get(delivered))
				.satisfies((ex) -> assertThat(((MessageException) ex.getCause()).error()).isEqualTo(MessageError.NOT_FOUND));
			// both the unanswered request and the waited-for message came back to the sender
			Await.until("the returned messages reached the sender's listener", BOUND, () -> returned.size() == 2);
			assertThat(returned).allMatch((failure) -> failure.reason().contains("'silent'"));

			assertThatExceptionOfType(IllegalStateException.class)
				.isThrownBy(() -> get(client.send(Destination.queue("nowhere"), 0, new byte[1])))
				.satisfies((ex) -> assertThat(((MessageException) ex.getCause()).error()).isEqualTo(MessageError.NOT_FOUND));
		}
	}

	@Test
	void aPersistentQueueKeepsItsMessagesForItsRetentionOnly() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			List<CorosyncNode> nodes = cluster.startAll();
			cluster.awaitRing(BOUND);
			for (CorosyncNode node : nodes) {
				get(node.messages().ready().toCompletableFuture());
			}
			QueueAttributes persistent = QueueAttributes.persistentQueue(Duration.ofMillis(1500));
			Map<Long, Delivery> first = new ConcurrentHashMap<>();
			MessageQueue queue = get(nodes.get(0).messages().open("jobs", persistent, null,
					(q, delivery) -> first.put(delivery.id(), delivery)));
			get(nodes.get(1).messages().send(Destination.queue("jobs"), 2, new byte[] { 7 }));
			Await.until("the consumer was handed the job", BOUND, () -> first.size() == 1);
			get(queue.closeQueue());

			// another process opens it within the retention and finds the unacknowledged job
			Map<Long, Delivery> second = new ConcurrentHashMap<>();
			MessageQueue reopened = get(nodes.get(1).messages().open("jobs", persistent, null, (q, delivery) -> {
				second.put(delivery.id(), delivery);
				q.acknowledge(delivery);
			}));
			Await.until("the job was handed to the new consumer", BOUND, () -> second.size() == 1);
			assertThat(second.keySet()).isEqualTo(first.keySet());
			get(nodes.get(1).messages().send(Destination.queue("jobs"), 0, new byte[] { 8 }));
			Await.until("the second job was handed and acknowledged", BOUND, () -> second.size() == 2);
			get(reopened.closeQueue());

			// past the retention the coordinator retired it: a send finds no queue
			Await.until("the retention ran out", BOUND, () -> {
				try {
					get(nodes.get(0).messages().send(Destination.queue("jobs"), 0, new byte[1]));
					return false;
				}
				catch (IllegalStateException ex) {
					return ex.getCause() instanceof MessageException refused && refused.error() == MessageError.NOT_FOUND;
				}
			});
		}
	}

	private static <T> T get(CompletableFuture<T> future) {
		try {
			return future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause().toString(), ex.getCause());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
