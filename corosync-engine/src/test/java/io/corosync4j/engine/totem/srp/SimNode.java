package io.corosync4j.engine.totem.srp;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import io.corosync4j.engine.fixtures.CpgChecker;
import io.corosync4j.engine.fixtures.MessageId;
import io.corosync4j.engine.service.ServiceStack;
import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.service.cmap.CmapService;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.corosync4j.engine.service.votequorum.VotequorumService;
import io.corosync4j.engine.service.votequorum.VotequorumService.ExpectedVotesStore;
import io.corosync4j.engine.service.votequorum.VotequorumSettings;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgService;
import io.corosync4j.engine.totem.pg.Group;
import io.corosync4j.engine.totem.srp.Simulation.Event;
import io.corosync4j.engine.transport.knet.KnetHandle;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.MessageType;
import io.corosync4j.engine.totem.wire.RingId;
import io.corosync4j.engine.totem.wire.TotemMessage;
import org.jspecify.annotations.Nullable;

/**
 * One simulated node: the protocol core plus what the runtime gives it (a scheduler on the virtual
 * clock, a network endpoint, a ring id store that survives restarts) and what a process can suffer
 * (crash, restart, leave, freeze). Each start is a new incarnation, a new process as far as the
 * invariants are concerned.
 */
final class SimNode implements TotemNetwork, Scheduler, TotemListener {

	final Simulation sim;

	final long nodeid;

	final MemoryRingIdStore store = new MemoryRingIdStore();

	private final LongFunction<SrpSettings> settings;

	private final Map<SrpTimer, Event> timers = new EnumMap<>(SrpTimer.class);

	private final List<Event> backlog = new ArrayList<>();

	private @Nullable TotemSrp srp;

	private int incarnation;

	private boolean alive;

	private boolean frozen;

	/** When the last freeze ended (virtual nanoseconds), -1 before any. */
	private long thawedAt = -1;

	private boolean draining;

	private boolean waitingTransAck;

	private long counter;

	private @Nullable TotemMessage lastToken;

	/** With a knet network: this incarnation's knet handle. */
	private @Nullable KnetHandle knet;

	/** With {@link Simulation#services}: what runs above Totem, and this incarnation's CPG handle. */
	private @Nullable ServiceStack stack;

	private long resentEarlier;

	private double clockRate = 1.0;

	private long timerJitter;

	private @Nullable CpgHandle handle;

	private CpgChecker.@Nullable Member member;

	/** What this incarnation put on the wire and received, by message type, to check its counters. */
	final EnumMap<MessageType, Long> sent = new EnumMap<>(MessageType.class);

	final EnumMap<MessageType, Long> received = new EnumMap<>(MessageType.class);

	long retransmittedMcasts;

	long commitTokensSent;

	long initialTokensSent;

	/** With {@link Simulation#services}: the rings whose synchronization completed, in order. */
	final List<RingId> synchronizedRings = new ArrayList<>();

	/** The configurations Totem delivered, transitional and regular, in order. */
	final List<ConfigurationChange> configurations = new ArrayList<>();

	SimNode(Simulation sim, long nodeid, LongFunction<SrpSettings> settings) {
		this.sim = sim;
		this.nodeid = nodeid;
		this.settings = settings;
	}

	// ---------------------------------------------------------------------------------------------
	// Life cycle

	void start() {
		if (this.alive) {
			throw new IllegalStateException("node " + this.nodeid + " is running");
		}
		this.incarnation++;
		this.alive = true;
		this.frozen = false;
		this.draining = false;
		this.backlog.clear();
		this.sent.clear();
		this.received.clear();
		this.retransmittedMcasts = 0;
		this.commitTokensSent = 0;
		this.initialTokensSent = 0;
		this.lastToken = null;
		this.waitingTransAck = true;
		SrpSettings settings = this.settings.apply(this.nodeid);
		TotemSrp core = new TotemSrp(settings, this, this, this, this.store,
				new SplittableRandom(this.sim.seed * 31 + this.nodeid * 1009 + this.incarnation));
		if (this.sim.sequenceStart() != 0) {
			core.startSequenceAt(this.sim.sequenceStart());
		}
		this.srp = core;
		if (this.sim.services) {
			startServices(core);
		}
		if (this.sim.network.knet()) {
			startKnet(settings.timers().token() * Simulation.MS);
		}
		this.sim.invariants.processStarted(this);
		this.sim.trace.add(this.sim.now(), this, "START", "incarnation " + this.incarnation);
		core.start(this.sim.now());
	}

