package io.corosync4j.engine.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

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

	/** The event loop's timers. */
	@FunctionalInterface
	public interface Timers {

		/**
		 * Runs {@code task} on the event loop after {@code delayMillis}.
		 * @return cancels the task if it has not run yet
		 */
		Runnable schedule(long delayMillis, Runnable task);

	}

	/** What the stack needs of Totem besides its send queue. */
	public interface Protocol extends Totempg.OrderedQueue {

		/** Synchronization completed: Totem goes back to its normal send queue. */
		void transAck();

		/** Whether Totem stopped (a crashed or departed node sends nothing). */
		boolean stopped();

	}

	private final long nodeid;

	private final Totempg totempg;

	private final Map<Integer, ServiceEngine> engines = new LinkedHashMap<>();

	private final List<SyncService> syncing = new ArrayList<>();

	private final List<Runnable> sendable = new ArrayList<>();

	private final Totempg.Handle servicesHandle;

	private final Consumer<ConfigurationChange> membershipListener;

	private final Runnable synchronizedListener;

	private final Executor loop;

	private final Timers timers;

	private final Sync sync;

	private @Nullable Protocol protocol;

	private volatile long unknownServiceMessages;

	/**
	 * @param nodeid this node
	 * @param netMtu Totem's {@code net_mtu}
	 * @param queueCapacity Totem's send queue capacity
	 * @param engines the service engines (those that are also {@link SyncService}s synchronize)
	 * @param extraSync further synchronization participants
	 * @param loop the node's event loop
	 * @param timers the event loop's timers
	 * @param membershipListener each configuration change, after the engines saw it, before synchronization
	 * @param synchronizedListener after each completed synchronization
	 */
	public ServiceStack(long nodeid, int netMtu, int queueCapacity, List<ServiceEngine> engines,
			List<SyncService> extraSync, Executor loop, Timers timers, Consumer<ConfigurationChange> membershipListener,
			Runnable synchronizedListener) {
		this.nodeid = nodeid;
		this.loop = loop;
		this.timers = timers;
		this.membershipListener = membershipListener;
		this.synchronizedListener = synchronizedListener;
		this.totempg = new Totempg(netMtu, queueCapacity);
		this.syncing.addAll(extraSync);
		for (ServiceEngine engine : engines) {
			this.engines.put(engine.serviceId(), engine);
			if (engine instanceof SyncService participant) {
				this.syncing.add(participant);
			}
		}
		this.servicesHandle = this.totempg.register(new Totempg.GroupListener() {

			@Override
			public void deliver(long from, byte[] message, boolean bigEndian) {
				dispatch(from, message, bigEndian);
			}

			@Override
			public void configurationChange(ConfigurationChange change) {
				membershipChanged(change);
			}

		}).join(Group.SERVICES);
		this.totempg.onTokenReceived(this::sendable);
		this.sync = new Sync(this.totempg, this.syncing, loop, this::synchronizationCompleted);
	}

	/** Connects Totem (built with this stack as its listener) and starts the engines; on the loop. */
	public void bind(Protocol totem) {
		this.protocol = totem;
		this.totempg.bind(totem);
		ServiceContext context = new Context();
		this.engines.values().forEach((engine) -> engine.start(context));
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
		this.totempg.tokenReceived();
	}

	// ---------------------------------------------------------------------------------------------

	private void membershipChanged(ConfigurationChange change) {
		for (ServiceEngine engine : this.engines.values()) {
			engine.configurationChange(change);
		}
		this.membershipListener.accept(change);
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
		protocol().transAck();
		this.synchronizedListener.run();
		sendable();
	}

	/** Group "a": the request header's id names the service and function ({@code main_deliver_fn}). */
	private void dispatch(long from, byte[] message, boolean bigEndian) {
		if (message.length < ServiceHeader.SIZE) {
			this.unknownServiceMessages++;
			return;
		}
		int id = ServiceHeader.read(message, bigEndian).getInt(0);
		ServiceEngine engine = this.engines.get(id >>> 16);
		if (engine == null) {
			this.unknownServiceMessages++;
			return;
		}
		engine.deliver(from, id & 0xFFFF, message, bigEndian);
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
			return !protocol().stopped() && ServiceStack.this.servicesHandle.mcast(pieces);
		}

		@Override
		public boolean synchronizing() {
			return ServiceStack.this.sync.inProgress();
		}

		@Override
		public void whenSendable(Runnable task) {
			ServiceStack.this.sendable.add(task);
		}

		@Override
		public Runnable schedule(long delayMillis, Runnable task) {
			return ServiceStack.this.timers.schedule(delayMillis, task);
		}

		@Override
		public Executor loop() {
			return ServiceStack.this.loop;
		}

	}

}
