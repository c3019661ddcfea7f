package io.corosync4j.benchmarks;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.message.Destination;
import io.corosync4j.engine.message.GroupPolicy;
import io.corosync4j.engine.message.MessageError;
import io.corosync4j.engine.message.MessageException;
import io.corosync4j.engine.message.MessageService;
import io.corosync4j.engine.message.QueueAttributes;
import io.corosync4j.engine.runtime.CorosyncNode;

/**
 * One corosync4j member of the message benchmark, driven by {@link MessageBenchmark}
 * ({@link MessageMember}'s commands): {@code Corosync4jMessageMember CONFIG ADDRESS MEMBERS INDEX}. Once
 * the ring has {@code MEMBERS} nodes and the message service holds its state, it opens queue
 * {@code bench-INDEX} in the {@code ROUND_ROBIN} group {@value #GROUP}, whose consumer acknowledges every
 * message it is handed; member 1 also serves requests on queue {@value #SERVER}, replying with the
 * request's bytes.
 */
public final class Corosync4jMessageMember {

	static final String GROUP = "bench";

	static final String SERVER = "bench-rpc";

	/**
	 * Messages handed to a consumer and not yet acknowledged, by default ({@code --message-prefetch}): the
	 * service's own default. A larger window was slower on this host (256: 4,570–8,314 messages a second
	 * against 14,728–16,961 with 16, alternating runs): the service checks every handed message of a queue
	 * again after each operation it applies, on the event loop.
	 */
	static final int PREFETCH = 16;

	/**
	 * Room per priority far beyond what a run keeps queued (a full queue would fail sends, not slow them),
	 * and {@code prefetch} handed at a time.
	 */
	static QueueAttributes queue(int prefetch) {
		return QueueAttributes.transientQueue().withCapacity(1 << 20, 256L << 20).withPrefetch(prefetch);
	}

	private Corosync4jMessageMember() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 4 || args.length > 5) {
			System.err.println("usage: Corosync4jMessageMember CONFIG ADDRESS MEMBERS INDEX [PREFETCH]");
			System.exit(2);
		}
		CorosyncConfig config = new CorosyncConfigReader().read(Path.of(args[0]));
		HostNetwork host = HostNetwork.withLocalAddresses(HostNetwork.system(),
				List.of(InetAddress.getByName(args[1])));
		int members = Integer.parseInt(args[2]);
		int index = Integer.parseInt(args[3]);
		int prefetch = (args.length == 5) ? Integer.parseInt(args[4]) : PREFETCH;
		try (CorosyncNode node = CorosyncNode.builder(config).hostNetwork(host).start()) {
			MessageMember.Counter counter = new MessageMember.Counter();
			MessageMember.serve(ready(node, members, index, prefetch, counter), counter, "node" + node.nodeId(), false);
		}
		System.exit(0);
	}

	/** Waits for the ring and the state, then opens this member's queue (and member 1's server). */
	static NodeQueues ready(CorosyncNode node, int members, int index, int prefetch, MessageMember.Counter counter)
			throws Exception {
		node.awaitMembership((membership) -> membership.synced() && membership.members().size() == members,
				Duration.ofSeconds(EventMember.BOUND_SECONDS));
		MessageService messages = node.messages();
		Corosync4jCheckpointMember.await(messages.ready().toCompletableFuture(), "the message service's state");
		try {
			messages.createGroup(GROUP, GroupPolicy.ROUND_ROBIN).get(EventMember.BOUND_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			// every member creates it; all but the first find it there
			if (!(ex.getCause() instanceof MessageException refused) || refused.error() != MessageError.EXISTS) {
				throw new IllegalStateException("creating group " + GROUP + " failed: " + ex.getCause(), ex.getCause());
			}
		}
		Corosync4jCheckpointMember.await(messages.open("bench-" + index, queue(prefetch), GROUP, (queue, delivery) -> {
			counter.handled(delivery.payload());
			queue.acknowledge(delivery).whenComplete((done, failure) -> {
				if (failure != null) {
					System.out.println("FAILED: acknowledging " + delivery.id() + ": " + failure);
					System.out.flush();
				}
				else {
					counter.done(delivery.payload());
				}
			});
		}), "opening bench-" + index);
		if (index == 1) {
			Corosync4jCheckpointMember.await(
					messages.open(SERVER, queue(prefetch), null, (queue, request) -> queue.reply(request, request.payload())),
					"opening " + SERVER);
		}
		return new NodeQueues(messages);
	}

	/** Sends into the group (complete once enqueued and safe) and requests to the server's queue. */
	record NodeQueues(MessageService messages) implements MessageMember.Queues {

		@Override
		public CompletableFuture<Void> send(byte[] message) {
			return this.messages.send(Destination.group(GROUP), 0, message).thenApply((ids) -> null);
		}

		@Override
		public CompletableFuture<Void> request(byte[] message) {
			return this.messages.request(Destination.queue(SERVER), 0, message,
					Duration.ofSeconds(EventMember.BOUND_SECONDS)).thenApply((reply) -> null);
		}

	}

}
