package io.corosync4j.spring.cpg;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.messaging.Payloads;
import io.corosync4j.spring.messaging.Retries;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Holds the {@link CpgListener} and {@link CpgMembershipListener} methods, one group handle per group,
 * and a dispatcher per group that invokes them in the group's order on a thread of its own. Joins the
 * groups after the web server started and leaves them first on shutdown, before the node stops.
 */
public class CpgListenerEndpointRegistry implements SmartLifecycle, ApplicationEventPublisherAware {

	/** After the node and the web server, before everything in the default phase. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

	private static final Logger logger = LoggerFactory.getLogger(CpgListenerEndpointRegistry.class);

	private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * A listener method of a group: for messages or for configuration changes.
	 *
	 * @param errorHandler the name of the {@link CpgListenerErrorHandler} bean for this method, or
	 * {@code null} for the registry's
	 * @param id the listener's id, for {@link #start(String)} and {@link #stop(String)}
	 * @param autoStartup whether the listener runs when the registry starts
	 */
	public record Endpoint(Object bean, Method method, String group, boolean membership, @Nullable String errorHandler,
			String id, boolean autoStartup, @Nullable String containerFactory) {
	}

	/** An invocable listener method, the error handler that decides on its failures, and whether it runs. */
	private static final class Listener {

		final String id;

		final String group;

		final boolean membership;

		final InvocableHandlerMethod method;

		final CpgListenerErrorHandler errorHandler;

		volatile boolean running;

		Listener(Endpoint endpoint, InvocableHandlerMethod method, CpgListenerErrorHandler errorHandler) {
			this.id = endpoint.id();
			this.group = endpoint.group();
			this.membership = endpoint.membership();
			this.method = method;
			this.errorHandler = errorHandler;
			this.running = endpoint.autoStartup();
		}

	}

	private final CorosyncNodeLifecycle node;

	private final MessageHandlerMethodFactory methodFactory;

	private final CpgListenerContainerFactory defaultFactory;

	private final Function<String, CpgListenerContainerFactory> namedFactories;

	private final Function<String, CpgListenerErrorHandler> namedErrorHandlers;

	/** The container factory of each group with listeners, chosen when the registry starts. */
	private final Map<String, CpgListenerContainerFactory> groupFactories = new ConcurrentHashMap<>();


	private final List<Endpoint> endpoints = new ArrayList<>();

	private final Map<String, GroupDispatcher> dispatchers = new ConcurrentHashMap<>();

	/** Every listener method by id, made when the registry starts. */
	private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

	private final List<Consumer<String>> joinListeners = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	private final AtomicLong refusedSends = new AtomicLong();

	private volatile @Nullable ApplicationEventPublisher publisher;

