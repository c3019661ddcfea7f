package io.corosync4j.engine.totem.srp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.corosync4j.engine.event.ChannelFlag;
import io.corosync4j.engine.event.Event;
import io.corosync4j.engine.event.EventChannel;
import io.corosync4j.engine.event.EventError;
import io.corosync4j.engine.event.EventException;
import io.corosync4j.engine.event.EventFilter;
import io.corosync4j.engine.event.EventProbe;
import io.corosync4j.engine.event.EventPublication;
import io.corosync4j.engine.event.EventService;
import io.corosync4j.engine.event.EventSubscriber;
import io.corosync4j.engine.event.EventSubscription;
import io.corosync4j.engine.totem.srp.LockSimulationTests.DirectExecutorService;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Run;
import io.corosync4j.engine.totem.srp.SrpSimulationTests.Scenario;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event service on the simulated ring, under the simulation's faults: every node's application
 * opens two channels, subscribes with random filters (and now and then unsubscribes), and publishes
 * events with random patterns, some retained for 0.2–1.5 s, some cleared early.
 *
 * <p>Checked for every subscription: each event it got matches its filters (by this test's own
 * matcher) and is of its channel; ids only grow (ids are given in agreed order, so every member sees
 * common events in the same relative order); events before its point of the order are retained ones;
 * none after its unsubscribe. A subscription whose interval is known (it ended by unsubscribing, or is
 * still active at the end) got every acknowledged event of its channel in that interval that its
 * filters match. An event id always stands for the same event on every member. After the heal, with
 * the workload stopped and time for the retentions to run out, every member holding the state holds
 * the same replica, and no retained event outlived its retention; a restarted node receives the same.
 * More seeds with {@code -Dcorosync4j.simulation.evtSeeds=N}; one run with
 * {@code -Dcorosync4j.simulation.evtRun=MIXED:3}.
 */
class EventSimulationTests {

	private static final String[] CHANNELS = { "alpha", "beta" };

	private static final String[] WORDS = { "a", "ab", "b", "ba", "" };

	/** Time after the workload for the last retentions (1.5 s at most) to run out and be expired. */
	private static final long SETTLE_MILLIS = 5_000;

	static Stream<Arguments> runs() {
		String only = System.getProperty("corosync4j.simulation.evtRun");
		if (only != null) {
			String[] run = only.split(":");
			return Stream.of(Arguments.of(Scenario.valueOf(run[0]), Long.parseLong(run[1])));
		}
		int seeds = Integer.getInteger("corosync4j.simulation.evtSeeds", 2);
		return Stream.of(Scenario.LOSSY, Scenario.CRASH_RESTART, Scenario.PARTITION, Scenario.FREEZE, Scenario.LEAVE,
				Scenario.MIXED, Scenario.ADVERSE)
			.flatMap((scenario) -> LongStream.rangeClosed(1, seeds).mapToObj((seed) -> Arguments.of(scenario, seed)));
	}

	@ParameterizedTest(name = "{0} seed {1}")
	@MethodSource("runs")
	void subscribersGetExactlyTheirEventsInOneOrderAndRetentionEndsEverywhere(Scenario scenario, long seed) {
		Run run = new Run(scenario, seed, true);
		Events events = new Events(run);
		run.sim.servicesStarted = events::started;
		run.execute();
		String where = scenario + " seed " + seed;
		events.workload = false;
		run.sim.runUntil(run.sim.now() + SETTLE_MILLIS * Simulation.MS);
		events.checkSubscriptions(where);
		events.checkReplicas(where);
		assertThat(events.violations).as(where).isEmpty();
		assertThat(events.acknowledged.size()).as(where + ": events acknowledged").isGreaterThan(10);
		assertThat(events.deliveries).as(where + ": events delivered").isPositive();
		assertThat(events.intervalsChecked).as(where + ": subscriptions checked for completeness").isPositive();

		if (run.nodes >= 3) {
			SimNode late = run.sim.nodes.get(events.random.nextInt(run.nodes));
			late.crash();
			run.sim.runUntil(run.sim.now() + 3 * run.timers.token() * Simulation.MS);
			late.start();
			long until = run.sim.now() + 30_000 * Simulation.MS;
			while (run.sim.now() < until && !events.current.get(late.nodeid).service.holdsState()) {
				run.sim.runUntil(run.sim.now() + 100 * Simulation.MS);
			}
			assertThat(events.current.get(late.nodeid).service.holdsState())
				.as(where + ": restarted " + late + " holds the state").isTrue();
			run.sim.runUntil(run.sim.now() + 20 * run.timers.token() * Simulation.MS);
			events.checkReplicas(where + ", after " + late + " restarted");
			assertThat(events.violations).as(where).isEmpty();
		}
	}

