package io.corosync4j.engine.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ConfigOrigin;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.sync.Sync;
import io.corosync4j.engine.sync.SyncService;
import io.corosync4j.engine.totem.pg.Group;
import io.corosync4j.engine.totem.pg.Totempg;
import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.srp.TotemListener;
import org.jspecify.annotations.Nullable;

/**
 * Everything above Totem on one node ({@code exec/main.c}'s wiring): totempg, the service engines in
 * group {@code "a"} dispatched by service id, and synchronization after each membership change. It is
 * Totem's listener; the node and the simulation both run it on their event loop.
 */
public final class ServiceStack implements TotemListener {

	/** What the node gives the stack and wants to hear from it; all on the event loop. */
	public interface Host {

		/** The event loop. */
		Executor loop();

		/**
		 * Runs {@code task} on the event loop after {@code delayMillis}.
		 * @return cancels the task if it has not run yet
		 */
		Runnable schedule(long delayMillis, Runnable task);

		/** The node's CMAP. */
		Cmap cmap();

		/** A service asked the node to stop. */
		void requestShutdown(String reason, int exitStatus);

		/** Each configuration change, after the engines saw it, before synchronization. */
		void membershipChanged(ConfigurationChange change);

		/** After each completed synchronization. */
		void synchronizationCompleted();

	}

	/** What the stack needs of Totem besides its send queue. */
	public interface Protocol extends Totempg.OrderedQueue {

		/** Synchronization completed: Totem goes back to its normal send queue. */
		void transAck();

		/** Whether Totem stopped (a crashed or departed node sends nothing). */
		boolean stopped();

		/** {@link io.corosync4j.engine.totem.srp.TotemSrp#tokenReturns()}, asked at each token. */
		boolean tokenReturns();

	}

	private final long nodeid;

	private final Totempg totempg;

	private final Map<Integer, ServiceEngine> engines = new LinkedHashMap<>();

	private final List<SyncService> syncing = new ArrayList<>();

	private final List<Runnable> sendable = new ArrayList<>();

	private final Totempg.Handle servicesHandle;

	/** Whether this node is a corosync4j node to the others (false: it behaves as a Corosync daemon). */
	private final boolean announce;

	private final Host host;

	private final Sync sync;

	private @Nullable Protocol protocol;

	private volatile long unknownServiceMessages;

	/** Set on the loop at each token, read by any thread: see {@link ServiceContext#tokenReturns()}. */
	private volatile boolean tokenReturns;

	/** Corosync's loader names by service id; CMAP keys its per-service counters by what follows the '_'. */
	private static final Map<Integer, String> LOADER_NAMES = Map.of(ServiceEngine.CMAP, "corosync_cmap",
			ServiceEngine.CFG, "corosync_cfg", ServiceEngine.CPG, "corosync_cpg", ServiceEngine.QUORUM,
			"corosync_quorum", ServiceEngine.PLOAD, "corosync_pload", ServiceEngine.VOTEQUORUM, "corosync_votequorum");

	/** Messages received and sent per service and function ({@code runtime.services.*.rx/tx}). */
	private final Map<Integer, long[]> received = new HashMap<>();

	private final Map<Integer, long[]> sent = new HashMap<>();

	/**
	 * @param nodeid this node
	 * @param netMtu Totem's {@code net_mtu}
	 * @param queueCapacity Totem's send queue capacity
	 * @param engines the service engines (those that are also {@link SyncService}s synchronize)
	 * @param extraSync further synchronization participants
	 * @param host the node
	 */
	public ServiceStack(long nodeid, int netMtu, int queueCapacity, List<ServiceEngine> engines,
			List<SyncService> extraSync, Host host) {
		this(nodeid, netMtu, queueCapacity, engines, extraSync, host, true);
	}