	/** A fresh knet handle (its sequence numbers start over) and its heartbeat, Corosync's defaults from the token. */
	private void startKnet(long token) {
		long interval = token / 4;
		long timeout = token / 2;
		KnetHandle handle = this.sim.network.knetHandle(this, interval, timeout);
		this.knet = handle;
		long period = Math.min(200 * Simulation.MS, interval / 2);
		int started = this.incarnation;
		Runnable[] tick = new Runnable[1];
		tick[0] = () -> {
			if (this.alive && this.incarnation == started) {
				handle.tick(this.sim.now());
				this.sim.after(period, this, Event.Kind.TIMER, "knet heartbeat", tick[0]);
			}
		};
		this.sim.after(0, this, Event.Kind.TIMER, "knet heartbeat", tick[0]);
	}

	@Nullable KnetHandle knet() {
		return this.knet;
	}

	/**
	 * With one vote per node and no quorum features, every node's verdict after synchronization is the
	 * plain majority rule: quorum is n/2 + 1 and the ring is quorate exactly when it has that many members.
	 */
	private void checkQuorum(QuorumState state, int clusterSize) {
		long majority = clusterSize / 2 + 1;
		if (state.quorum() != majority || state.quorate() != (state.members().size() >= majority)
				|| state.totalVotes() != state.members().size()) {
			throw this.sim.failure(this + " votequorum after synchronization: " + state, null);
		}
	}