	/** This test's own reading of AIS matching: filter i against pattern i. */
	static boolean matches(List<EventFilter> filters, List<byte[]> patterns) {
		for (int i = 0; i < filters.size(); i++) {
			EventFilter filter = filters.get(i);
			byte[] wanted = filter.pattern();
			byte[] pattern = (i < patterns.size()) ? patterns.get(i) : null;
			boolean ok;
			if (filter.type() == EventFilter.Type.PASS_ALL) {
				ok = true;
			}
			else if (pattern == null) {
				ok = false;
			}
			else if (filter.type() == EventFilter.Type.EXACT) {
				ok = Arrays.equals(pattern, wanted);
			}
			else if (filter.type() == EventFilter.Type.PREFIX) {
				ok = new String(pattern, StandardCharsets.UTF_8).startsWith(new String(wanted, StandardCharsets.UTF_8));
			}
			else {
				ok = new String(pattern, StandardCharsets.UTF_8).endsWith(new String(wanted, StandardCharsets.UTF_8));
			}
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	/** The event services of all nodes, their applications, and the checks. */
	static final class Events {

		final Run run;

		final Simulation sim;

		final SplittableRandom random;

		final Map<Long, Member> current = new HashMap<>();

		final List<Member> all = new ArrayList<>();

		final List<Sub> subscriptions = new ArrayList<>();

		/** Acknowledged events by id: channel and patterns. */
		final Map<Long, Published> acknowledged = new HashMap<>();

		/** What each event id stood for wherever it was seen: publisher node and sequence. */
		final Map<Long, Long> identities = new HashMap<>();

		final List<String> violations = new ArrayList<>();

		boolean workload = true;

		long deliveries;

		long sequence;

		/** Subscriptions whose interval was known, so that every event they should have got was checked. */
		long intervalsChecked;

		Events(Run run) {
			this.run = run;
			this.sim = run.sim;
			this.random = new SplittableRandom(run.sim.seed ^ 0xE7E7L);
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
				total += EventProbe.freshStarts(member.service);
			}
			return total;
		}

		void seen(String where, Event event) {
			long identity = ByteBuffer.wrap(event.data()).getLong(8);
			Long before = this.identities.putIfAbsent(event.id(), identity);
			if (before != null && before != identity && freshStarts() == 0) {
				this.violations.add(where + ": event " + event.id() + " stood for " + before + " and " + identity);
			}
		}

		/** Each subscription got exactly its events, in the order of their ids. */
		void checkSubscriptions(String where) {
			for (Sub sub : this.subscriptions) {
				long last = 0;
				for (Event event : sub.got) {
					if (!event.channel().equals(sub.channel) || !matches(sub.filters, event.patterns())) {
						this.violations.add(where + ": " + sub + " got " + event + " its filters do not match");
					}
					if (event.id() <= last) {
						this.violations.add(where + ": " + sub + " got " + event + " after event " + last);
					}
					last = event.id();
					if (sub.start >= 0 && event.id() < sub.start && event.retention().isZero()) {
						this.violations.add(where + ": " + sub + " got " + event
								+ ", published before it subscribed and not retained");
					}
					if (event.id() >= sub.end) {
						this.violations.add(where + ": " + sub + " got " + event + " after it unsubscribed at " + sub.end);
					}
				}
				if (sub.lost != 0) {
					this.violations.add(where + ": " + sub + " lost " + sub.lost + " events with a direct executor");
				}
				boolean active = sub.handle != null && sub.handle.isActive() && sub.member.running()
						&& sub.member.service.holdsState();
				if (sub.start < 0 || sub.endedFor != null || (sub.end == Long.MAX_VALUE && !active)) {
					continue;
				}
				this.intervalsChecked++;
				List<Long> got = sub.got.stream().map(Event::id).toList();
				for (Map.Entry<Long, Published> published : this.acknowledged.entrySet()) {
					long id = published.getKey();
					Published event = published.getValue();
					if (id >= sub.start && id < sub.end && event.channel.equals(sub.channel)
							&& matches(sub.filters, event.patterns) && !got.contains(id)) {
						this.violations.add(where + ": " + sub + " [" + sub.start + ", " + sub.end + ") missed event "
								+ id + " (acknowledged, matching)");
					}
				}
			}
		}

		/** Every member holding the state holds the same replica, without events past their retention. */
		void checkReplicas(String where) {
			String first = null;
			Member firstMember = null;
			long now = this.sim.now() / Simulation.MS;
			for (Member member : this.current.values()) {
				if (!member.running() || !member.service.holdsState()) {
					continue;
				}
				String dump = EventProbe.dump(member.service);
				if (first == null) {
					first = dump;
					firstMember = member;
				}
				else {
					assertThat(dump).as(where + ": replica of " + member + " (" + EventProbe.group(member.service)
							+ ") against " + firstMember + " (" + EventProbe.group(firstMember.service) + ")")
						.isEqualTo(first);
				}
				long ending = EventProbe.nextExpiration(member.service);
				if (ending <= now - 2_500) {
					this.violations.add(where + ": " + member + " retains an event whose retention ended at " + ending
							+ ", now " + now);
				}
			}
			assertThat(first).as(where + ": a member holding the state").isNotNull();
		}

		record Published(String channel, List<byte[]> patterns) {
		}

		/** One subscription and what it got. */
		static final class Sub {

			final Member member;

			final String channel;

			final List<EventFilter> filters;

			final List<Event> got = new ArrayList<>();

			/** The id the next event got when it was applied; -1 until known. */
			long start = -1;

			/** The same at its unsubscribe; {@code Long.MAX_VALUE} while it was not (known to be) applied. */
			long end = Long.MAX_VALUE;

			long lost;

			/** Why it ended without an unsubscribe (its handle closed, its member dropped the state): no known end. */
			@Nullable EventError endedFor;

			@Nullable EventSubscription handle;

			Sub(Member member, String channel, List<EventFilter> filters) {
				this.member = member;
				this.channel = channel;
				this.filters = filters;
			}

			@Override
			public String toString() {
				return this.member + " " + this.channel + " " + this.filters + " ("
						+ ((this.handle != null) ? this.handle.id() : "?") + ")";
			}

		}

		/** One incarnation of a node's event service and the application using it. */
		static final class Member {

			final Events events;

			final SimNode.Services services;

			final EventService service;

			final Map<String, EventChannel> handles = new HashMap<>();

			final Map<String, Boolean> opening = new HashMap<>();

			final List<Sub> active = new ArrayList<>();

			final List<Long> retainedOwn = new ArrayList<>();

			Member(Events events, SimNode.Services services) {
				this.events = events;
				this.services = services;
				this.service = new EventService(services.replicaHost("event service"), new DirectExecutorService());
			}

			boolean running() {
				return this.services.node().alive() && this.services.node().incarnation() == this.services.incarnation();
			}

			long nodeid() {
				return this.services.node().nodeid;
			}

			void next() {
				long delay = 20 + this.events.random.nextInt(150);
				this.services.schedule().apply(delay, this::act);
			}

			private void act() {
				if (!this.events.workload || !running()) {
					return;
				}
				next();
				if (!this.service.holdsState()) {
					return;
				}
				SplittableRandom random = this.events.random;
				String name = CHANNELS[random.nextInt(CHANNELS.length)];
				EventChannel channel = this.handles.get(name);
				if (channel == null || !channel.isOpen()) {
					open(name);
					return;
				}
				int kind = random.nextInt(100);
				if (kind < 60) {
					publish(channel);
				}
				else if (kind < 78) {
					subscribe(channel);
				}
				else if (kind < 90) {
					unsubscribe();
				}
				else if (!this.retainedOwn.isEmpty()) {
					long id = this.retainedOwn.remove(random.nextInt(this.retainedOwn.size()));
					channel.clearRetention(id).whenComplete((ok, failure) -> expected(failure));
				}
			}

			private void open(String name) {
				if (this.opening.containsKey(name)) {
					return;
				}
				this.opening.put(name, true);
				this.service.open(name, EnumSet.allOf(ChannelFlag.class)).whenComplete((opened, failure) -> {
					this.opening.remove(name);
					if (opened != null) {
						this.handles.put(name, opened);
					}
					expected(failure);
				});
			}

			private void publish(EventChannel channel) {
				SplittableRandom random = this.events.random;
				List<byte[]> patterns = new ArrayList<>();
				int count = random.nextInt(4);
				for (int i = 0; i < count; i++) {
					patterns.add(WORDS[random.nextInt(WORDS.length)].getBytes(StandardCharsets.UTF_8));
				}
				long sequence = ++this.events.sequence;
				byte[] data = ByteBuffer.allocate(16).putLong(nodeid()).putLong(sequence).array();
				Duration retention = random.nextBoolean() ? Duration.ZERO : Duration.ofMillis(200 + random.nextInt(1_300));
				EventPublication publication = EventPublication.of(data)
					.withPatterns(patterns)
					.withPriority(random.nextInt(4))
					.withRetention(retention)
					.withPublisher("n" + nodeid());
				channel.publish(publication, random.nextInt(4) == 0).whenComplete((id, failure) -> {
					if (id != null) {
						this.events.acknowledged.put(id, new Published(channel.name(), List.copyOf(patterns)));
						if (!retention.isZero() && this.retainedOwn.size() < 20) {
							this.retainedOwn.add(id);
						}
					}
					expected(failure);
				});
			}

			private void subscribe(EventChannel channel) {
				SplittableRandom random = this.events.random;
				List<EventFilter> filters = new ArrayList<>();
				int count = random.nextInt(3);
				for (int i = 0; i < count; i++) {
					byte[] pattern = WORDS[random.nextInt(WORDS.length)].getBytes(StandardCharsets.UTF_8);
					filters.add(new EventFilter(EventFilter.Type.values()[random.nextInt(4)], pattern));
				}
				Sub sub = new Sub(this, channel.name(), List.copyOf(filters));
				this.events.subscriptions.add(sub);
				String where = toString();
				channel.subscribe(filters, new EventSubscriber() {

					@Override
					public void event(Event event) {
						sub.got.add(event);
						Member.this.events.deliveries++;
						Member.this.events.seen(where, event);
					}

					@Override
					public void eventsLost(long count) {
						sub.lost += count;
					}

					@Override
					public void ended(EventError why) {
						sub.endedFor = why;
					}

				}).whenComplete((subscription, failure) -> {
					if (subscription != null) {
						sub.handle = subscription;
						sub.start = EventProbe.nextEvent(this.service);
						this.active.add(sub);
					}
					expected(failure);
				});
			}

			private void unsubscribe() {
				if (this.active.isEmpty()) {
					return;
				}
				Sub sub = this.active.remove(this.events.random.nextInt(this.active.size()));
				sub.handle.unsubscribe().whenComplete((ok, failure) -> {
					if (failure == null) {
						sub.end = EventProbe.nextEvent(this.service);
					}
					expected(failure);
				});
			}

			/** A failure the workload may meet is an {@link EventException}; anything else is a violation. */
			private void expected(@Nullable Throwable failure) {
				if (failure == null) {
					return;
				}
				Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
				if (!(cause instanceof EventException refused)) {
					this.events.violations.add(this + ": failed with " + failure);
				}
				else if (refused.error() == EventError.INVALID || refused.error() == EventError.EXISTS) {
					this.events.violations.add(this + ": refused " + refused);
				}
			}

			@Override
			public String toString() {
				return "n" + nodeid() + "/" + this.services.incarnation();
			}

		}

	}

}
