package io.corosync4j.engine.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.corosync4j.engine.cluster.ClusterMembership;
import io.corosync4j.engine.cluster.ClusterMembershipService;
import io.corosync4j.engine.config.Authkey;
import io.corosync4j.engine.config.ClusterAddresses;
import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ConfigException;
import io.corosync4j.engine.config.ConfigOrigin;
import io.corosync4j.engine.config.ConfigProblem;
import io.corosync4j.engine.config.ConfigStage;
import io.corosync4j.engine.config.ConfigMap;
import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.CryptoConfig;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.config.InterfaceConfig;
import io.corosync4j.engine.config.NotYetSupported;
import io.corosync4j.engine.config.Transport;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.checkpoint.CheckpointService;
import io.corosync4j.engine.event.EventService;
import io.corosync4j.engine.message.MessageService;
import io.corosync4j.engine.lock.LockService;
import io.corosync4j.engine.replica.ReplicaHost;
import io.corosync4j.engine.servicegroup.ServiceGroupService;
import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.ServiceStack;
import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.service.cfg.CfgException;
import io.corosync4j.engine.service.cfg.CfgService;
import io.corosync4j.engine.service.cfg.LinkStatus;
import io.corosync4j.engine.service.cmap.CmapService;
import io.corosync4j.engine.service.cpg.CpgService;
import io.corosync4j.engine.service.votequorum.VotequorumService;
import io.corosync4j.engine.service.votequorum.VotequorumService.ExpectedVotesStore;
import io.corosync4j.engine.service.votequorum.VotequorumSettings;
import io.corosync4j.engine.sync.SyncService;
import io.corosync4j.engine.totem.pg.Group;
import io.corosync4j.engine.totem.pg.Totempg;
import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.srp.ConfigurationType;
import io.corosync4j.engine.totem.srp.RingIdStore;
import io.corosync4j.engine.totem.srp.SrpSettings;
import io.corosync4j.engine.totem.srp.SrpTimer;
import io.corosync4j.engine.totem.srp.TotemNetwork;
import io.corosync4j.engine.totem.srp.TotemSrp;
import io.corosync4j.engine.totem.wire.DecodeResult;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.Rejection;
import io.corosync4j.engine.totem.wire.TotemCodec;
import io.corosync4j.engine.totem.wire.TotemMessage;
import io.corosync4j.engine.crypto.PacketCrypto;
import io.corosync4j.engine.transport.KnetTransport;
import io.corosync4j.engine.transport.knet.KnetHandle;
import io.corosync4j.engine.transport.knet.KnetLinkStats;
import io.corosync4j.engine.transport.NettyDatagrams;
import io.corosync4j.engine.transport.TotemTransport;
import io.corosync4j.engine.transport.TransportStats;
import io.corosync4j.engine.transport.UdpTransport;
import io.corosync4j.engine.transport.UdpuTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running cluster node: Totem, totempg and sync on one event loop, talking to the ring through a
 * transport. Start one with {@link #builder}; {@link #close} sends the leave message so peers re-form at
 * once. Safe to use from any thread; callbacks run on the node's event loop and must not block.
 */
public final class CorosyncNode implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(CorosyncNode.class);

	/** Decides per received message whether it gets through (tests inject loss and partitions with it). */
	@FunctionalInterface
	public interface InboundFilter {

		boolean pass(TotemMessage message, InetSocketAddress sender);

	}

	/** A group this process sends to and receives from, outside the service engines. */
	public interface GroupChannel {

		/**
		 * Multicasts a message in agreed order.
		 * @return completes with false when Totem's queue is full or the services synchronize (try
		 * again), true once queued
		 */
		CompletableFuture<Boolean> send(byte[] message);

		/**
		 * Multicasts messages in agreed order, as many as Totem's queue takes now, in one turn of the
		 * event loop; none while the services synchronize after a membership change.
		 * @return completes with how many of them (from the first) were queued
		 */
		CompletableFuture<Integer> send(List<byte[]> messages);

	}

	/** The configuration in force: the start-up one, or the last one reloaded. */
	private volatile CorosyncConfig config;

	private final HostNetwork host;

	private final CfgService cfg;

	private final long nodeid;

	private final EventLoopGroup group;

	private final EventLoop loop;

	private final TotemSrp srp;

	private final ServiceStack stack;

	private final CpgService cpg;

	private final @Nullable VotequorumService votequorum;

	private volatile ClusterAddresses addresses;

	private final Cmap cmap;

	private final TotemTransport transport;

	private final InboundFilter inboundFilter;

	private final List<Consumer<Membership>> membershipListeners = new CopyOnWriteArrayList<>();

	private final List<Consumer<NodeFailure>> failureListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable NodeFailure failure;

	private final List<Consumer<NodeShutdown>> shutdownListeners = new CopyOnWriteArrayList<>();

	/** The first shutdown a service asked for; set once, on the event loop. */
	private volatile @Nullable NodeShutdown shutdown;

	/** Whether the node requested to shut down has closed. */
	private volatile boolean shutdownDone;

	/** Whether the transport was closed (on the event loop): by a shutdown or a failure, once. */
	private boolean transportClosed;

	private final AtomicLong rejected = new AtomicLong();

	private volatile Membership membership = Membership.NONE;

	private volatile @Nullable LockService locks;

	private volatile @Nullable ClusterMembershipService clusterMembership;

	private volatile @Nullable CheckpointService checkpoints;

	private volatile @Nullable EventService events;
	private volatile @Nullable MessageService messages;

	private volatile @Nullable ServiceGroupService serviceGroups;

	private volatile boolean closed;

	private CorosyncNode(Builder builder) {
		this.config = builder.config;
		this.host = builder.host;
		List<ConfigProblem> unsupported = NotYetSupported.problems(this.config);
		if (!unsupported.isEmpty()) {
			throw new ConfigException(unsupported);
		}
		ClusterAddresses addresses = ClusterAddresses.resolve(this.config, builder.host);
		this.nodeid = addresses.localNode().nodeid();
		this.inboundFilter = builder.inboundFilter;
		this.membershipListeners.addAll(builder.membershipListeners);
		this.failureListeners.addAll(builder.failureListeners);
		SrpSettings settings = SrpSettings.of(this.config.totem(), this.nodeid);
		int netMtu = (int) (this.config.totem().netmtu() - 90);
		this.group = NettyDatagrams.newEventLoopGroup(new DefaultThreadFactory("corosync-totem-" + this.nodeid, true));
		this.loop = this.group.next();
		this.cpg = builder.cpg;
		this.addresses = addresses;
		this.cfg = new CfgService(new Control());
		this.cmap = Cmap.of(this.config.toCmap(addresses));
		protectKeys(this.cmap);
		List<ServiceEngine> engines = new ArrayList<>();
		engines.add(new CmapService(this.cmap));
		engines.add(this.cfg);
		engines.add(this.cpg);
		if (this.config.quorum().votequorum()) {
			Integer position = this.config.nodes().isEmpty() ? null : addresses.localNode().position();
			VotequorumSettings quorumSettings = VotequorumSettings.of(this.config, position);
			ExpectedVotesStore store = quorumSettings.expectedVotesTracking()
					? ExpectedVotesStore.file(this.config.system().stateDir()) : ExpectedVotesStore.inMemory();
			this.votequorum = new VotequorumService(quorumSettings, store);
			engines.add(this.votequorum);
		}
		else {
			this.votequorum = null;
		}
		engines.addAll(builder.services);
		this.stack = new ServiceStack(this.nodeid, netMtu, settings.messageQueueCapacity(), engines,
				builder.syncServices, new StackHost());
		RingIdStore ringIds = (builder.ringIdStore != null) ? builder.ringIdStore
				: new FileRingIdStore(this.config.system().stateDir());
		this.srp = new TotemSrp(settings, new Network(), new DeadlineScheduler(
				(task, delayNanos) -> this.loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS), System::nanoTime,
				this::expired),
				this.stack, ringIds, new SplittableRandom());
		runOnLoop(() -> this.stack.bind(new ServiceStack.Protocol() {

			@Override
			public int available() {
				return CorosyncNode.this.srp.available();
			}

			@Override
			public boolean mcast(byte[] payload) {
				return CorosyncNode.this.srp.mcast(payload);
			}

			@Override
			public boolean mcastRegardless(byte[] payload) {
				return CorosyncNode.this.srp.mcastRegardless(payload);
			}

			@Override
			public void signalNewMessage() {
				CorosyncNode.this.srp.signalNewMessage(System.nanoTime());
			}

			@Override
			public byte @Nullable [] nextNormal() {
				return CorosyncNode.this.srp.nextNormal();
			}

			@Override
			public boolean replaceNext(List<byte[]> next, List<byte[]> replacement) {
				return CorosyncNode.this.srp.replaceNext(next, replacement);
			}

			@Override
			public void transAck() {
				CorosyncNode.this.srp.transAck();
			}

			@Override
			public boolean stopped() {
				return CorosyncNode.this.srp.isStopped();
			}

			@Override
			public boolean tokenReturns() {
				return CorosyncNode.this.srp.tokenReturns();
			}

		}));
		try {
			this.transport = openTransport(addresses);
			runOnLoop(() -> this.srp.start(System.nanoTime()));
		}
		catch (RuntimeException ex) {
			this.group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
			throw ex;
		}
	}

	public static Builder builder(CorosyncConfig config) {
		return new Builder(config);
	}

	private TotemTransport openTransport(ClusterAddresses addresses) {
		Transport kind = this.config.totem().transport();
		InterfaceConfig link0 = this.config.totem().link(0);
		int port = (link0 != null) ? link0.mcastport() : InterfaceConfig.DEFAULT_PORT;
		Map<Long, InetSocketAddress> members = memberAddresses(addresses, port);
		InetAddress bind = addresses.bindAddresses().get(0);
		if (bind == null) {
			bind = addresses.localNode().addresses().get(0);
		}
		if (kind == Transport.UDP && link0 != null && link0.mcastaddr() != null) {
			InetSocketAddress group = new InetSocketAddress(InetAddressParsing.literal(link0.mcastaddr()), port);
			return UdpTransport.open(bind, group, link0.ttl(), members, this.loop, this::received);
		}
		if (kind == Transport.KNET) {
			return openKnet(addresses);
		}
		if (kind != Transport.UDPU) {
			throw new IllegalStateException("transport " + kind + " is not available yet");
		}
		return UdpuTransport.open(new InetSocketAddress(bind, port), members, this.config.totem().blockUnlistedIps(),
				this.loop, this::received);
	}

	/** knet on every link the local node has an address for, its packets keyed from the authkey. */
	private TotemTransport openKnet(ClusterAddresses addresses) {
		CryptoConfig crypto = this.config.totem().crypto();
		PacketCrypto packets = PacketCrypto.none();
		if (crypto.enabled()) {
			Authkey key = Authkey.load(this.config, false, System.getenv());
			if (key == null) {
				throw new ConfigException(List.of(new ConfigProblem(ConfigStage.TOTEM, ConfigOrigin.DEFAULT, "totem.keyfile",
						"crypto is configured but no authkey was found", "create one with corosync-keygen "
								+ "(or corosync4j keygen) and copy it to every node")));
			}
			packets = PacketCrypto.of(crypto.cipher(), crypto.hash(), crypto.model(), key.bytes());
		}
		List<KnetTransport.Link> links = new ArrayList<>();
		for (Map.Entry<Integer, InetAddress> local : new java.util.TreeMap<>(addresses.localNode().addresses()).entrySet()) {
			int id = local.getKey();
			InetAddress bind = addresses.bindAddresses().getOrDefault(id, local.getValue());
			links.add(new KnetTransport.Link(new InetSocketAddress(bind, knetPort(id)), knetLinkSettings(id)));
		}
		return KnetTransport.open(this.nodeid, this.config.totem().linkMode(), links, knetHosts(addresses), packets,
				(int) this.config.totem().knetMtu(), this.config.totem().knetPmtudInterval(), this.loop, this::received);
	}

	/** This node's own links, which Corosync lists under its own node id (knet's loopback link). */
	private List<KnetStatsKeys.LocalLink> localKnetLinks() {
		List<KnetStatsKeys.LocalLink> links = new ArrayList<>();
		if (this.transport instanceof KnetTransport knet) {
			runOnLoop(() -> {
				for (int link : new java.util.TreeSet<>(this.addresses.localNode().addresses().keySet())) {
					links.add(new KnetStatsKeys.LocalLink(link, knet.linkEnabled(link)));
				}
			});
		}
		return links;
	}

	private long knetDataMtu() {
		return (this.transport instanceof KnetTransport knet) ? knet.dataMtu() : 0;
	}

	private int knetPort(int link) {
		InterfaceConfig settings = this.config.totem().link(link);
		return (settings != null) ? settings.mcastport() : InterfaceConfig.DEFAULT_PORT + link;
	}

	/** A link's heartbeat settings; links without an {@code interface} section get the derived defaults. */
	private KnetHandle.LinkSettings knetLinkSettings(int link) {
		InterfaceConfig settings = this.config.totem().link(link);
		long token = this.config.totem().timers().token();
		long pongCount = (settings != null) ? settings.knetPongCount() : 2;
		long interval = (settings != null) ? settings.knetPingInterval() : token / (pongCount * 2);
		long timeout = (settings != null) ? settings.knetPingTimeout() : token / pongCount;
		long precision = (settings != null) ? settings.knetPingPrecision() : 2048;
		int priority = (settings != null) ? Math.max(1, settings.knetLinkPriority()) : 1;
		return new KnetHandle.LinkSettings(link, priority, TimeUnit.MILLISECONDS.toNanos(Math.max(1, interval)),
				TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeout)), (int) Math.min(255, pongCount),
				(int) Math.min(Integer.MAX_VALUE, precision));
	}

	/** Every other node with its address and port on each link. */
	private Map<Long, Map<Integer, InetSocketAddress>> knetHosts(ClusterAddresses addresses) {
		Map<Long, Map<Integer, InetSocketAddress>> hosts = new LinkedHashMap<>();
		for (ClusterAddresses.ResolvedNode node : addresses.nodes()) {
			Map<Integer, InetSocketAddress> links = new LinkedHashMap<>();
			node.addresses().forEach((link, address) -> links.put(link, new InetSocketAddress(address, knetPort(link))));
			hosts.put(node.nodeid(), links);
		}
		return hosts;
	}

	private static Map<Long, InetSocketAddress> memberAddresses(ClusterAddresses addresses, int port) {
		Map<Long, InetSocketAddress> members = new LinkedHashMap<>();
		for (ClusterAddresses.ResolvedNode node : addresses.nodes()) {
			InetAddress address = node.addresses().get(0);
			if (address != null) {
				members.put(node.nodeid(), new InetSocketAddress(address, port));
			}
		}
		return members;
	}

	public long nodeId() {
		return this.nodeid;
	}

	public CorosyncConfig config() {
		return this.config;
	}

	/** The ring as of the last regular configuration. */
	public Membership membership() {
		return this.membership;
	}

	/**
	 * Called on the event loop after every regular configuration and when synchronization completes, until
	 * the returned handle is closed.
	 */
	public AutoCloseable addMembershipListener(Consumer<Membership> listener) {
		this.membershipListeners.add(listener);
		return () -> this.membershipListeners.remove(listener);
	}

	/**
	 * Waits until the membership satisfies {@code condition}.
	 * @throws TimeoutException when it does not within {@code timeout}
	 */
	public Membership awaitMembership(Predicate<Membership> condition, Duration timeout)
			throws TimeoutException, InterruptedException {
		CompletableFuture<Membership> reached = new CompletableFuture<>();
		Consumer<Membership> listener = (current) -> {
			if (condition.test(current)) {
				reached.complete(current);
			}
		};
		this.membershipListeners.add(listener);
		try {
			Membership now = this.membership;
			if (condition.test(now)) {
				return now;
			}
			return reached.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new TimeoutException("node " + this.nodeid + " did not reach the expected membership within "
					+ timeout + "; now " + this.membership);
		}
		finally {
			this.membershipListeners.remove(listener);
		}
	}

	/** CPG: closed process groups shared with every node of the ring, C programs on Corosync nodes included. */
	public CpgService cpg() {
		return this.cpg;
	}

	/**
	 * votequorum, when the configuration names {@code provider: corosync_votequorum}; without a quorum
	 * provider a node is always quorate, as Corosync is.
	 */
	public Optional<VotequorumService> votequorum() {
		return Optional.ofNullable(this.votequorum);
	}

	/**
	 * The node's CMAP: the configuration, {@code runtime.*} state ({@code runtime.members.*},
	 * {@code runtime.votequorum.*}, per-service counters) and the {@code stats.*} counters, read when asked.
	 */
	public Cmap cmap() {
		return this.cmap;
	}

	/** CFG: link status, killing a member, shutdown with vetoes, configuration reload. */
	public CfgService cfg() {
		return this.cfg;
	}

	/**
	 * Distributed locks (the AIS LCK service) on CPG, started on first use and closed with the node. The
	 * primary component is votequorum's quorate partition, or without a quorum provider the partition with
	 * more than half the nodelist's nodes.
	 * @throws IllegalStateException without a quorum provider and without a nodelist: nothing tells the
	 * primary component
	 */
	public synchronized LockService locks() {
		LockService current = this.locks;
		if (current == null) {
			requirePrimaryComponent("lock");
			current = new LockService(new ReplicaNodeHost());
			this.locks = current;
		}
		return current;
	}

	/**
	 * Replicated checkpoints (the AIS CKPT service) on CPG, started on first use and closed with the node:
	 * named checkpoints of sections every member holds, written in agreed order; only the primary component
	 * writes, as for {@link #locks()}.
	 * @throws IllegalStateException without a quorum provider and without a nodelist, or when the node is closed
	 */
	public synchronized CheckpointService checkpoints() {
		CheckpointService current = this.checkpoints;
		if (current == null) {
			requirePrimaryComponent("checkpoint");
			current = new CheckpointService(new ReplicaNodeHost());
			this.checkpoints = current;
		}
		return current;
	}

	/**
	 * Events (the AIS EVT service) on CPG, started on first use and closed with the node: channels on
	 * which events are published with patterns and delivered, in agreed order, to every subscription whose
	 * filters match, retained for later subscribers while their retention runs; only the primary component
	 * publishes, as for {@link #locks()}.
	 * @throws IllegalStateException without a quorum provider and without a nodelist, or when the node is closed
	 */
	public synchronized EventService events() {
		EventService current = this.events;
		if (current == null) {
			requirePrimaryComponent("event");
			current = new EventService(new ReplicaNodeHost());
			this.events = current;
		}
		return current;
	}

	/**
	 * Replicated message queues (the AIS MSG service) on CPG, started on first use and closed with the
	 * node: queues and queue groups whose unacknowledged messages every member holds, so a message outlives
	 * its consumer's node; only the primary component sends, as for {@link #locks()}.
	 * @throws IllegalStateException without a quorum provider and without a nodelist, or when the node is closed
	 */
	public synchronized MessageService messages() {
		MessageService current = this.messages;
		if (current == null) {
			requirePrimaryComponent("message");
			current = new MessageService(new ReplicaNodeHost());
			this.messages = current;
		}
		return current;
	}

	/**
	 * Active/standby service groups on CPG, started on first use and closed with the node: one active unit
	 * per group in the primary component, chosen in agreed order, failed over when its node, its process or
	 * its health goes, switched over on request.
	 * @throws IllegalStateException without a quorum provider and without a nodelist, or when the node is closed
	 */
	public synchronized ServiceGroupService serviceGroups() {
		ServiceGroupService current = this.serviceGroups;
		if (current == null) {
			requirePrimaryComponent("service group");
			current = new ServiceGroupService(new ReplicaNodeHost());
			this.serviceGroups = current;
		}
		return current;
	}

	/** A replicated service needs the node open and something that tells the primary component. */
	private void requirePrimaryComponent(String service) {
		if (this.closed) {
			throw new IllegalStateException("Node " + this.nodeid + " is closed: no " + service + " service to start");
		}
		if (this.votequorum == null && this.config.nodes().isEmpty()) {
			throw new IllegalStateException("The " + service + " service needs to know the primary component: "
					+ "configure quorum { provider: corosync_votequorum } or a nodelist");
		}
	}

	/**
	 * Cluster membership (the AIS CLM service): the nodelist's nodes and the ring's members with names,
	 * addresses, boot times and numbered views, to query or track. Started on first use and closed with the
	 * node; it joins the CPG group {@value ClusterMembership#GROUP_NAME} to learn the other corosync4j nodes'
	 * boot times, so start it early where they matter.
	 * @throws IllegalStateException when the node is closed
	 */
	public synchronized ClusterMembership clusterMembership() {
		ClusterMembershipService current = this.clusterMembership;
		if (current == null) {
			if (this.closed) {
				throw new IllegalStateException("Node " + this.nodeid + " is closed: no membership service to start");
			}
			current = new ClusterMembershipService(this);
			this.clusterMembership = current;
		}
		return current;
	}

	/** Closes the services built on CPG that were started: their callers learn the node is gone. */
	private void closeServices() {
		List<AutoCloseable> started = new ArrayList<>();
		started.add(this.serviceGroups);
		started.add(this.events);
		started.add(this.messages);
		started.add(this.checkpoints);
		started.add(this.locks);
		started.add(this.clusterMembership);
		for (AutoCloseable service : started) {
			if (service != null) {
				try {
					service.close();
				}
				catch (Exception ex) {
					logger.warn("Node {}: could not close {}", this.nodeid, service, ex);
				}
			}
		}
	}

	/** Whether the node was closed or crashed (or stopped itself on a service's request). */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Why the node stopped itself, or {@code null} while it runs. A failed node sends nothing more; close it
	 * to release its threads.
	 */
	public @Nullable NodeFailure failure() {
		return this.failure;
	}

	/**
	 * Tells {@code listener} when the node stops itself after an internal error: on a thread of its own,
	 * never the event loop; at once, on the caller's thread, if it already has.
	 */
	public void addFailureListener(Consumer<NodeFailure> listener) {
		this.failureListeners.add(listener);
		NodeFailure already = this.failure;
		if (already != null && this.failureListeners.remove(listener)) {
			tell(listener, already);
		}
	}

	/** Why a service stopped the node (CFG shutdown or kill, CMAP's configuration version), or {@code null}. */
	public @Nullable NodeShutdown shutdown() {
		return this.shutdown;
	}

	/**
	 * Tells {@code listener} when a service has stopped the node: after it left the ring and closed, on a
	 * thread of its own; at once, on the caller's thread, if it already has.
	 */
	public void addShutdownListener(Consumer<NodeShutdown> listener) {
		this.shutdownListeners.add(listener);
		NodeShutdown already = this.shutdown;
		if (already != null && this.shutdownDone && this.shutdownListeners.remove(listener)) {
			tellShutdown(listener, already);
		}
	}

	/** Whether this node's partition has quorum (always, without a quorum provider). */
	public boolean quorate() {
		return this.votequorum == null || this.votequorum.quorate();
	}

	/** Joins a group of this process's own; its messages travel in agreed order with everything else. */
	public GroupChannel openGroup(Group name, Totempg.GroupListener listener) {
		Totempg.Handle[] opened = new Totempg.Handle[1];
		runOnLoop(() -> opened[0] = this.stack.totempg().register(listener).join(name));
		Totempg.Handle handle = opened[0];
		return new GroupChannel() {

			@Override
			public CompletableFuture<Boolean> send(byte[] message) {
				return send(List.of(message)).thenApply((queued) -> queued == 1);
			}

			@Override
			public CompletableFuture<Integer> send(List<byte[]> messages) {
				CompletableFuture<Integer> queued = new CompletableFuture<>();
				CorosyncNode.this.loop.execute(() -> guarded("queueing a group's messages", () -> {
					int count = 0;
					// like Corosync's IPC, nothing new goes out while the services synchronize
					boolean open = !CorosyncNode.this.closed && CorosyncNode.this.failure == null
							&& !CorosyncNode.this.stack.synchronizing();
					while (open && count < messages.size() && handle.mcast(messages.get(count))) {
						count++;
					}
					queued.complete(count);
				}));
				return queued;
			}

		};
	}

	/** Totem's {@code stats.srp.*} counters. */
	public Map<String, Long> totemStats() {
		List<Map<String, Long>> stats = new ArrayList<>(1);
		runOnLoop(() -> stats.add(this.srp.stats().snapshot(System.nanoTime() / 1_000_000)));
		return stats.get(0);
	}

	public TransportStats transportStats() {
		return this.transport.stats();
	}

	/** Service messages too short for a header, or for a service this node does not run (Corosync ignores those). */
	public long unknownServiceMessages() {
		return this.stack.unknownServiceMessages();
	}

	/** Packets the transport refused: knet packets of another authkey, or not knet at all. */
	public long transportRejected() {
		long[] rejected = new long[1];
		if (this.transport instanceof KnetTransport knet) {
			runOnLoop(() -> rejected[0] = knet.rejectedPackets());
		}
		return rejected[0];
	}

	/** With knet: every other node's links, their state, latency and counters; else empty. */
	public List<KnetLinkStats> knetLinks() {
		List<KnetLinkStats> links = new ArrayList<>();
		if (this.transport instanceof KnetTransport knet) {
			runOnLoop(() -> links.addAll(knet.linkStats()));
		}
		return links;
	}

	/**
	 * Enables or disables one of this node's knet links ({@code knet_link_set_enable}). A disabled link
	 * carries nothing, so the other nodes see it go down; traffic moves to the remaining links without a
	 * membership change while one of them is up.
	 * @throws IllegalArgumentException when the transport is not knet or the node has no such link
	 */
	public void setKnetLinkEnabled(int link, boolean enabled) {
		if (!(this.transport instanceof KnetTransport knet)) {
			throw new IllegalArgumentException("links can be switched only with transport: knet");
		}
		runOnLoop(() -> knet.setLinkEnabled(link, enabled));
	}

	/** Datagrams that were not Totem messages (wrong magic, truncated, …). */
	public long rejectedDatagrams() {
		return this.rejected.get();
	}

	/**
	 * The event loop everything of this node runs on. Its IPC is served there too, as the daemon serves
	 * its clients on its one thread; whatever runs on it must never block.
	 */
	public EventLoop eventLoop() {
		return this.loop;
	}

	/** Leaves the ring with a leave message, then stops. */
	@Override
	public void close() {
		shutdown(true);
	}

	/** Stops without a word, as a crashed process would. */
	public void crash() {
		shutdown(false);
	}

	private void shutdown(boolean leave) {
		synchronized (this) {
			// with the services' accessors: none is started after this
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		closeServices();
		try {
			boolean healthy = this.failure == null;
			if (leave && healthy) {
				awaitFarewells();
			}
			runOnLoop(() -> {
				if (leave && healthy) {
					this.srp.leave(System.nanoTime());
				}
				else {
					this.srp.stop();
				}
				closeTransport();
			});
		}
		finally {
			this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
		}
	}

	/** Lets the engines multicast their farewells (votequorum's LEAVING nodeinfo) and waits, bounded, for them. */
	private void awaitFarewells() {
		List<CompletableFuture<Void>> farewells = new ArrayList<>();
		runOnLoop(() -> {
			for (ServiceEngine engine : this.stack.engines()) {
				farewells.add(engine.exit());
			}
		});
		long bound = 2 * this.config.totem().timers().token() + this.config.totem().timers().consensus();
		try {
			CompletableFuture.allOf(farewells.toArray(CompletableFuture[]::new)).get(bound, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Leaving without every service's farewell delivered: {}", ex.toString());
		}
	}

	/** Corosync's read-only keys ({@code set_icmap_ro_keys_flag}) and the computed stats map. */
	private void protectKeys(Cmap map) {
		for (String prefix : List.of("internal_configuration.", "runtime.services.", "runtime.config.", "runtime.totem.",
				"uidgid.config.", "system.", "nodelist.")) {
			map.setReadOnly(prefix, true);
		}
		for (String key : List.of("totem.crypto_cipher", "totem.crypto_hash", "totem.crypto_model", "totem.keyfile",
				"totem.key", "totem.secauth", "totem.ip_version", "totem.rrp_mode", "totem.transport",
				"totem.cluster_name", "totem.netmtu", "totem.threads", "totem.version", "totem.nodeid",
				"totem.clear_node_high_bit", "config.reload_in_progress", "config.totemconfig_reload_in_progress")) {
			map.setReadOnly(key, false);
		}
		map.registerComputed("stats.srp.", () -> SrpStatsKeys.entries(totemStats()));
		map.registerComputed("stats.knet.", () -> KnetStatsKeys.entries(this.nodeid, localKnetLinks(), knetLinks()));
		map.registerComputed("stats.pg.", () -> {
			long[] pg = new long[4];
			runOnLoop(() -> {
				pg[0] = this.srp.available();
				pg[1] = this.stack.totempg().reserved();
				pg[2] = this.stack.totempg().droppedOrphaned();
				pg[3] = this.stack.totempg().resent();
			});
			// the last two are corosync4j's own: see docs/virtual-synchrony.md
			return List.of(ConfigEntry.ofNumber("stats.pg.msg_queue_avail", ValueType.UINT32, pg[0], ConfigOrigin.DEFAULT),
					ConfigEntry.ofNumber("stats.pg.msg_reserved", ValueType.UINT32, pg[1], ConfigOrigin.DEFAULT),
					ConfigEntry.ofNumber("stats.pg.orphaned", ValueType.UINT64, pg[2], ConfigOrigin.DEFAULT),
					ConfigEntry.ofNumber("stats.pg.resent", ValueType.UINT64, pg[3], ConfigOrigin.DEFAULT));
		});
	}

	/** {@code runtime.members.<id>.*} as {@code main.c} keeps them: first join records the address. */
	private void recordMembers(ConfigurationChange change) {
		for (long left : change.left()) {
			this.cmap.putString("runtime.members." + left + ".status", "left");
		}
		for (long joined : change.joined()) {
			String prefix = "runtime.members." + joined + ".";
			if (this.cmap.get(prefix + "ip").isPresent()) {
				this.cmap.getLong(prefix + "join_count")
					.ifPresent((count) -> this.cmap.putNumber(prefix + "join_count", ValueType.UINT32, count + 1));
			}
			else {
				this.cmap.putString(prefix + "ip", interfaces(joined));
				this.cmap.putNumber(prefix + "join_count", ValueType.UINT32, 1);
			}
			this.cmap.putString(prefix + "status", "joined");
		}
	}

	/** {@code totem_ifaces_print}: {@code r(0) ip(10.0.0.1) } per link. */
	private String interfaces(long nodeid) {
		StringBuilder text = new StringBuilder();
		for (ClusterAddresses.ResolvedNode node : this.addresses.nodes()) {
			if (node.nodeid() == nodeid) {
				node.addresses().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach((link) ->
						text.append("r(").append(link.getKey()).append(") ip(")
							.append(link.getValue().getHostAddress()).append(") "));
			}
		}
		return text.toString();
	}

	/** What CFG does to the node: reload its configuration file, report its links. */
	private final class Control implements CfgService.NodeControl {

		/** Keys Corosync keeps from start-up whatever the file says ({@code remove_ro_entries}). */
		private static final List<String> START_ONLY = List.of("totem.secauth", "totem.crypto_hash",
				"totem.crypto_cipher", "totem.crypto_model", "totem.keyfile", "totem.key", "totem.version",
				"totem.threads", "totem.ip_version", "totem.rrp_mode", "totem.netmtu", "totem.transport",
				"totem.cluster_name", "quorum.provider", "system.move_to_root_cgroup",
				"system.allow_knet_handle_fallback", "system.sched_rr", "system.priority", "system.qb_ipc_type",
				"system.state_dir");

		private static final List<String> RELOADED_PREFIXES = List.of("logging.", "totem.", "nodelist.", "quorum.",
				"uidgid.config.", "nozzle.");

		@Override
		public void reloadConfiguration() {
			CorosyncConfig current = CorosyncNode.this.config;
			Path file = Path.of(current.keys().source());
			if (!Files.isRegularFile(file)) {
				throw new CfgException(CfgException.Error.INVALID_PARAM, "this node's configuration did not come from a "
						+ "file (" + current.keys().source() + "); there is nothing to re-read");
			}
			CorosyncConfig next;
			ClusterAddresses nextAddresses;
			try {
				next = new CorosyncConfigReader().read(file);
				nextAddresses = ClusterAddresses.resolve(next, CorosyncNode.this.host);
			}
			catch (ConfigException ex) {
				throw new CfgException(CfgException.Error.INVALID_PARAM, ex.getMessage());
			}
			if (nextAddresses.localNode().nodeid() != CorosyncNode.this.nodeid) {
				throw new CfgException(CfgException.Error.INVALID_PARAM, "the reloaded configuration gives this node id "
						+ nextAddresses.localNode().nodeid() + " instead of " + CorosyncNode.this.nodeid
						+ "; a node id cannot change at runtime");
			}
			applyKeys(next.toCmap(nextAddresses));
			CorosyncNode.this.srp.updateTimers(next.totem().timers());
			InterfaceConfig link0 = current.totem().link(0);
			int port = (link0 != null) ? link0.mcastport() : InterfaceConfig.DEFAULT_PORT;
			if (CorosyncNode.this.transport instanceof KnetTransport knet) {
				knet.updateHosts(knetHosts(nextAddresses));
			}
			else {
				CorosyncNode.this.transport.updateMembers(memberAddresses(nextAddresses, port));
			}
			VotequorumService quorum = CorosyncNode.this.votequorum;
			if (quorum != null && next.quorum().votequorum()) {
				Integer position = next.nodes().isEmpty() ? null : nextAddresses.localNode().position();
				quorum.reloaded(VotequorumSettings.of(next, position));
			}
			CorosyncNode.this.config = next;
			CorosyncNode.this.addresses = nextAddresses;
			logger.info("Configuration reloaded from {}", file);
		}

		/** Drops keys the file no longer has, keeps start-only keys, copies the rest ({@code cfg.c}'s reload). */
		private void applyKeys(ConfigMap next) {
			Cmap map = CorosyncNode.this.cmap;
			for (String prefix : RELOADED_PREFIXES) {
				for (ConfigEntry old : map.entries(prefix)) {
					if (next.get(old.key()) == null) {
						map.remove(old.key());
					}
				}
			}
			for (ConfigEntry entry : next.entries()) {
				Optional<ConfigEntry> old = map.get(entry.key());
				if (START_ONLY.contains(entry.key())) {
					if (old.isPresent() && !old.get().valueText().equals(entry.valueText())) {
						logger.warn("Modified entry '{}' in corosync.conf cannot be changed at run-time", entry.key());
					}
					continue;
				}
				map.put(entry.key(), entry.type(), entry.value());
			}
		}

		@Override
		public List<LinkStatus> linkStatus() {
			CorosyncConfig current = CorosyncNode.this.config;
			String transport = current.totem().transport().name().toLowerCase(Locale.ROOT);
			List<Long> ring = CorosyncNode.this.membership.members();
			Map<String, KnetLinkStats> knet = new LinkedHashMap<>();
			for (KnetLinkStats link : knetLinks()) {
				knet.put(link.nodeid() + "/" + link.link(), link);
			}
			boolean isKnet = current.totem().transport() == Transport.KNET;
			List<LinkStatus> links = new ArrayList<>();
			Map<Integer, InetAddress> local = new java.util.TreeMap<>(CorosyncNode.this.addresses.localNode().addresses());
			for (Map.Entry<Integer, InetAddress> own : local.entrySet()) {
				int id = own.getKey();
				List<LinkStatus.Node> nodes = new ArrayList<>();
				for (ClusterAddresses.ResolvedNode node : CorosyncNode.this.addresses.nodes()) {
					InetAddress address = node.addresses().get(id);
					if (address == null) {
						continue;
					}
					boolean self = node.nodeid() == CorosyncNode.this.nodeid;
					KnetLinkStats stats = knet.get(node.nodeid() + "/" + id);
					boolean connected = self || (isKnet ? stats != null && stats.connected() : ring.contains(node.nodeid()));
					nodes.add(new LinkStatus.Node(node.nodeid(), address.getHostAddress(), self, connected));
				}
				nodes.sort(Comparator.comparingLong(LinkStatus.Node::nodeid));
				long mtu = isKnet ? knetDataMtu() : current.totem().netmtu();
				links.add(new LinkStatus(id, isKnet ? "udp" : transport, own.getValue().getHostAddress(), mtu, nodes));
				if (!isKnet) {
					break;
				}
			}
			return links;
		}

	}

	/** What the services replicated over CPG (locks, checkpoints, service groups) need of the node. */
	private final class ReplicaNodeHost implements ReplicaHost {

		private final StackHost stack = new StackHost();

		@Override
		public Executor loop() {
			return CorosyncNode.this.loop;
		}

		@Override
		public Runnable schedule(long delayMillis, Runnable task) {
			return this.stack.schedule(delayMillis, task);
		}

		@Override
		public CpgService cpg() {
			return CorosyncNode.this.cpg;
		}

		@Override
		public boolean primary() {
			VotequorumService quorum = CorosyncNode.this.votequorum;
			if (quorum != null) {
				return quorum.quorate();
			}
			return CorosyncNode.this.membership.members().size() * 2 > CorosyncNode.this.config.nodes().size();
		}

		@Override
		public AutoCloseable watchPrimary(Runnable onChange) {
			VotequorumService quorum = CorosyncNode.this.votequorum;
			if (quorum != null) {
				return quorum.addListener((state) -> onChange.run());
			}
			Consumer<Membership> listener = (membership) -> onChange.run();
			CorosyncNode.this.membershipListeners.add(listener);
			return () -> CorosyncNode.this.membershipListeners.remove(listener);
		}

		@Override
		public boolean whenStable(Runnable callback) {
			return CorosyncNode.this.srp.whenStable(callback);
		}

		@Override
		public void failStop(String during, Throwable cause) {
			CorosyncNode.this.failStop(during, cause);
		}

	}

	/** What the service stack needs of the node. */
	private final class StackHost implements ServiceStack.Host {

		@Override
		public Executor loop() {
			return (task) -> CorosyncNode.this.loop.execute(() -> guarded("running a service task", task));
		}

		@Override
		public Runnable schedule(long delayMillis, Runnable task) {
			ScheduledFuture<?> scheduled = CorosyncNode.this.loop
				.schedule(() -> guarded("running a service timer", task), delayMillis, TimeUnit.MILLISECONDS);
			return () -> scheduled.cancel(false);
		}

		@Override
		public Cmap cmap() {
			return CorosyncNode.this.cmap;
		}

		@Override
		public void requestShutdown(String reason, int exitStatus) {
			if (CorosyncNode.this.shutdown != null) {
				return;
			}
			NodeShutdown requested = new NodeShutdown(CorosyncNode.this.nodeid, reason, exitStatus, Instant.now());
			CorosyncNode.this.shutdown = requested;
			logger.error("Shutting down: {}", reason);
			// close waits for the event loop: never on it
			Thread stopper = new Thread(() -> {
				close();
				CorosyncNode.this.shutdownDone = true;
				for (Consumer<NodeShutdown> listener : CorosyncNode.this.shutdownListeners) {
					if (CorosyncNode.this.shutdownListeners.remove(listener)) {
						tellShutdown(listener, requested);
					}
				}
			}, "corosync-shutdown-" + CorosyncNode.this.nodeid);
			stopper.setDaemon(true);
			stopper.start();
		}

		@Override
		public void membershipChanged(ConfigurationChange change) {
			CorosyncNode.this.membershipChanged(change);
		}

		@Override
		public void synchronizationCompleted() {
			CorosyncNode.this.synchronizationCompleted();
		}

	}

	// ---------------------------------------------------------------------------------------------
	// On the event loop

	private void received(ByteBuf datagram, InetSocketAddress sender) {
		if (this.srp.isStopped()) {
			return;
		}
		DecodeResult result = TotemCodec.decode(datagram);
		if (result instanceof Rejection rejection) {
			this.rejected.incrementAndGet();
			logger.debug("Dropped a datagram from {}: {}", sender, rejection);
			return;
		}
		TotemMessage message = (TotemMessage) result;
		try {
			if (this.inboundFilter.pass(message, sender)) {
				this.srp.onMessage(message, System.nanoTime());
			}
		}
		catch (RuntimeException | Error ex) {
			// described only here: this is the path of every packet
			failStop("handling a " + message.getClass().getSimpleName() + " from " + sender, ex);
		}
	}

	private void membershipChanged(ConfigurationChange change) {
		recordMembers(change);
		if (change.type() == ConfigurationType.REGULAR) {
			publish(new Membership(change.ringId(), change.members(), false));
		}
	}

	private void synchronizationCompleted() {
		Membership current = this.membership;
		publish(new Membership(current.ringId(), current.members(), true));
	}

	private void publish(Membership next) {
		this.membership = next;
		for (Consumer<Membership> listener : this.membershipListeners) {
			try {
				listener.accept(next);
			}
			catch (RuntimeException ex) {
				logger.warn("A membership listener failed", ex);
			}
		}
	}

	private void expired(SrpTimer timer, long now) {
		try {
			this.srp.onTimer(timer, now);
		}
		catch (RuntimeException | Error ex) {
			failStop("handling the " + timer + " timer", ex);
		}
	}

	/**
	 * Runs protocol or service work on the event loop; an exception escaping it is an internal error that
	 * may have left a change half-applied, so the node stops (fail-stop) rather than go on in the ring.
	 */
	private void guarded(String during, Runnable work) {
		try {
			work.run();
		}
		catch (RuntimeException | Error ex) {
			failStop(during, ex);
		}
	}

	private void failStop(String during, Throwable cause) {
		if (this.failure != null) {
			return;
		}
		if (this.closed) {
			logger.warn("Node {}: error while {} as it shuts down", this.nodeid, during, cause);
			return;
		}
		NodeFailure stopped = new NodeFailure(this.nodeid, during, cause, Instant.now());
		this.failure = stopped;
		logger.error("Node {} stops: internal error while {}", this.nodeid, during, cause);
		// holders must learn at once that their locks are gone with the node, actives that they are no longer,
		// trackers that it stopped
		closeServices();
		try {
			this.srp.stop();
			closeTransport();
		}
		catch (RuntimeException | Error ex) {
			cause.addSuppressed(ex);
		}
		// listeners run application code: never on the event loop
		List<Consumer<NodeFailure>> listeners = List.copyOf(this.failureListeners);
		Thread notifier = new Thread(() -> listeners.forEach((listener) -> tell(listener, stopped)),
				"corosync-failure-" + this.nodeid);
		notifier.setDaemon(true);
		notifier.start();
	}

	private static void tell(Consumer<NodeFailure> listener, NodeFailure failure) {
		try {
			listener.accept(failure);
		}
		catch (RuntimeException ex) {
			logger.warn("A failure listener failed", ex);
		}
	}

	private static void tellShutdown(Consumer<NodeShutdown> listener, NodeShutdown shutdown) {
		try {
			listener.accept(shutdown);
		}
		catch (RuntimeException ex) {
			logger.warn("A shutdown listener failed", ex);
		}
	}

	private void closeTransport() {
		if (!this.transportClosed && this.transport != null) {
			this.transportClosed = true;
			this.transport.close();
		}
	}

	private void runOnLoop(Runnable task) {
		if (this.loop.inEventLoop()) {
			task.run();
			return;
		}
		try {
			this.loop.submit(task).get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("the event loop of node " + this.nodeid + " did not respond in 10 s", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private final class Network implements TotemNetwork {

		@Override
		public void multicast(TotemMessage message) {
			CorosyncNode.this.transport.multicast(encode(message));
		}

		@Override
		public void multicastToPeers(Mcast message) {
			CorosyncNode.this.transport.multicastToPeers(encode(message));
		}

		@Override
		public void sendToken(long targetNodeid, TotemMessage token) {
			CorosyncNode.this.transport.unicast(targetNodeid, encode(token));
		}

		@Override
		public boolean discardReceived() {
			return CorosyncNode.this.transport.discardPending();
		}

		private ByteBuf encode(TotemMessage message) {
			ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(message.encodedLength());
			message.encode(buffer);
			return buffer;
		}

	}

	/** How to start a node. */
	public static final class Builder {

		private final CorosyncConfig config;

		private HostNetwork host = HostNetwork.system();

		private @Nullable RingIdStore ringIdStore;

		private InboundFilter inboundFilter = (message, sender) -> true;

		private final List<Consumer<Membership>> membershipListeners = new ArrayList<>();

		private final List<Consumer<NodeFailure>> failureListeners = new ArrayList<>();

		private final List<SyncService> syncServices = new ArrayList<>();

		private final List<ServiceEngine> services = new ArrayList<>();

		private CpgService cpg = new CpgService();

		private Builder(CorosyncConfig config) {
			this.config = config;
		}

		/** How the local node is found among the nodelist's addresses (the real host by default). */
		public Builder hostNetwork(HostNetwork hostNetwork) {
			this.host = hostNetwork;
			return this;
		}

		/** Where the ring id lives; by default {@code <system.state_dir>/ringid_<nodeid>}. */
		public Builder ringIdStore(RingIdStore store) {
			this.ringIdStore = store;
			return this;
		}

		public Builder inboundFilter(InboundFilter filter) {
			this.inboundFilter = filter;
			return this;
		}

		public Builder membershipListener(Consumer<Membership> listener) {
			this.membershipListeners.add(listener);
			return this;
		}

		/** See {@link CorosyncNode#addFailureListener}. */
		public Builder failureListener(Consumer<NodeFailure> listener) {
			this.failureListeners.add(listener);
			return this;
		}

		public Builder syncService(SyncService service) {
			this.syncServices.add(service);
			return this;
		}

		/** Another service engine (CPG is always there). */
		public Builder service(ServiceEngine engine) {
			this.services.add(engine);
			return this;
		}

		/** CPG with another send queue bound than {@link CpgService#DEFAULT_QUEUE_CAPACITY}. */
		public Builder cpg(CpgService service) {
			this.cpg = service;
			return this;
		}

		/**
		 * Binds the transport, starts Totem and returns; the ring forms in the background.
		 * @throws ConfigException when the configuration cannot run here (local node not in the nodelist,
		 * a transport not supported yet)
		 * @throws io.corosync4j.engine.transport.TransportException when the socket cannot be bound
		 */
		public CorosyncNode start() {
			return new CorosyncNode(this);
		}

	}

}