	/**
	 * @param announce whether this node is a corosync4j node to the others: it announces itself at each
	 * synchronization and repairs its messages that membership changes cut; without it the node behaves
	 * as a Corosync daemon does (for tests that put such nodes beside corosync4j ones)
	 */
	public ServiceStack(long nodeid, int netMtu, int queueCapacity, List<ServiceEngine> engines,
			List<SyncService> extraSync, Host host, boolean announce) {
		this.nodeid = nodeid;
		this.host = host;
		this.announce = announce;
		this.totempg = new Totempg(netMtu, queueCapacity);
		this.syncing.addAll(extraSync);
		for (ServiceEngine engine : engines) {
			this.engines.put(engine.serviceId(), engine);
			if (engine instanceof SyncService participant) {
				this.syncing.add(participant);
			}
		}
		for (ServiceEngine engine : engines) {
			int slots = Math.max(engine.functionCount(), 1);
			this.received.put(engine.serviceId(), new long[slots]);
			this.sent.put(engine.serviceId(), new long[slots]);
		}
		this.servicesHandle = this.totempg.register(new Totempg.GroupListener() {

			@Override
			public void deliver(long from, byte[] message, boolean bigEndian) {
				dispatch(from, message, 0, message.length, bigEndian);
			}

			@Override
			public void deliver(long from, byte[] buffer, int offset, int length, boolean bigEndian) {
				dispatch(from, buffer, offset, length, bigEndian);
			}

			@Override
			public void configurationChange(ConfigurationChange change) {
				membershipChanged(change);
			}

		}).join(Group.SERVICES);
		this.totempg.onTokenReceived(this::sendable);
		this.sync = new Sync(this.totempg, this.syncing, host.loop(), this::synchronizationCompleted, announce);
	}

	/** Connects Totem (built with this stack as its listener) and starts the engines; on the loop. */
	public void bind(Protocol totem) {
		this.protocol = totem;
		this.totempg.bind(totem);
		ServiceContext context = new Context();
		publishServices();
		this.engines.values().forEach((engine) -> engine.start(context));
	}

	/** {@code internal_configuration.service.*} and the {@code runtime.services.*} counters, as service.c keeps them. */
	private void publishServices() {
		Cmap cmap = this.host.cmap();
		for (ServiceEngine engine : this.engines.values()) {
			String loader = LOADER_NAMES.getOrDefault(engine.serviceId(), engine.name());
			cmap.putString("internal_configuration.service." + engine.serviceId() + ".name", loader);
			cmap.putNumber("internal_configuration.service." + engine.serviceId() + ".ver", ValueType.UINT32, 0);
		}
		cmap.registerComputed("runtime.services.", () -> {
			List<ConfigEntry> counters = new ArrayList<>();
			for (ServiceEngine engine : this.engines.values()) {
				String loader = LOADER_NAMES.getOrDefault(engine.serviceId(), engine.name());
				String prefix = "runtime.services." + loader.substring(loader.lastIndexOf('_') + 1) + ".";
				counters.add(ConfigEntry.ofNumber(prefix + "service_id", ValueType.UINT16, engine.serviceId(),
						ConfigOrigin.DEFAULT));
				long[] rx = this.received.get(engine.serviceId());
				long[] tx = this.sent.get(engine.serviceId());
				for (int fn = 0; fn < engine.functionCount(); fn++) {
					counters.add(ConfigEntry.ofNumber(prefix + fn + ".rx", ValueType.UINT64, rx[fn], ConfigOrigin.DEFAULT));
					counters.add(ConfigEntry.ofNumber(prefix + fn + ".tx", ValueType.UINT64, tx[fn], ConfigOrigin.DEFAULT));
				}
			}
			return List.copyOf(counters);
		});
	}

	private static void count(@Nullable long[] counters, int function) {
		if (counters != null && function < counters.length) {
			counters[function]++;
		}
	}

	/** The engines, in the order they were given. */
	public List<ServiceEngine> engines() {
		return List.copyOf(this.engines.values());
	}

	public Totempg totempg() {
		return this.totempg;
	}

	/** Whether synchronization after a membership change is running. */
	public boolean synchronizing() {
		return this.sync.inProgress();
	}

