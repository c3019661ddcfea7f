package io.corosync4j.engine.totem.srp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.corosync4j.engine.message.Delivery;
import io.corosync4j.engine.message.DeliveryFailure;
import io.corosync4j.engine.message.Destination;
import io.corosync4j.engine.message.GroupPolicy;
import io.corosync4j.engine.message.MessageError;
import io.corosync4j.engine.message.MessageException;
import io.corosync4j.engine.message.MessageProbe;
import io.corosync4j.engine.message.MessageQueue;
import io.corosync4j.engine.message.MessageService;
import io.corosync4j.engine.message.QueueAttributes;
import io.corosync4j.engine.totem.srp.LockSimulationTests.DirectExecutorService;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Run;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Scenario;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message service on the simulated ring, under the simulation's faults: every node's incarnation
 * opens a queue of its own in one round-robin queue group and one outside any group, sends numbered
 * messages at two priorities to the group (and now and then to some node's queue outside it), and
 * acknowledges what its queues are handed after a random delay, now and then a long one.
 *
 * <p>Checked throughout: no message is acknowledged twice (two acknowledgements that both succeed), and
 * none is handed to a consumer after its acknowledgement succeeded; each queue hands a sender's messages
 * of one priority in send order (messages moved there from a queue whose consumer left excepted: they
 * may come after later ones already handed). After the heal, with the workload stopped and time to
 * drain: every send that completed was acknowledged by exactly one consumer, or returned to its sender
 * (or its consumer's incarnation ended with the acknowledgement on its way and no replica holds it: the
 * acknowledgement was applied, nobody left heard of it), unless its sender's incarnation ended or was out
 * of the primary component for a while (a message returned meanwhile reaches nobody), or the primary
 * component vanished altogether and the state started afresh; every member holding the state holds the
 * same replica. More seeds with {@code -Dcorosync4j.simulation.msgSeeds=N}; one run with
 * {@code -Dcorosync4j.simulation.msgRun=MIXED:3}.
 */
class MessageSimulationTests {

	private static final String GROUP = "work";

	/** Time after the workload for the queues to drain. */
	private static final long SETTLE_MILLIS = 5_000;

	static Stream<Arguments> runs() {
		String only = System.getProperty("corosync4j.simulation.msgRun");
		if (only != null) {
			String[] run = only.split(":");
			return Stream.of(Arguments.of(Scenario.valueOf(run[0]), Long.parseLong(run[1])));
		}
		int seeds = Integer.getInteger("corosync4j.simulation.msgSeeds", 2);
		return Stream.of(Scenario.LOSSY, Scenario.CRASH_RESTART, Scenario.PARTITION, Scenario.FREEZE, Scenario.LEAVE,
				Scenario.MIXED)
			.flatMap((scenario) -> LongStream.rangeClosed(1, seeds).mapToObj((seed) -> Arguments.of(scenario, seed)));
	}

	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("runs")
	void everyAcknowledgedSendIsConsumedOnceOrReturned(Scenario scenario, long seed) {
		Run run = new Run(scenario, seed, true, 0);
		Messages messages = new Messages(run);
		run.sim.servicesStarted = messages::started;
		run.execute();
		String where = scenario + " seed " + seed;
		messages.workload = false;
		run.sim.runUntil(run.sim.now() + SETTLE_MILLIS * Simulation.MS);
		assertThat(messages.violations).as(where).isEmpty();
		messages.checkReplicas(where);
		messages.checkAccounted(where);
		assertThat(messages.sent).as(where + ": sends completed").hasSizeGreaterThan(10);
		assertThat(messages.consumed).as(where + ": messages acknowledged").isNotEmpty();
	}

	/** Every node's services and application, and the checks. */
	static final class Messages {

		final Run run;

		final Simulation sim;

		final SplittableRandom random;

		final Map<Long, Member> current = new HashMap<>();

		final List<Member> all = new ArrayList<>();

		/** Sends that completed, by key, with the fresh starts seen when they did. */
		final Map<String, Long> sent = new LinkedHashMap<>();

		/** Keys acknowledged by a consumer (the acknowledgement succeeded), with the consumer. */
		final Map<String, String> consumed = new HashMap<>();

		/**
		 * Keys whose acknowledgement a consumer sent and has not learned the outcome of, with the consumer: if
		 * the consumer's incarnation ends first, the acknowledgement may have been applied without anyone
		 * in the test hearing of it.
		 */
		final Map<String, Member> acking = new HashMap<>();

		/** The times its sender had dropped its state when a send completed, by key. */
		final Map<String, Long> senderLosses = new HashMap<>();

		/** Keys returned to their sender. */
		final Set<String> returned = new HashSet<>();

		final List<String> violations = new ArrayList<>();

		boolean workload = true;

		Messages(Run run) {
			this.run = run;
			this.sim = run.sim;
			this.random = new SplittableRandom(run.sim.seed ^ 0x3E55A6EL);
		}

		void started(SimNode.Services services) {
			Member member = new Member(this, services);
			this.current.put(services.node().nodeid, member);
			this.all.add(member);
			member.next();
		}

		long freshStarts() {
			long total = 0;
			for (Member member : this.all) {
				total += MessageProbe.freshStarts(member.service);
			}
			return total;
		}

		void checkReplicas(String where) {
			String first = null;
			for (Member member : this.current.values()) {
				if (!member.running() || !member.service.holdsState()) {
					continue;
				}
				String dump = MessageProbe.dump(member.service);
				if (first == null) {
					first = dump;
				}
				else {
					assertThat(dump).as(where + ": replica of " + member).isEqualTo(first);
				}
			}
			assertThat(first).as(where + ": a member holding the state").isNotNull();
		}

		/** Whether a replica still holds the message with this key. */
		boolean held(String key) {
			String hex = HexFormat.of().formatHex(payload(key));
			for (Member member : this.current.values()) {
				if (member.running() && MessageProbe.dump(member.service).contains(hex)) {
					return true;
				}
			}
			return false;
		}

		/** The payload of the message with this key ({@code n<node>/<incarnation>#<seq>}). */
		static byte[] payload(String key) {
			int slash = key.indexOf('/');
			int hash = key.indexOf('#');
			long node = Long.parseLong(key.substring(1, slash));
			long incarnation = Long.parseLong(key.substring(slash + 1, hash));
			return ByteBuffer.allocate(16).putLong(node * 1000 + incarnation).putLong(Long.parseLong(key.substring(hash + 1)))
				.array();
		}

		/** Every completed send was consumed once or returned, but for the documented exceptions. */
		void checkAccounted(String where) {
			long fresh = freshStarts();
			Map<String, Member> senders = new HashMap<>();
			for (Member member : this.all) {
				senders.put(member.toString(), member);
			}
			List<String> lost = new ArrayList<>();
			for (Map.Entry<String, Long> send : this.sent.entrySet()) {
				String key = send.getKey();
				Member sender = senders.get(key.substring(0, key.indexOf('#')));
				if (send.getValue() != fresh || sender == null || !sender.running()
						|| MessageProbe.losses(sender.service) != this.senderLosses.get(key)) {
					// the sender is gone, or was out of the primary component for a while: a message returned
					// meanwhile reached nobody
					continue;
				}
				boolean consumed = this.consumed.containsKey(key);
				boolean back = this.returned.contains(key);
				Member acker = this.acking.get(key);
				if (!consumed && !back && acker != null && !acker.running() && !held(key)) {
					// its consumer died with the acknowledgement on its way, and no replica holds it: applied
					continue;
				}
				if (!consumed && !back) {
					lost.add(key);
				}
				if (consumed && back) {
					this.violations.add(where + ": " + key + " was both acknowledged and returned");
				}
			}
			assertThat(lost).as(where + ": completed sends neither acknowledged nor returned (" + this.sent.size()
					+ " sent; " + this.consumed.size() + " acknowledged)").isEmpty();
			assertThat(this.violations).as(where).isEmpty();
		}

		/** One incarnation of a node's message service and the application using it. */
		static final class Member {

			final Messages messages;

			final SimNode.Services services;

			final MessageService service;

			@Nullable MessageQueue queue;

			/** A queue of this incarnation's outside the group. */
			@Nullable MessageQueue lone;

			boolean loneOpening;

			boolean opening;

			boolean grouped;

			long sequence;

			/** Per sender and priority, the highest sequence this incarnation's queue was handed (not moved). */
			final Map<String, Long> order = new HashMap<>();

			/** Ids this consumer was handed, for deduplication. */
			final Set<Long> seen = new HashSet<>();

			Member(Messages messages, SimNode.Services services) {
				this.messages = messages;
				this.services = services;
				this.service = new MessageService(services.replicaHost("message service"), new DirectExecutorService());
				this.service.onDeliveryFailure(this::returned);
			}

			boolean running() {
				return this.services.node().alive() && this.services.node().incarnation() == this.services.incarnation();
			}

			long nodeid() {
				return this.services.node().nodeid;
			}

			void next() {
				long delay = 20 + this.messages.random.nextInt(150);
				this.services.schedule().apply(delay, this::act);
			}

			private void act() {
				if (!running()) {
					return;
				}
				next();
				if (!this.service.holdsState()) {
					if (this.messages.workload && this.messages.random.nextInt(4) == 0) {
						// outside the primary component (or before the state came) a send fails at once
						this.service.send(Destination.group(GROUP), 0, new byte[16]).whenComplete((ids, failure) -> {
							MessageError error = error(failure);
							if (failure == null || (error != MessageError.NO_QUORUM && error != MessageError.CLOSED
									&& !this.service.holdsState())) {
								this.messages.violations.add(this + ": a send without the state ended with " + failure);
							}
						});
					}
					return;
				}
				if (!this.grouped) {
					this.grouped = true;
					this.service.createGroup(GROUP, GroupPolicy.ROUND_ROBIN).whenComplete((ok, failure) -> {
						if (failure != null && error(failure) != MessageError.EXISTS) {
							this.grouped = false;
							expected(failure);
						}
					});
					return;
				}
				MessageQueue open = this.queue;
				if ((open == null || !open.isOpen()) && !this.opening) {
					this.opening = true;
					// a new name each time: a queue whose consumer left is gone (transient)
					String name = "q" + nodeid() + "-" + this.services.incarnation() + "-" + (++this.sequence);
					this.service.open(name, QueueAttributes.transientQueue().withPrefetch(4), GROUP, this::handle)
						.whenComplete((opened, failure) -> {
							this.opening = false;
							if (opened != null) {
								this.queue = opened;
								this.order.clear();
							}
							else if (error(failure) != MessageError.NOT_FOUND) {
								expected(failure);
							}
							else {
								this.grouped = false;
							}
						});
					return;
				}
				MessageQueue alone = this.lone;
				if ((alone == null || !alone.isOpen()) && !this.loneOpening) {
					this.loneOpening = true;
					String name = "lone" + nodeid() + "-" + this.services.incarnation() + "-" + (++this.sequence);
					this.service.open(name, QueueAttributes.transientQueue().withPrefetch(4), null, this::handle)
						.whenComplete((opened, failure) -> {
							this.loneOpening = false;
							if (opened != null) {
								this.lone = opened;
							}
							else {
								expected(failure);
							}
						});
					return;
				}
				if (this.messages.workload) {
					send();
				}
			}

			private void send() {
				long seq = ++this.sequence;
				int priority = this.messages.random.nextInt(2);
				String key = this + "#" + seq;
				byte[] payload = ByteBuffer.allocate(16).putLong(nodeid() * 1000 + this.services.incarnation())
					.putLong(seq)
					.array();
				Destination to = Destination.group(GROUP);
				if (this.messages.random.nextInt(5) == 0) {
					// now and then straight to some node's queue outside the group: when its consumer
					// leaves, its messages come back to their senders
					List<Member> others = new ArrayList<>(this.messages.current.values());
					Member other = others.get(this.messages.random.nextInt(others.size()));
					MessageQueue target = other.lone;
					if (target != null) {
						to = Destination.queue(target.name());
					}
				}
				this.service.send(to, priority, payload).whenComplete((ids, failure) -> {
					if (failure == null) {
						this.messages.sent.put(key, this.messages.freshStarts());
						this.messages.senderLosses.put(key, MessageProbe.losses(this.service));
					}
					else {
						expected(failure);
					}
				});
			}

			private void handle(MessageQueue queue, Delivery delivery) {
				ByteBuffer payload = ByteBuffer.wrap(delivery.payload());
				long sender = payload.getLong();
				long seq = payload.getLong();
				String key = "n" + (sender / 1000) + "/" + (sender % 1000) + "#" + seq;
				String consumer = this.messages.consumed.get(key);
				if (consumer != null) {
					this.messages.violations.add(this + " handed " + key + " (id " + delivery.id()
							+ ") after " + consumer + " acknowledged it");
				}
				if (!this.seen.add(delivery.id())) {
					this.messages.violations.add(this + " handed id " + delivery.id() + " twice");
				}
				if (!delivery.moved()) {
					String stream = queue.name() + "/" + sender + "/p" + delivery.priority();
					Long last = this.order.put(stream, seq);
					if (last != null && last > seq) {
						this.messages.violations.add(this + ": " + stream + " handed " + seq + " after " + last);
					}
				}
				// now and then a slow acknowledgement, so queues hold messages when the faults strike
				long delay = (this.messages.random.nextInt(8) == 0) ? 300 + this.messages.random.nextInt(1_200)
						: 5 + this.messages.random.nextInt(200);
				this.services.schedule().apply(delay, () -> {
					if (!running()) {
						return;
					}
					this.messages.acking.put(key, this);
					queue.acknowledge(delivery).whenComplete((ok, failure) -> {
						this.messages.acking.remove(key, this);
						if (failure == null) {
							String previous = this.messages.consumed.putIfAbsent(key, this + "/" + queue.name());
							if (previous != null) {
								this.messages.violations.add(key + " acknowledged by " + previous + " and again by " + this);
							}
						}
						else {
							expected(failure);
						}
					});
				});
			}

			private void returned(DeliveryFailure failure) {
				ByteBuffer payload = ByteBuffer.wrap(failure.payload());
				long sender = payload.getLong();
				long seq = payload.getLong();
				this.messages.returned.add("n" + (sender / 1000) + "/" + (sender % 1000) + "#" + seq);
			}

			/** A failure the workload may meet is a {@link MessageException}; anything else is a violation. */
			private void expected(@Nullable Throwable failure) {
				if (failure != null && error(failure) == null) {
					this.messages.violations.add(this + ": failed with " + failure);
				}
			}

			private static @Nullable MessageError error(@Nullable Throwable failure) {
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				return (cause instanceof MessageException refused) ? refused.error() : null;
			}

			@Override
			public String toString() {
				return "n" + nodeid() + "/" + this.services.incarnation();
			}

		}

	}

}
