package io.corosync4j.engine.totem.srp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

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
import io.corosync4j.engine.replica.ReplicaHost;
import io.corosync4j.engine.totem.srp.LockSimulationTests.DirectExecutorService;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code docs/events.md}, run on a simulated ring of three nodes (futures complete in
 * the simulation's own order, so the examples chain them rather than block), with what the page says
 * of filters, retention and refusals.
 */
class EventDocsTests extends SimulatedServiceTests<EventError> {

	EventDocsTests() {
		super(13, "event service");
	}

	@Override
	EventError errorOf(Throwable failure) {
		return ((EventException) failure).error();
	}

	@Test
	void theServiceStartsOnAHost() throws Exception {
		startThreeNodes();
		ReplicaHost host = this.hosts.get(0);
		// tag::start[]
		EventService events = new EventService(host);   // joins the CPG group corosync4j:evt
		events.ready().thenRun(() -> System.out.println("this member holds every channel"));
		// end::start[]
		run(3_000);
		events.ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
		assertThat(events.holdsState()).isTrue();
		events.close();
		run(100);
	}

	@Test
	void eventsAreUsedAsThePageSays() {
		startThreeNodes();
		EventService events = new EventService(this.hosts.get(0), new DirectExecutorService());
		EventService other = new EventService(this.hosts.get(1), new DirectExecutorService());
		run(3_000);

		// tag::open[]
		CompletableFuture<EventChannel> opened = events.open("alarms",
				EnumSet.of(ChannelFlag.CREATE, ChannelFlag.PUBLISH, ChannelFlag.SUBSCRIBE));
		// end::open[]
		run(1_000);
		EventChannel alarms = opened.join();

		// tag::subscribe[]
		List<EventFilter> filters = List.of(
				EventFilter.prefix("node".getBytes(UTF_8)),      // pattern 0 starts with "node"
				EventFilter.exact("link-down".getBytes(UTF_8))); // pattern 1 is "link-down"
		CompletableFuture<EventSubscription> subscribed = alarms.subscribe(filters, new EventSubscriber() {

			@Override
			public void event(Event event) {
				System.out.println(event.id() + " " + new String(event.data(), UTF_8));
			}

			@Override
			public void eventsLost(long count) {
				System.out.println(count + " events lost: this subscriber fell behind");
			}

		});
		// end::subscribe[]
		run(1_000);
		EventSubscription subscription = subscribed.join();
		List<Long> got = new ArrayList<>();
		alarms.subscribe(filters, (event) -> got.add(event.id()));

		// tag::publish[]
		CompletableFuture<Long> published = alarms.publish(EventPublication.of("link 2 of node 3".getBytes(UTF_8))
			.withPatterns("node3".getBytes(UTF_8), "link-down".getBytes(UTF_8))
			.withPriority(EventPublication.HIGHEST)
			.withPublisher("link-monitor"));
		// end::publish[]
		run(1_000);
		long id = published.join();
		alarms.publish(EventPublication.of(new byte[0]).withPatterns("node3".getBytes(UTF_8), "link-up".getBytes(UTF_8)));
		alarms.publish(EventPublication.of(new byte[0]).withPatterns("node3".getBytes(UTF_8)));
		run(1_000);
		assertThat(got).containsExactly(id);

		// tag::retain[]
		CompletableFuture<Long> retained = alarms.publish(EventPublication.of("config v7".getBytes(UTF_8))
			.withPatterns("node1".getBytes(UTF_8), "link-down".getBytes(UTF_8))
			.withRetention(Duration.ofSeconds(30)), true);   // told once no later component can miss it
		// end::retain[]
		run(1_000);
		long kept = retained.join();
		List<Long> late = new ArrayList<>();
		EventChannel later = await(other.open("alarms", EnumSet.of(ChannelFlag.SUBSCRIBE)));
		later.subscribe(filters, (event) -> late.add(event.id()));
		run(1_000);
		assertThat(late).as("a later subscriber gets the retained event").containsExactly(kept);

		// tag::clear[]
		CompletableFuture<Void> cleared = alarms.clearRetention(kept);   // later subscribers no longer get it
		// end::clear[]
		run(1_000);
		cleared.join();
		List<Long> after = new ArrayList<>();
		later.subscribe(filters, (event) -> after.add(event.id()));
		run(1_000);
		assertThat(after).isEmpty();

		// tag::refused[]
		other.open("no-such-channel", EnumSet.of(ChannelFlag.PUBLISH)).exceptionally((failure) -> {
			EventException refused = (EventException) failure;
			System.out.println(refused.error() + ": " + refused.detail());   // NOT_FOUND: channel 'no-such-channel'
			return null;
		});
		// end::refused[]
		CompletableFuture<EventChannel> missing = other.open("no-such-channel", EnumSet.of(ChannelFlag.PUBLISH));
		run(1_000);
		assertThat(error(missing)).isEqualTo(EventError.NOT_FOUND);
		assertThat(error(later.publish(EventPublication.of(new byte[1])))).as("not opened to publish")
			.isEqualTo(EventError.INVALID);

		// tag::unlink[]
		events.unlink("alarms");   // the name is free at once; the channel goes at its last close
		// end::unlink[]
		run(1_000);
		assertThat(await(events.channels())).singleElement().satisfies((status) -> assertThat(status.unlinked()).isTrue());
		subscription.unsubscribe();
		alarms.close();
		later.close();
		run(1_000);
		assertThat(await(events.channels())).isEmpty();
	}

	/** Retention runs on the coordinator's clock; outside the primary component handles close and calls fail NO_QUORUM. */
	@Test
	void retentionEndsOnTheCoordinatorsClock() {
		startThreeNodes();
		EventService events = new EventService(this.hosts.get(2), new DirectExecutorService());
		run(3_000);
		EventChannel channel = await(events.open("c", EnumSet.allOf(ChannelFlag.class)));
		channel.publish(EventPublication.of(new byte[1]).withRetention(Duration.ofMillis(500)));
		run(200);
		List<Long> early = new ArrayList<>();
		channel.subscribe(List.of(), (event) -> early.add(event.id()));
		run(1_000);
		assertThat(early).hasSize(1);
		List<Long> late = new ArrayList<>();
		channel.subscribe(List.of(), (event) -> late.add(event.id()));
		run(1_000);
		assertThat(late).isEmpty();

		// the other two nodes go: this one is outside the primary component
		this.sim.nodes.get(0).crash();
		this.sim.nodes.get(1).crash();
		run(15_000);   // the token timeout and consensus of Corosync's defaults, then a ring of one
		assertThat(events.holdsState()).isFalse();
		assertThat(channel.isOpen()).isFalse();
		assertThat(channel.closedFor()).isEqualTo(EventError.NO_QUORUM);
		assertThat(error(events.open("c", EnumSet.of(ChannelFlag.PUBLISH)))).isEqualTo(EventError.NO_QUORUM);
	}

}
