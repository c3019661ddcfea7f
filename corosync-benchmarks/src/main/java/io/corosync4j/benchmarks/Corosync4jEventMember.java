package io.corosync4j.benchmarks;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.event.ChannelFlag;
import io.corosync4j.engine.event.Event;
import io.corosync4j.engine.event.EventChannel;
import io.corosync4j.engine.event.EventPublication;
import io.corosync4j.engine.event.EventService;
import io.corosync4j.engine.event.EventSubscriber;
import io.corosync4j.engine.runtime.CorosyncNode;

/**
 * One corosync4j member of the event benchmark, driven by {@link EventBenchmark} ({@link EventMember}'s
 * commands): {@code Corosync4jEventMember CONFIG ADDRESS MEMBERS}. Once the ring has {@code MEMBERS}
 * nodes and the event service holds its state, it opens channel {@value #CHANNEL} to publish and
 * subscribe, subscribes without filters (every event of the channel) and reports ready.
 */
public final class Corosync4jEventMember {

	static final String CHANNEL = "bench-events";

	/**
	 * Deliveries that may wait for the subscriber: far more than a run keeps in flight, so none is dropped
	 * (a drop would be counted as lost and fail the run's check).
	 */
	static final int QUEUE_BOUND = 1 << 20;

	private Corosync4jEventMember() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: Corosync4jEventMember CONFIG ADDRESS MEMBERS");
			System.exit(2);
		}
		CorosyncConfig config = new CorosyncConfigReader().read(Path.of(args[0]));
		HostNetwork host = HostNetwork.withLocalAddresses(HostNetwork.system(),
				List.of(InetAddress.getByName(args[1])));
		int members = Integer.parseInt(args[2]);
		try (CorosyncNode node = CorosyncNode.builder(config).hostNetwork(host).start()) {
			EventMember.Counter counter = new EventMember.Counter(System.out);
			EventMember.serve(ready(node, members, counter), counter, "node" + node.nodeId(), false);
		}
		System.exit(0);
	}

	/** Waits for a synchronized ring of {@code members} nodes and the service's state, then subscribes. */
	static ChannelBus ready(CorosyncNode node, int members, EventMember.Counter counter) throws Exception {
		node.awaitMembership((membership) -> membership.synced() && membership.members().size() == members,
				Duration.ofSeconds(EventMember.BOUND_SECONDS));
		EventService events = node.events();
		Corosync4jCheckpointMember.await(events.ready().toCompletableFuture(), "the event service's state");
		EventChannel channel = Corosync4jCheckpointMember.await(events.open(CHANNEL,
				EnumSet.of(ChannelFlag.CREATE, ChannelFlag.PUBLISH, ChannelFlag.SUBSCRIBE)), "opening " + CHANNEL);
		Corosync4jCheckpointMember.await(channel.subscribe(List.of(), QUEUE_BOUND, new EventSubscriber() {

			@Override
			public void event(Event event) {
				counter.delivered(event.data());
			}

			@Override
			public void eventsLost(long count) {
				counter.lost(count);
			}

		}), "subscribing to " + CHANNEL);
		return new ChannelBus(channel);
	}

	/** Publications on one channel handle: each completes once applied on this member. */
	record ChannelBus(EventChannel channel) implements EventMember.Bus {

		@Override
		public CompletableFuture<Void> publish(byte[] event) {
			return this.channel.publish(EventPublication.of(event)).thenApply((id) -> null);
		}

	}

}
