package io.corosync4j.engine.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.CheckpointError;
import io.corosync4j.engine.checkpoint.CheckpointException;
import io.corosync4j.engine.checkpoint.SectionId;
import io.corosync4j.engine.checkpoint.UpdateMode;
import io.corosync4j.engine.event.ChannelFlag;
import io.corosync4j.engine.event.EventChannel;
import io.corosync4j.engine.event.EventError;
import io.corosync4j.engine.event.EventFilter;
import io.corosync4j.engine.event.EventPublication;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.message.Destination;
import io.corosync4j.engine.message.GroupPolicy;
import io.corosync4j.engine.message.MessageError;
import io.corosync4j.engine.message.MessageException;
import io.corosync4j.engine.message.MessageService;
import io.corosync4j.engine.message.QueueAttributes;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.runtime.InteropCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoints, service groups, events and message queues on a corosync4j node in a ring with Corosync 3
 * daemons, which carry the services' CPG messages and give their votes: the node's unit is active, its
 * synchronous writes complete, events reach the matching subscription in order and queue messages their
 * consumer while the daemons' votes make it quorate; when both daemons are gone it steps down, writes,
 * publications and sends are refused; when one comes back the unit is active again, the checkpoint holds
 * every write acknowledged before, and events flow again.
 */
class ServicesInteropTests {

	private static final SectionId COUNTER = SectionId.of("counter");

	@TempDir
	Path directory;

	@Test
	void servicesRunInARingOfCorosyncDaemonsAndFollowTheirQuorum() throws Exception {
		InteropCluster.requireTools();
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			InteropCluster.TwoDaemons daemons = cluster.twoDaemonsAndAJavaMember();
			Path javaConfig = daemons.javaConfig();
			Process first = daemons.first();
			Process second = daemons.second();

			try (CorosyncNode node = cluster.startJavaNode(3, javaConfig)) {
				Await.until("the Java node quorate with both daemons", BOUND,
						() -> node.quorate() && node.membership().members().size() == 3, node::membership);
				get(node.checkpoints().ready().toCompletableFuture());
				get(node.serviceGroups().ready().toCompletableFuture());
				Checkpoint checkpoint = get(node.checkpoints()
					.open("interop", CheckpointAttributes.of(UpdateMode.SYNCHRONOUS).withMaxSections(2)));
				List<ServiceUnitState> states = new CopyOnWriteArrayList<>();
				ServiceUnit unit = node.serviceGroups()
					.register(ServiceUnitSpec.of("interop"), (previous, next, change) -> states.add(next));
				Await.until("the unit active", BOUND, unit::isActive, states::toString);

				get(checkpoint.createSection(COUNTER, encode(0), null));
				long acknowledged = 0;
				for (long i = 1; i <= 10; i++) {
					get(checkpoint.overwrite(COUNTER, encode(i)));
					acknowledged = i;
				}

				// events and queue messages, carried by the daemons' ring in agreed order; each service takes
				// its own state's synchronization, which may end after the checkpoints' (a NO_QUORUM without it)
				get(node.events().ready().toCompletableFuture());
				EventChannel channel = get(node.events().open("interop", EnumSet.allOf(ChannelFlag.class)));
				List<Long> events = new CopyOnWriteArrayList<>();
				get(channel.subscribe(List.of(EventFilter.prefix(bytes("order"))),
						(event) -> events.add(ByteBuffer.wrap(event.data()).getLong())));
				for (long i = 1; i <= 10; i++) {
					get(channel.publish(EventPublication.of(encode(i)).withPatterns(bytes("order-created"))));
					get(channel.publish(EventPublication.of(encode(-i)).withPatterns(bytes("audit"))));
				}
				Await.until("the ten matching events", BOUND, () -> events.size() >= 10, events::toString);
				assertThat(events).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
				MessageService messages = node.messages();
				get(messages.ready().toCompletableFuture());
				get(messages.createGroup("interop", GroupPolicy.ROUND_ROBIN));
				List<Long> handled = new CopyOnWriteArrayList<>();
				get(messages.open("interop-1", QueueAttributes.transientQueue(), "interop", (queue, delivery) -> {
					handled.add(ByteBuffer.wrap(delivery.payload()).getLong());
					queue.acknowledge(delivery);
				}));
				for (long i = 1; i <= 5; i++) {
					get(messages.sendAndWaitForDelivery(Destination.group("interop"), 0, encode(i)));
				}
				assertThat(handled).containsExactly(1L, 2L, 3L, 4L, 5L);

				// one daemon gone: 2 of 3 votes, still quorate
				second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				Await.until("two members", BOUND, () -> node.membership().members().size() == 2, node::membership);
				get(checkpoint.overwrite(COUNTER, encode(++acknowledged)));
				assertThat(unit.isActive()).isTrue();

				// both gone: the node alone is not quorate; its unit steps down, writes are refused
				first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				Await.until("the unit stepped down", BOUND, () -> !unit.isActive() && !node.quorate(), states::toString);
				assertThat(unit.state()).isEqualTo(ServiceUnitState.UNASSIGNED);
				// its handle closed with the state; opening again is refused until quorum is back
				Await.until("the handle closed", BOUND, () -> !checkpoint.isOpen());
				assertThat(checkpoint.lossReason()).isEqualTo(CheckpointError.NO_QUORUM);
				Await.until("the channel closed", BOUND, () -> !channel.isOpen());
				assertThat(channel.closedFor()).isEqualTo(EventError.NO_QUORUM);
				assertThat(messages.send(Destination.group("interop"), 0, encode(6))).failsWithin(BOUND)
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOfSatisfying(MessageException.class,
							(ex) -> assertThat(ex.error()).isEqualTo(MessageError.NO_QUORUM));
				assertThat(node.checkpoints().open("interop", null)).failsWithin(BOUND)
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOfSatisfying(CheckpointException.class,
							(ex) -> assertThat(ex.error()).isEqualTo(CheckpointError.NO_QUORUM));

				// a daemon back: quorate again, active again, and the checkpoint kept every acknowledged write
				cluster.startDaemon(1);
				Await.until("the unit active again", BOUND, unit::isActive, states::toString);
				get(node.checkpoints().ready().toCompletableFuture());
				byte[] counter = get(node.checkpoints().open("interop", null).thenCompose((again) -> again.read(COUNTER)));
				assertThat(ByteBuffer.wrap(counter).getLong()).isEqualTo(acknowledged);
				// events flow again on a channel opened anew
				get(node.events().ready().toCompletableFuture());
				EventChannel again = get(node.events().open("interop", EnumSet.allOf(ChannelFlag.class)));
				List<Long> later = new CopyOnWriteArrayList<>();
				get(again.subscribe(List.of(EventFilter.passAll()),
						(event) -> later.add(ByteBuffer.wrap(event.data()).getLong())));
				get(again.publish(EventPublication.of(encode(11))));
				Await.until("an event after quorum came back", BOUND, () -> later.contains(11L), later::toString);
				System.out.printf("interop services: unit states %s, counter %d kept across the loss of quorum%n",
						states, acknowledged);
			}
		}
	}

	private static byte[] encode(long value) {
		return ByteBuffer.allocate(8).putLong(value).array();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static <T> T get(CompletableFuture<T> future) throws Exception {
		try {
			return future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause().toString(), ex.getCause());
		}
	}

}