	/** Service messages too short for a header, or for a service not run here (Corosync ignores those). */
	public long unknownServiceMessages() {
		return this.unknownServiceMessages;
	}

	// ---------------------------------------------------------------------------------------------
	// TotemListener

	@Override
	public void deliver(long nodeid, byte[] payload, boolean bigEndian) {
		this.totempg.deliver(nodeid, payload, bigEndian);
	}

	@Override
	public void configurationChange(ConfigurationChange change) {
		this.totempg.configurationChange(change);
	}

	@Override
	public void waitingTransAck(boolean waiting) {
		this.totempg.waitingTransAck(waiting);
	}

	@Override
	public void tokenReceived() {
		// written before the services drain their queues at this visit (volatile write, then the queue's
		// lock): a sender that queued and then still read the previous value is seen by that drain
		this.tokenReturns = protocol().tokenReturns() && !this.sync.inProgress();
		this.totempg.tokenReceived();
	}

	// ---------------------------------------------------------------------------------------------

	private void membershipChanged(ConfigurationChange change) {
		for (ServiceEngine engine : this.engines.values()) {
			engine.configurationChange(change);
		}
		this.host.membershipChanged(change);
		this.sync.membershipChanged(change);
	}

	private Protocol protocol() {
		Protocol totem = this.protocol;
		if (totem == null) {
			throw new IllegalStateException("the service stack is not bound to Totem yet");
		}
		return totem;
	}

	private void synchronizationCompleted() {
		this.totempg.synchronizationCompleted(this.sync.corosync4jOnly(), this.announce);
		protocol().transAck();
		this.host.synchronizationCompleted();
		sendable();
	}

	/** Group "a": the request header's id names the service and function ({@code main_deliver_fn}). */
	private void dispatch(long from, byte[] buffer, int offset, int length, boolean bigEndian) {
		if (length < ServiceHeader.SIZE) {
			this.unknownServiceMessages++;
			return;
		}
		int id = ServiceHeader.read(buffer, offset, length, bigEndian).getInt(0);
		ServiceEngine engine = this.engines.get(id >>> 16);
		if (engine == null) {
			this.unknownServiceMessages++;
			return;
		}
		count(this.received.get(id >>> 16), id & 0xFFFF);
		engine.deliver(from, id & 0xFFFF, buffer, offset, length, bigEndian);
	}

	private void sendable() {
		for (Runnable task : this.sendable) {
			task.run();
		}
	}

	/** What the service engines get: the services group, the sync state, the loop. */
	private final class Context implements ServiceContext {

		@Override
		public long nodeId() {
			return ServiceStack.this.nodeid;
		}

		@Override
		public boolean mcast(byte[]... pieces) {
			if (protocol().stopped() || !ServiceStack.this.servicesHandle.mcast(pieces)) {
				return false;
			}
			byte[] header = pieces[0];
			int id = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16 | (header[3] & 0xFF) << 24;
			count(ServiceStack.this.sent.get(id >>> 16), id & 0xFFFF);
			return true;
		}

		@Override
		public boolean synchronizing() {
			return ServiceStack.this.sync.inProgress();
		}

		@Override
		public boolean tokenReturns() {
			return ServiceStack.this.tokenReturns;
		}

		@Override
		public void whenSendable(Runnable task) {
			ServiceStack.this.sendable.add(task);
		}

		@Override
		public Runnable schedule(long delayMillis, Runnable task) {
			return ServiceStack.this.host.schedule(delayMillis, task);
		}

		@Override
		public Cmap cmap() {
			return ServiceStack.this.host.cmap();
		}

		@Override
		public boolean asCorosync() {
			return !ServiceStack.this.announce;
		}

		@Override
		public void requestShutdown(String reason, int exitStatus) {
			ServiceStack.this.host.requestShutdown(reason, exitStatus);
		}

		@Override
		public Executor loop() {
			return ServiceStack.this.host.loop();
		}

	}

}
