package io.corosync4j.engine.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.corosync4j.engine.event.ChannelFlag;
import io.corosync4j.engine.event.Event;
import io.corosync4j.engine.event.EventChannel;
import io.corosync4j.engine.event.EventError;
import io.corosync4j.engine.event.EventException;
import io.corosync4j.engine.event.EventFilter;
import io.corosync4j.engine.event.EventPublication;
import io.corosync4j.engine.event.EventService;
import io.corosync4j.engine.event.EventSubscriber;
import io.corosync4j.engine.event.EventSubscription;
import io.corosync4j.engine.fixtures.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The event service of {@link CorosyncNode#events()} on real sockets in this JVM: subscribers on three
 * nodes get the events their filters match in one order, a retained event reaches a later subscriber
 * and survives the crash of its publisher's node, and a subscriber that blocks loses the oldest events
 * and is told how many, without holding up the others.
 */
class EventNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final EnumSet<ChannelFlag> ALL = EnumSet.allOf(ChannelFlag.class);

	@TempDir
	Path directory;

	@Test
	void subscribersOnEveryNodeGetTheirEventsInOneOrder() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<CorosyncNode> nodes = cluster.startAll();
			List<EventService> services = ready(nodes);
			List<Recorder> all = new ArrayList<>();
			List<Recorder> errors = new ArrayList<>();
			for (EventService service : services) {
				EventChannel channel = get(service.open("alarms", ALL));
				Recorder everything = new Recorder();
				get(channel.subscribe(List.of(), everything));
				all.add(everything);
				Recorder onlyErrors = new Recorder();
				get(channel.subscribe(List.of(EventFilter.passAll(), EventFilter.suffix(bytes("error"))), onlyErrors));
				errors.add(onlyErrors);
			}
			List<Long> published = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				EventService publisher = services.get(i % 3);
				EventChannel channel = get(publisher.open("alarms", EnumSet.of(ChannelFlag.PUBLISH)));
				String kind = (i % 4 == 0) ? "link-error" : "link-up";
				published.add(get(channel.publish(EventPublication.of(bytes("event " + i))
					.withPatterns(bytes("node" + (i % 3 + 1)), bytes(kind)))));
				get(channel.close());
			}
			Await.until("every subscriber's events", BOUND,
					() -> all.stream().allMatch((recorder) -> recorder.ids.size() == 30)
							&& errors.stream().allMatch((recorder) -> recorder.ids.size() == 8));
			List<Long> sorted = published.stream().sorted().toList();
			for (Recorder recorder : all) {
				assertThat(recorder.ids).isEqualTo(sorted);
			}
			for (Recorder recorder : errors) {
				assertThat(recorder.ids).isEqualTo(errors.get(0).ids);
				assertThat(recorder.events).allSatisfy(
						(event) -> assertThat(new String(event.patterns().get(1), StandardCharsets.UTF_8)).endsWith("error"));
			}
		}
	}

	@Test
	void aRetainedEventReachesALaterSubscriberAfterItsPublishersNodeCrashed() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<CorosyncNode> nodes = cluster.startAll();
			List<EventService> services = ready(nodes);
			EventChannel publisher = get(services.get(0).open("config", ALL));
			long kept = get(publisher.publish(EventPublication.of(bytes("v2"))
				.withPatterns(bytes("config"))
				.withRetention(Duration.ofMinutes(5)), true));
			long gone = get(publisher.publish(EventPublication.of(bytes("v1"))
				.withPatterns(bytes("config"))
				.withRetention(Duration.ofMillis(300))));
			cluster.crash(1);
			EventChannel late = get(services.get(2).open("config", EnumSet.of(ChannelFlag.SUBSCRIBE)));
			Await.until("the short retention over everywhere", BOUND, () -> {
				Recorder probe = new Recorder();
				try {
					EventSubscription subscription = get(late.subscribe(List.of(EventFilter.exact(bytes("config"))), probe));
					get(subscription.unsubscribe());
				}
				catch (Exception ex) {
					return false;
				}
				return probe.ids.equals(List.of(kept));
			});
			assertThat(gone).as("ids follow the order of publication").isEqualTo(kept + 1);
			get(late.clearRetention(kept));
			Recorder after = new Recorder();
			get(late.subscribe(List.of(), after));
			// a subscription is told the retained events first, then what is published after it: once an event
			// published now arrives, a cleared one that was still retained would have arrived before it
			EventChannel marker = get(services.get(1).open("config", ALL));
			long next = get(marker.publish(EventPublication.of(bytes("marker")).withPatterns(bytes("marker"))));
			Await.until("the marker event", BOUND, () -> after.ids.contains(next), after.ids::toString);
			assertThat(after.ids).containsExactly(next);
			ExecutionException missing = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
					() -> get(late.clearRetention(kept)));
			assertThat(((EventException) missing.getCause()).error()).isEqualTo(EventError.NOT_FOUND);
		}
	}

	@Test
	void aSubscriberThatFallsBehindLosesTheOldestAndIsToldHowMany() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<CorosyncNode> nodes = cluster.startAll();
			List<EventService> services = ready(nodes);
			EventChannel channel = get(services.get(0).open("fast", ALL));
			CountDownLatch release = new CountDownLatch(1);
			AtomicLong lost = new AtomicLong();
			List<Long> got = new CopyOnWriteArrayList<>();
			get(channel.subscribe(List.of(), 4, new EventSubscriber() {

				@Override
				public void event(Event event) {
					got.add(event.id());
					try {
						release.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}

				@Override
				public void eventsLost(long count) {
					lost.addAndGet(count);
				}

			}));
			// futures complete on the callback thread the subscriber blocks: they are read once it lets go
			List<java.util.concurrent.CompletableFuture<Long>> publishing = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				publishing.add(channel.publish(EventPublication.of(bytes("e" + i))));
			}
			Await.until("every event handed to the subscription's queue", BOUND,
					() -> services.get(0).statistics().delivered() == 20);
			release.countDown();
			List<Long> ids = new ArrayList<>();
			for (java.util.concurrent.CompletableFuture<Long> future : publishing) {
				ids.add(get(future));
			}
			Await.until("the subscriber caught up", BOUND, () -> got.size() + lost.get() == 20);
			// the event it blocked on (whichever the callback thread took first), then the newest four
			assertThat(got.subList(got.size() - 4, got.size())).isEqualTo(ids.subList(16, 20));
			assertThat(ids).containsSubsequence(got);
			assertThat(lost.get()).isBetween(15L, 16L);
			assertThat(services.get(0).statistics().lost()).isEqualTo(lost.get());
		}
	}

	@Test
	void publishingWithoutTheFlagOrOutsideTheRulesIsRefused() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<EventService> services = ready(cluster.startAll());
			EventChannel listener = get(services.get(1).open("quiet", EnumSet.of(ChannelFlag.CREATE, ChannelFlag.SUBSCRIBE)));
			assertThat(error(listener.publish(EventPublication.of(bytes("x"))))).isEqualTo(EventError.INVALID);
			assertThat(error(services.get(0).open("missing", EnumSet.of(ChannelFlag.PUBLISH)))).isEqualTo(EventError.NOT_FOUND);
			assertThat(error(listener.publish(EventPublication.of(new byte[EventService.MAX_DATA_BYTES + 1]))))
				.isEqualTo(EventError.TOO_BIG);
			assertThat(error(listener.publish(EventPublication.of(bytes("x")).withPriority(4)))).isEqualTo(EventError.INVALID);
			get(listener.close());
			assertThat(error(listener.publish(EventPublication.of(bytes("x"))))).isEqualTo(EventError.CLOSED);
		}
	}

	private static List<EventService> ready(List<CorosyncNode> nodes) throws Exception {
		List<EventService> services = new ArrayList<>();
		for (CorosyncNode node : nodes) {
			services.add(node.events());
		}
		for (EventService service : services) {
			service.ready().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		return services;
	}

	private static <T> T get(java.util.concurrent.CompletableFuture<T> future) throws Exception {
		return future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
	}

	private static EventError error(java.util.concurrent.CompletableFuture<?> future) {
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> get(future));
		try {
			get(future);
			throw new AssertionError("not failed");
		}
		catch (ExecutionException ex) {
			return ((EventException) ex.getCause()).error();
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** What a subscription got, from the callback thread. */
	static final class Recorder implements EventSubscriber {

		final List<Long> ids = new CopyOnWriteArrayList<>();

		final List<Event> events = new CopyOnWriteArrayList<>();

		@Override
		public void event(Event event) {
			this.ids.add(event.id());
			this.events.add(event);
		}

	}

}