	/** The same service stack a real node runs, on this node's virtual event loop, with one CPG handle. */
	private void startServices(TotemSrp core) {
		int incarnationStarted = this.incarnation;
		Executor loop = (task) -> this.sim.after(0, this, Event.Kind.CONTROL, "service", () -> {
			if (this.alive && this.incarnation == incarnationStarted) {
				task.run();
			}
		});
		CpgService cpg = new CpgService(CpgService.DEFAULT_QUEUE_CAPACITY, 1000L * this.incarnation + this.nodeid);
		Cmap cmap = new Cmap();
		int clusterSize = this.sim.nodes.size();
		// the default quorum section for this nodelist: one vote each, no features
		VotequorumService quorum = new VotequorumService(new VotequorumSettings(1, clusterSize, 0, false, false, false,
				10000, VotequorumSettings.TieBreaker.NONE, List.of(), false, false, 0), ExpectedVotesStore.inMemory());
		ServiceStack services = new ServiceStack(this.nodeid, 1410, core.available(),
				List.of(new CmapService(cmap), cpg, quorum), List.of(),
				new ServiceStack.Host() {

					@Override
					public Executor loop() {
						return loop;
					}

					@Override
					public Runnable schedule(long delayMillis, Runnable task) {
						Event event = SimNode.this.sim.after(TimeUnit.MILLISECONDS.toNanos(delayMillis), SimNode.this,
								Event.Kind.CONTROL, "service timer", () -> {
									if (SimNode.this.alive && SimNode.this.incarnation == incarnationStarted) {
										task.run();
									}
								});
						return () -> event.cancelled = true;
					}

					@Override
					public Cmap cmap() {
						return cmap;
					}

					@Override
					public void requestShutdown(String reason, int exitStatus) {
						throw new AssertionError("node " + SimNode.this.nodeid + " asked to shut down: " + reason);
					}

					@Override
					public void membershipChanged(ConfigurationChange change) {
					}

					@Override
					public void synchronizationCompleted() {
						SimNode.this.synchronizedRings.add(core.ringId());
						checkQuorum(quorum.state(), clusterSize);
					}

				}, !this.sim.corosyncNodes.contains(this.nodeid));
		services.totempg().register(this.sim.totempg.started(this + "/" + this.incarnation).listener())
			.join(Group.SERVICES);
		services.bind(new ServiceStack.Protocol() {

			@Override
			public int available() {
				return core.available();
			}

			@Override
			public boolean mcast(byte[] payload) {
				return core.mcast(payload);
			}

			@Override
			public boolean mcastRegardless(byte[] payload) {
				return core.mcastRegardless(payload);
			}

			@Override
			public void signalNewMessage() {
				core.signalNewMessage(SimNode.this.sim.now());
			}

			@Override
			public byte @Nullable [] nextNormal() {
				return core.nextNormal();
			}

			@Override
			public boolean replaceNext(List<byte[]> next, List<byte[]> replacement) {
				return core.replaceNext(next, replacement);
			}

			@Override
			public void transAck() {
				core.transAck();
			}

			@Override
			public boolean stopped() {
				return core.isStopped();
			}

			@Override
			public boolean tokenReturns() {
				return core.tokenReturns();
			}

		});
		this.stack = services;
		java.util.function.Consumer<Services> extra = this.sim.servicesStarted;
		if (extra != null) {
			extra.accept(new Services(this, this.incarnation, cpg, quorum, loop,
					(delay, task) -> {
						Event event = this.sim.after(TimeUnit.MILLISECONDS.toNanos(delay), this, Event.Kind.CONTROL,
								"service timer", () -> {
									if (this.alive && this.incarnation == incarnationStarted) {
										task.run();
									}
								});
						return () -> event.cancelled = true;
					}, core));
		}
		long pid = 1000L * this.incarnation + this.nodeid;
		CpgChecker.Member joined = this.sim.cpg.joined(this + "/" + this.incarnation, this.nodeid, pid);
		this.member = joined;
		this.handle = cpg.join(CpgName.of("sim"), new CpgListener() {

			@Override
			public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
				SimNode.this.sim.cpg.delivered(joined, message);
			}

			@Override
			public void configurationChange(CpgConfigurationChange change) {
				SimNode.this.sim.cpg.changed(joined, change);
			}

		});
	}

	/**
	 * What one incarnation of a node runs, for more services on top.
	 * @param loop the node's event loop (drops tasks once this incarnation ended)
	 * @param schedule runs a task on the loop after a delay in milliseconds; the result cancels it
	 */
	record Services(SimNode node, int incarnation, CpgService cpg, VotequorumService quorum, Executor loop,
			java.util.function.BiFunction<Long, Runnable, Runnable> schedule, TotemSrp srp) {

		/**
		 * What a replicated service needs of this incarnation: its loop and timers, CPG, votequorum's quorum as
		 * the primary component, Totem's stability, the simulation's clock; an internal error fails the run.
		 * @param service what the service is, for the failure's message
		 */
		io.corosync4j.engine.replica.ReplicaHost replicaHost(String service) {
			Services services = this;
			Simulation sim = this.node.sim;
			return new io.corosync4j.engine.replica.ReplicaHost() {

				@Override
				public Executor loop() {
					return services.loop();
				}

				@Override
				public Runnable schedule(long delayMillis, Runnable task) {
					return services.schedule().apply(delayMillis, task);
				}

				@Override
				public CpgService cpg() {
					return services.cpg();
				}

				@Override
				public boolean primary() {
					return services.quorum().quorate();
				}

				@Override
				public AutoCloseable watchPrimary(Runnable onChange) {
					return services.quorum().addListener((state) -> onChange.run());
				}

				@Override
				public boolean whenStable(Runnable callback) {
					return services.srp().whenStable(callback);
				}

				@Override
				public long currentTimeMillis() {
					return sim.now() / Simulation.MS;
				}

				@Override
				public void failStop(String during, Throwable cause) {
					throw sim.failure("n" + services.node().nodeid + "/" + services.incarnation() + " " + service
							+ " failed while " + during, cause);
				}

			};
		}

	}

	private void servicesStopped() {
		ServiceStack services = this.stack;
		if (services != null) {
			this.resentEarlier += services.totempg().resent();
		}
		CpgChecker.Member current = this.member;
		if (current != null) {
			this.sim.cpg.stopped(current);
		}
		this.stack = null;
		this.handle = null;
		this.member = null;
	}

	/** Dies without a word: timers, queued packets and state are gone. */
	void crash() {
		if (!this.alive) {
			return;
		}
		this.sim.trace.add(this.sim.now(), this, "CRASH", "");
		srp().stop();
		this.alive = false;
		this.backlog.clear();
		servicesStopped();
	}

	/** Shuts down cleanly: the leave message goes out, then the process ends. */
	void leave() {
		if (!this.alive || this.frozen) {
			return;
		}
		this.sim.trace.add(this.sim.now(), this, "LEAVE", "");
		srp().leave(this.sim.now());
		this.alive = false;
		this.backlog.clear();
		servicesStopped();
	}

	/** Stops the process for {@code duration} (a JVM pause): everything for it waits until then. */
	void freeze(long duration) {
		if (!this.alive || this.frozen) {
			return;
		}
		this.frozen = true;
		int frozenIncarnation = this.incarnation;
		this.sim.after(duration, null, Event.Kind.CONTROL, "unfreeze " + this.nodeid, () -> {
			if (this.alive && this.incarnation == frozenIncarnation) {
				unfreeze();
			}
		});
	}

	/** Ends a freeze now, whatever duration it was given. */
	void thaw() {
		if (this.alive && this.frozen) {
			unfreeze();
		}
	}

	private void unfreeze() {
		this.frozen = false;
		this.thawedAt = this.sim.now();
		this.draining = true;
		// what queued in the socket is read before the overdue timers fire
		List<Event> packets = new ArrayList<>();
		List<Event> timersDue = new ArrayList<>();
		for (Event event : this.backlog) {
			((event.kind == Event.Kind.PACKET) ? packets : timersDue).add(event);
		}
		this.backlog.clear();
		this.backlog.addAll(packets);
		this.backlog.addAll(timersDue);
		drainNext();
	}

	private void drainNext() {
		int drainIncarnation = this.incarnation;
		this.sim.after(0, null, Event.Kind.CONTROL, "drain " + this.nodeid, () -> {
			if (!this.alive || this.incarnation != drainIncarnation || this.frozen) {
				return;
			}
			Event next = null;
			while (!this.backlog.isEmpty() && next == null) {
				Event candidate = this.backlog.remove(0);
				if (!candidate.cancelled) {
					next = candidate;
				}
			}
			if (next != null) {
				next.action.run();
			}
			if (this.backlog.isEmpty()) {
				this.draining = false;
			}
			else {
				drainNext();
			}
		});
	}

	/** Whether the simulation must not run {@code event} now (dead, frozen, or still catching up). */
	boolean defer(Event event) {
		if (!this.alive) {
			return true;
		}
		if (this.frozen || this.draining) {
			this.backlog.add(event);
			return true;
		}
		return false;
	}

	// ---------------------------------------------------------------------------------------------
	// Workload

	/**
	 * Queues up to {@code count} application messages as totempg would; returns how many were taken.
	 * Like Corosync's IPC, nothing is taken while a new ring is being synchronized.
	 */
	int send(int count, int padding) {
		if (!this.alive || this.frozen || this.waitingTransAck) {
			return 0;
		}
		CpgHandle cpg = this.handle;
		if (cpg != null) {
			return sendCpg(cpg, count, padding);
		}
		TotemSrp core = srp();
		int accepted = 0;
		for (int i = 0; i < count && core.available() > 0; i++) {
			MessageId id = new MessageId(this.nodeid, this.incarnation, ++this.counter);
			core.signalNewMessage(this.sim.now());
			if (core.mcast(id.payload(padding))) {
				this.sim.invariants.accepted(this, id);
				accepted++;
			}
		}
		return accepted;
	}

	private int sendCpg(CpgHandle cpg, int count, int padding) {
		int accepted = 0;
		for (int i = 0; i < count; i++) {
			MessageId id = new MessageId(this.nodeid, this.incarnation, ++this.counter);
			if (cpg.mcast(id.payload(padding)) == CpgHandle.SendResult.OK) {
				this.sim.cpg.accepted(this.member, id);
				accepted++;
			}
		}
		return accepted;
	}

	// ---------------------------------------------------------------------------------------------
	// Scheduler

	/**
	 * This node's clock runs {@code rate} times as fast as the simulation's (drift), and each timer fires
	 * up to {@code jitterNanos} late.
	 */
	void clock(double rate, long jitterNanos) {
		this.clockRate = rate;
		this.timerJitter = jitterNanos;
	}

	@Override
	public void schedule(SrpTimer timer, long delayNanos) {
		cancel(timer);
		Event[] holder = new Event[1];
		long delay = (this.clockRate == 1.0) ? delayNanos : (long) (delayNanos / this.clockRate);
		if (this.timerJitter > 0) {
			delay += this.sim.random.nextLong(this.timerJitter + 1);
		}
		holder[0] = this.sim.after(delay, this, Event.Kind.TIMER, timer, () -> {
			if (this.timers.get(timer) == holder[0]) {
				this.timers.remove(timer);
			}
			srp().onTimer(timer, this.sim.now());
		});
		this.timers.put(timer, holder[0]);
	}

	@Override
	public void cancel(SrpTimer timer) {
		Event pending = this.timers.remove(timer);
		if (pending != null) {
			pending.cancelled = true;
		}
	}

	// ---------------------------------------------------------------------------------------------
	// TotemNetwork

	@Override
	public void multicast(TotemMessage message) {
		multicast(message, true);
	}

	@Override
	public void multicastToPeers(Mcast message) {
		multicast(message, false);
	}

	private void multicast(TotemMessage message, boolean includingSelf) {
		count(this.sent, message.type());
		if (message instanceof Mcast mcast && this.sim.invariants.seenOnWire(mcast)) {
			this.retransmittedMcasts++;
		}
		if (message instanceof io.corosync4j.engine.totem.wire.MembJoin join) {
			if (join.isLeave()) {
				this.sim.invariants.leaves++;
			}
			else if (join.failedList().contains(this.nodeid)) {
				this.sim.invariants.failedToReceive++;
			}
		}
		this.sim.network.multicast(this, message, includingSelf);
	}

	@Override
	public void sendToken(long targetNodeid, TotemMessage token) {
		if (token != this.lastToken) {
			// a new token, not a retransmission of the saved copy
			this.lastToken = token;
			count(this.sent, token.type());
			if (token.type() == MessageType.MEMB_COMMIT_TOKEN) {
				this.commitTokensSent++;
			}
			else if (token instanceof io.corosync4j.engine.totem.wire.OrfToken orf && orf.aruAddr() == this.nodeid
					&& orf.tokenSeq() == Integer.toUnsignedLong(this.sim.sequenceStart())) {
				this.initialTokensSent++;
			}
		}
		this.sim.network.unicast(this, targetNodeid, token);
	}

	@Override
	public boolean discardReceived() {
		boolean discarded = false;
		for (Iterator<Event> it = this.backlog.iterator(); it.hasNext();) {
			Event event = it.next();
			if (event.kind == Event.Kind.PACKET) {
				it.remove();
				discarded = true;
				this.sim.invariants.flushed++;
			}
		}
		return discarded;
	}

	void receive(TotemMessage message) {
		count(this.received, message.type());
		srp().onMessage(message, this.sim.now());
	}

	// ---------------------------------------------------------------------------------------------
	// TotemListener

	@Override
	public void waitingTransAck(boolean waiting) {
		this.waitingTransAck = waiting;
		if (this.stack != null) {
			this.stack.waitingTransAck(waiting);
		}
	}

	@Override
	public void tokenReceived() {
		if (this.stack != null) {
			this.stack.tokenReceived();
		}
	}

	@Override
	public void deliver(long nodeid, byte[] payload, boolean bigEndian) {
		if (this.stack != null) {
			this.stack.deliver(nodeid, payload, bigEndian);
			return;
		}
		this.sim.trace.add(this.sim.now(), this, "DELIVER", MessageId.of(payload));
		this.sim.invariants.delivered(this, nodeid, payload);
	}

	@Override
	public void configurationChange(ConfigurationChange change) {
		this.sim.trace.add(this.sim.now(), this, "CONFIG", change);
		this.sim.invariants.configuration(this, change);
		this.configurations.add(change);
		if (this.stack != null) {
			// the stack acknowledges the ring when synchronization completes
			this.stack.configurationChange(change);
			return;
		}
		if (change.type() == ConfigurationType.REGULAR) {
			// stands in for sync: the new ring is acknowledged as soon as it is delivered
			int ackIncarnation = this.incarnation;
			this.sim.after(0, this, Event.Kind.CONTROL, "trans ack", () -> {
				if (this.incarnation == ackIncarnation) {
					srp().transAck();
				}
			});
		}
	}

	// ---------------------------------------------------------------------------------------------

	/** This node's messages that membership changes cut and totempg sent again, over all its incarnations. */
	long resent() {
		ServiceStack services = this.stack;
		return this.resentEarlier + ((services != null) ? services.totempg().resent() : 0);
	}

	TotemSrp srp() {
		TotemSrp core = this.srp;
		if (core == null) {
			throw new IllegalStateException("node " + this.nodeid + " never started");
		}
		return core;
	}

	boolean alive() {
		return this.alive;
	}

	boolean frozen() {
		return this.frozen;
	}

	/** When the last freeze ended (virtual nanoseconds), -1 if the node never froze. */
	long thawedAt() {
		return this.thawedAt;
	}

	int incarnation() {
		return this.incarnation;
	}

	private static void count(EnumMap<MessageType, Long> counts, MessageType type) {
		counts.merge(type, 1L, Long::sum);
	}

	String describe() {
		if (this.srp == null) {
			return "n" + this.nodeid + " not started";
		}
		TotemSrp core = this.srp;
		return "n" + this.nodeid + "/" + this.incarnation + (this.alive ? "" : " DOWN") + (this.frozen ? " FROZEN" : "")
				+ " " + core.state() + " ring " + core.ringId() + " members " + core.members() + " "
				+ core.describeMembership() + describeKnet();
	}

	private String describeKnet() {
		KnetHandle handle = this.knet;
		if (handle == null) {
			return "";
		}
		StringBuilder out = new StringBuilder(" knet");
		for (var link : handle.linkStats()) {
			out.append(' ').append(link.nodeid()).append('/').append(link.link()).append(link.connected() ? "+" : "-");
		}
		return out.append(" duplicates ").append(handle.duplicates()).append(" rejected ").append(handle.rejected())
			.toString();
	}

	@Override
	public String toString() {
		return "n" + this.nodeid;
	}

}