	/**
	 * @param node the node the groups live on
	 * @param methodFactory turns listener methods into invocable handlers (argument resolution, conversion)
	 * @param defaultFactory the container settings of groups whose listeners name no factory, and of groups
	 * this member only sends to; its error handler is the default one
	 * @param namedFactories the container factory beans listeners name in {@link CpgListener#containerFactory()}
	 * @param namedErrorHandlers the error handler beans listeners name in {@link CpgListener#errorHandler()}
	 */
	public CpgListenerEndpointRegistry(CorosyncNodeLifecycle node, MessageHandlerMethodFactory methodFactory,
			CpgListenerContainerFactory defaultFactory, Function<String, CpgListenerContainerFactory> namedFactories,
			Function<String, CpgListenerErrorHandler> namedErrorHandlers) {
		if (defaultFactory.getErrorHandler() == null) {
			throw new IllegalArgumentException("the default container factory needs an error handler");
		}
		this.node = node;
		this.methodFactory = methodFactory;
		this.defaultFactory = defaultFactory;
		this.namedFactories = namedFactories;
		this.namedErrorHandlers = namedErrorHandlers;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/** Adds a listener method; groups are joined when the registry starts. */
	public synchronized void register(Endpoint endpoint) {
		if (this.running) {
			throw new IllegalStateException("listeners must be registered before the registry starts");
		}
		this.endpoints.add(endpoint);
	}

	public synchronized List<Endpoint> getEndpoints() {
		return List.copyOf(this.endpoints);
	}

	/** Tells {@code listener} of every group joined from now on, and of those joined already. */
	public void onGroupJoined(Consumer<String> listener) {
		this.joinListeners.add(listener);
		this.dispatchers.keySet().forEach(listener);
	}

	/** Per group: messages delivered to its listeners, listener failures, what waits, times it fell behind. */
	public Map<String, GroupStatistics> getStatistics() {
		Map<String, GroupStatistics> statistics = new TreeMap<>();
		this.dispatchers.forEach((group, dispatcher) -> statistics.put(group, dispatcher.statistics()));
		return statistics;
	}

	/** The handle of {@code group}: the listeners' handle, or one joined now for sending only. */
	CpgHandle handleFor(String group) {
		return dispatcher(group, true).handle();
	}

	/**
	 * Multicasts {@code message} to {@code group} and tracks it until this member delivers it back.
	 * @param join whether to join a group this member is not in (the others see a new member)
	 * @return completes once this member delivered the message back, in the group's order, and its
	 * listeners handled it; fails when this member leaves the group (or stops) first
	 * @throws CpgSendTimeoutException when the send queue stayed full for {@code timeout}
	 * @throws IllegalStateException when this member is not in the group and {@code join} is off
	 */
	CompletableFuture<Void> send(String group, byte[] message, Duration timeout, boolean join) {
		GroupDispatcher dispatcher;
		try {
			dispatcher = dispatcher(group, join);
		}
		catch (RuntimeException ex) {
			this.refusedSends.incrementAndGet();
			throw ex;
		}
		return dispatcher.send(message, timeout);
	}

	/** Sends refused because this member was not in the group and could not join it. */
	public long getRefusedSends() {
		return this.refusedSends.get();
	}

	/** This member's node id. */
	long nodeId() {
		return this.node.getNode().nodeId();
	}

	/**
	 * Leaves {@code group} and joins it again, as a new member, once the leave is delivered (for
	 * {@link RejoinCpgRecoverer}); the listeners get everything delivered before the leave.
	 */
	public void leaveAndRejoin(String group) {
		GroupDispatcher dispatcher = this.dispatchers.get(group);
		if (dispatcher != null) {
			dispatcher.leaveAndRejoin();
		}
	}

	private GroupDispatcher dispatcher(String group, boolean join) {
		GroupDispatcher existing = this.dispatchers.get(group);
		if (existing != null) {
			return existing;
		}
		if (!join) {
			throw new IllegalStateException("this member is not in CPG group '" + group + "': give the group a "
					+ "@CpgListener or @CpgMembershipListener, or let sending join it (corosync.cpg.join-on-send=true; "
					+ "the other members then see this one join)");
		}
		synchronized (this) {
			if (!this.running) {
				throw new IllegalStateException("the CPG listener registry is not running: no group is joined before "
						+ "the application started or after it began to stop");
			}
			return this.dispatchers.computeIfAbsent(group, (name) -> join(name, List.of(), List.of()));
		}
	}

	/** The ids of the listener methods, with whether each runs. */
	public Map<String, Boolean> getListeners() {
		Map<String, Boolean> running = new TreeMap<>();
		this.listeners.forEach((id, listener) -> running.put(id, listener.running));
		return running;
	}

	/**
	 * Starts listener {@code id}: it is invoked from the next message of its group on. If no listener of
	 * the group was running, this member joins the group again, as a new member.
	 * @throws IllegalArgumentException for an unknown id
	 */
	public synchronized void start(String id) {
		Listener listener = listener(id);
		listener.running = true;
		if (this.running && !this.dispatchers.containsKey(listener.group)) {
			this.dispatchers.put(listener.group, joinGroup(listener.group));
		}
	}

	/**
	 * Stops listener {@code id}: it is not invoked for the group's messages delivered from now on, which it
	 * misses. When no listener of its group runs any more this member leaves the group (the others see it
	 * go), so a group's state stays right only if all of its listeners stop together.
	 * @throws IllegalArgumentException for an unknown id
	 */
	public synchronized void stop(String id) {
		Listener listener = listener(id);
		listener.running = false;
		boolean groupRuns = this.listeners.values().stream()
			.anyMatch((other) -> other.group.equals(listener.group) && other.running);
		GroupDispatcher dispatcher = this.dispatchers.get(listener.group);
		if (!groupRuns && dispatcher != null) {
			this.dispatchers.remove(listener.group);
			dispatcher.close();
		}
	}

	private Listener listener(String id) {
		Listener listener = this.listeners.get(id);
		if (listener == null) {
			throw new IllegalArgumentException("no CPG listener '" + id + "'; there are " + this.listeners.keySet());
		}
		return listener;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		if (this.listeners.isEmpty()) {
			Map<String, String> factoryNames = new TreeMap<>();
			for (Endpoint endpoint : this.endpoints) {
				String name = (endpoint.containerFactory() != null) ? endpoint.containerFactory() : "";
				String other = factoryNames.putIfAbsent(endpoint.group(), name);
				if (other != null && !other.equals(name)) {
					throw new IllegalStateException("the listeners of CPG group '" + endpoint.group() + "' name different "
							+ "container factories ('" + other + "', '" + name + "'): a group has one container");
				}
			}
			factoryNames.forEach((group, name) -> this.groupFactories.put(group,
					name.isEmpty() ? this.defaultFactory : this.namedFactories.apply(name)));
			for (Endpoint endpoint : this.endpoints) {
				InvocableHandlerMethod handler = this.methodFactory.createInvocableHandlerMethod(endpoint.bean(),
						endpoint.method());
				CpgListenerErrorHandler handlerErrors = (endpoint.errorHandler() != null)
						? this.namedErrorHandlers.apply(endpoint.errorHandler())
						: defaultErrorHandler(factory(endpoint.group()));
				if (this.listeners.putIfAbsent(endpoint.id(), new Listener(endpoint, handler, handlerErrors)) != null) {
					throw new IllegalStateException("two CPG listeners have the id '" + endpoint.id() + "'");
				}
			}
		}
		try {
			for (String group : new java.util.TreeSet<>(this.listeners.values().stream()
				.filter((listener) -> listener.running)
				.map((listener) -> listener.group)
				.toList())) {
				this.dispatchers.put(group, joinGroup(group));
			}
		}
		catch (RuntimeException ex) {
			// Spring stops only what started: leave the groups joined so far
			this.dispatchers.values().forEach(GroupDispatcher::close);
			this.dispatchers.clear();
			throw ex;
		}
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		for (GroupDispatcher dispatcher : this.dispatchers.values()) {
			dispatcher.close();
		}
		this.dispatchers.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private CpgListenerContainerFactory factory(String group) {
		return this.groupFactories.getOrDefault(group, this.defaultFactory);
	}

	private CpgListenerErrorHandler defaultErrorHandler(CpgListenerContainerFactory factory) {
		CpgListenerErrorHandler handler = factory.getErrorHandler();
		return (handler != null) ? handler : Objects.requireNonNull(this.defaultFactory.getErrorHandler());
	}

	/** Joins {@code group} with its listener methods (those that do not run are skipped until started). */
	private GroupDispatcher joinGroup(String group) {
		List<Listener> messageHandlers = new ArrayList<>();
		List<Listener> membershipHandlers = new ArrayList<>();
		this.listeners.values().stream()
			.filter((listener) -> listener.group.equals(group))
			.sorted(java.util.Comparator.comparing((Listener listener) -> listener.id))
			.forEach((listener) -> (listener.membership ? membershipHandlers : messageHandlers).add(listener));
		return join(group, messageHandlers, membershipHandlers);
	}

	private GroupDispatcher join(String group, List<Listener> messageHandlers, List<Listener> membershipHandlers) {
		GroupDispatcher dispatcher = new GroupDispatcher(group, messageHandlers, membershipHandlers, factory(group));
		CpgHandle handle = this.node.getNode().cpg().join(CpgName.of(group), dispatcher);
		dispatcher.start(handle);
		try {
			handle.joined().toCompletableFuture().get(JOIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			dispatcher.close();
			throw new IllegalStateException("could not join CPG group '" + group + "' within " + JOIN_TIMEOUT, ex);
		}
		catch (InterruptedException ex) {
			dispatcher.close();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while joining CPG group '" + group + "'", ex);
		}
		logger.info("Joined CPG group '{}' as pid {} with {} listener(s)", group, handle.pid(),
				messageHandlers.size() + membershipHandlers.size());
		this.joinListeners.forEach((listener) -> listener.accept(group));
		return dispatcher;
	}

	/**
	 * Counts of one group's dispatch.
	 *
	 * @param delivered messages handed to the group's listeners
	 * @param failures messages a listener still failed on after its retries
	 * @param retries listener invocations repeated after a failure
	 * @param fellBehind times this member left the group because its listeners fell behind
	 * @param queued events waiting now
	 * @param queuedBytes the payload bytes waiting now
	 * @param handled messages the group's listener methods were invoked with
	 * @param handlingNanos the time those invocations took, retries and their pauses included
	 * @param sendTimeouts sends that found the send queue full for the whole send timeout
	 */
	public record GroupStatistics(long delivered, long failures, long retries, long fellBehind, int queued,
			long queuedBytes, long handled, long handlingNanos, long sendTimeouts) {
	}

	/**
	 * One group: receives on the node's event loop, invokes the listeners on its own thread, in order. The
	 * loop never waits: what the listeners have not taken yet waits in an unbounded queue, and when it
	 * holds more than the bound this member leaves the group, so the others see it go at one point of the
	 * order instead of members silently delivering different messages.
	 */
	private final class GroupDispatcher implements io.corosync4j.engine.service.cpg.CpgListener {

		private static final Object STOP = new Object();

		/** A configuration change's share of the bound (it has no payload, but it takes room). */
		private static final int CHANGE_BYTES = 64;

		/** What waits: a message or change with its size (and whether this member sent it), or a mark in the order. */
		private record Entry(Message<?> message, long bytes, boolean own) {
		}

		/** Where this member left because its listeners were {@code bytes} behind. */
		private record FellBehind(Message<?> last, long bytes, int events) {
		}

		/** Where this member's own leave was delivered: it is out of the group from here. */
		private record Out() {
		}

		private final String group;

		private final List<Listener> messageHandlers;

		private final List<Listener> membershipHandlers;

		private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

		private final AtomicLong queuedBytes = new AtomicLong();

		private final AtomicLong delivered = new AtomicLong();

		private final AtomicLong failures = new AtomicLong();

		private final AtomicLong retries = new AtomicLong();

		private final AtomicLong sendTimeouts = new AtomicLong();

		/** Messages handed to the listeners and the time they took, retries included. */
		private final AtomicLong handled = new AtomicLong();

		private final AtomicLong handlingNanos = new AtomicLong();

		private final AtomicLong fellBehind = new AtomicLong();

		private final Thread thread;

		private volatile @Nullable CpgHandle handle;

		/** This member's messages in the order it sent them, until it delivers them back. */
		private final Deque<CompletableFuture<Void>> pending = new ConcurrentLinkedDeque<>();

		/** Keeps {@link #pending} in the order the messages entered the send queue. */
		private final Object sending = new Object();

		/** Set on the loop when this member leaves for falling behind; cleared when it joined again. */
		private volatile boolean leaving;

		/** Set when the group is being closed: an interrupt then ends the thread. */
		private volatile boolean closing;

		/** Set when a recoverer asked this member to leave and join again, whatever the fell-behind setting. */
		private volatile boolean rejoinRequested;

		/** The group's container settings. */
		private final CpgListenerContainerFactory settings;

		GroupDispatcher(String group, List<Listener> messageHandlers, List<Listener> membershipHandlers,
				CpgListenerContainerFactory settings) {
			this.settings = settings;
			this.group = group;
			this.messageHandlers = messageHandlers;
			this.membershipHandlers = membershipHandlers;
			this.thread = new Thread(this::run, "cpg-listener-" + group);
			this.thread.setDaemon(true);
		}

		void start(CpgHandle joined) {
			this.handle = joined;
			this.thread.start();
		}

		CpgHandle handle() {
			CpgHandle current = this.handle;
			if (current == null) {
				throw new IllegalStateException("group '" + this.group + "' is not joined");
			}
			return current;
		}

		CompletableFuture<Void> send(byte[] message, Duration timeout) {
			synchronized (this.sending) {
				CpgHandle current = handle();
				CompletableFuture<Void> delivered = new CompletableFuture<>();
				this.pending.addLast(delivered);
				boolean queued = false;
				try {
					queued = current.mcast(message, timeout);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new CpgSendTimeoutException("interrupted while sending to group '" + this.group + "'");
				}
				finally {
					if (!queued) {
						this.pending.removeLastOccurrence(delivered);
					}
				}
				if (!queued) {
					this.sendTimeouts.incrementAndGet();
					throw new CpgSendTimeoutException("the CPG send queue stayed full for " + timeout
							+ " (corosync.cpg.send-timeout) sending to group '" + this.group + "'");
				}
				return delivered;
			}
		}

		/** Fails what was sent and will not come back: this member left the group or stops. */
		private void abandon(String why) {
			CompletableFuture<Void> next;
			while ((next = this.pending.pollFirst()) != null) {
				next.completeExceptionally(new IllegalStateException("not delivered back in group '" + this.group
						+ "': " + why));
			}
		}

		GroupStatistics statistics() {
			return new GroupStatistics(this.delivered.get(), this.failures.get(), this.retries.get(),
					this.fellBehind.get(), this.queue.size(), this.queuedBytes.get(), this.handled.get(),
					this.handlingNanos.get(), this.sendTimeouts.get());
		}

		// ---- on the node's event loop: never waits

		@Override
		public void deliver(CpgName name, long nodeid, long pid, byte[] payload) {
			CpgHandle current = this.handle;
			boolean own = current != null && nodeid == current.nodeId() && pid == current.pid();
			if (this.messageHandlers.isEmpty() && !own) {
				return;
			}
			// the cpg_ headers are set here, over any a sender put in the frame
			enqueue(Payloads.unframe(payload).setHeader(CpgHeaders.GROUP, this.group)
				.setHeader(CpgHeaders.NODE_ID, nodeid)
				.setHeader(CpgHeaders.PID, pid)
				.build(), payload.length, own);
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			enqueue(MessageBuilder.withPayload(change).setHeader(CpgHeaders.GROUP, this.group).build(), CHANGE_BYTES, false);
			CpgHandle current = this.handle;
			if (this.leaving && current != null && change.left()
				.stream()
				.anyMatch((gone) -> gone.nodeid() == current.nodeId() && gone.pid() == current.pid())) {
				this.queue.add(new Out());
			}
		}

		private void enqueue(Message<?> message, long bytes, boolean own) {
			this.queue.add(new Entry(message, bytes, own));
			long waiting = this.queuedBytes.addAndGet(bytes);
			CpgHandle current = this.handle;
			if (waiting > this.settings.getListenerQueue().toBytes() && !this.leaving && current != null) {
				this.leaving = true;
				this.fellBehind.incrementAndGet();
				this.queue.add(new FellBehind(message, waiting, this.queue.size()));
				// the leave goes out in order after what was delivered so far, which the listeners still get
				current.leave();
			}
		}

		// ---- on the group's thread

		private void run() {
			try {
				dispatch();
			}
			finally {
				abandon("this member left the group");
			}
		}

		private void dispatch() {
			while (true) {
				Object next;
				try {
					next = this.queue.take();
				}
				catch (InterruptedException ex) {
					if (this.closing) {
						return;
					}
					// a listener interrupted its own thread: the group goes on
					logger.warn("The listener thread of CPG group '{}' was interrupted; it goes on", this.group);
					continue;
				}
				if (next == STOP) {
					return;
				}
				if (next instanceof Entry entry) {
					this.queuedBytes.addAndGet(-entry.bytes());
					long started = System.nanoTime();
					invoke(entry.message());
					if (!(this.messageHandlers.isEmpty() || entry.message().getPayload() instanceof CpgConfigurationChange)) {
						this.handlingNanos.addAndGet(System.nanoTime() - started);
						this.handled.incrementAndGet();
					}
					if (entry.own()) {
						CompletableFuture<Void> delivered = this.pending.pollFirst();
						if (delivered != null) {
							delivered.complete(null);
						}
					}
				}
				else if (next instanceof FellBehind behind) {
					handleError(defaultErrorHandler(this.settings), behind.last(),
							new CpgListenerFellBehindException("the listeners of group '" + this.group + "' were "
									+ behind.bytes() + " bytes (" + behind.events() + " events) behind, more than "
									+ "corosync.cpg.listener-queue allows: this member leaves the group after "
									+ "the messages delivered so far, which the listeners still get"
									+ (this.settings.isRejoinAfterFallingBehind() ? ", and joins again once they caught up" : "")));
				}
				else if (next instanceof Out) {
					abandon(this.rejoinRequested ? "this member left the group to rejoin after a listener failed"
							: "this member left the group because its listeners fell behind");
					rejoin();
				}
			}
		}

		private void invoke(Message<?> message) {
			boolean change = message.getPayload() instanceof CpgConfigurationChange;
			ObservationRegistry registry = this.settings.getObservationRegistry();
			if (change || this.messageHandlers.isEmpty() || registry.isNoop()) {
				invokeListeners(message, change);
			}
			else {
				CpgObservations.receive(registry, this.group, message).observe(() -> invokeListeners(message, false));
			}
			if (change) {
				publishChange(message);
			}
			else {
				this.delivered.incrementAndGet();
			}
		}

		private void invokeListeners(Message<?> message, boolean change) {
			for (Listener listener : change ? this.membershipHandlers : this.messageHandlers) {
				if (!listener.running) {
					continue;
				}
				Throwable failure = invokeWithRetries(listener, message);
				if (failure != null) {
					this.failures.incrementAndGet();
					handleError(listener.errorHandler, message, failure);
				}
			}
		}

		/** An error handler that throws is logged: the group's thread goes on with the next message. */
		private void handleError(CpgListenerErrorHandler handler, Message<?> message, Throwable failure) {
			try {
				handler.handleError(this.group, message, failure);
			}
			catch (RuntimeException ex) {
				logger.error("The error handler of group '{}' failed", this.group, ex);
			}
		}

		private void publishChange(Message<?> message) {
			ApplicationEventPublisher events = CpgListenerEndpointRegistry.this.publisher;
			if (events != null) {
				try {
					events.publishEvent(new CpgGroupChangedEvent(CpgListenerEndpointRegistry.this, this.group,
							(CpgConfigurationChange) message.getPayload()));
				}
				catch (RuntimeException ex) {
					// not a listener of the group: nothing to retry or recover
					logger.error("A listener of CpgGroupChangedEvent for group '{}' failed", this.group, ex);
				}
			}
		}

		/**
		 * Invokes {@code listener}, again after each pause its error handler's back-off allows while it fails.
		 * @return the last failure, or {@code null} once an invocation succeeded
		 */
		private @Nullable Throwable invokeWithRetries(Listener listener, Message<?> message) {
			return Retries.invoke(listener.method, message, listener.errorHandler.backOff(),
					() -> CpgListenerEndpointRegistry.this.running, this.retries::incrementAndGet).failure();
		}

		/** On the group's thread, from a recoverer: leave now, join again once the leave is delivered. */
		void leaveAndRejoin() {
			CpgHandle current = this.handle;
			if (current == null || this.leaving) {
				return;
			}
			this.rejoinRequested = true;
			this.leaving = true;
			current.leave();
		}

		/** Everything delivered before this member's leave was handed to the listeners: join again. */
		private void rejoin() {
			boolean requested = this.rejoinRequested;
			this.rejoinRequested = false;
			if (!(this.settings.isRejoinAfterFallingBehind() || requested) || !CpgListenerEndpointRegistry.this.running) {
				return;
			}
			try {
				CpgHandle fresh = CpgListenerEndpointRegistry.this.node.getNode().cpg().join(CpgName.of(this.group), this);
				this.handle = fresh;
				this.leaving = false;
				logger.warn("Joined CPG group '{}' again as pid {} after its listeners caught up", this.group,
						fresh.pid());
			}
			catch (RuntimeException ex) {
				logger.error("Could not join CPG group '{}' again after its listeners fell behind", this.group, ex);
			}
		}

		/** Leaves the group, lets the listeners finish what was delivered before, and stops the thread. */
		void close() {
			this.closing = true;
			CpgHandle current = this.handle;
			if (current != null) {
				try {
					current.leave().toCompletableFuture().get(5, TimeUnit.SECONDS);
				}
				catch (ExecutionException | TimeoutException | IllegalStateException ex) {
					logger.debug("Leaving group '{}' did not complete: {}", this.group, ex.toString());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.queue.add(STOP);
			try {
				this.thread.join(5000);
				if (this.thread.isAlive()) {
					this.thread.interrupt();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
