package io.corosync4j.spring.cpg;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
public class CpgListenerEndpointRegistry implements SmartLifecycle {

	/** After the node and the web server, before everything in the default phase. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

	private static final Logger logger = LoggerFactory.getLogger(CpgListenerEndpointRegistry.class);

	private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

	/** A listener method of a group: for messages or for configuration changes. */
	public record Endpoint(Object bean, Method method, String group, boolean membership) {
	}

	private final CorosyncNodeLifecycle node;

	private final MessageHandlerMethodFactory methodFactory;

	private final CpgListenerErrorHandler errorHandler;

	private final int queueCapacity;

	private final List<Endpoint> endpoints = new ArrayList<>();

	private final Map<String, GroupDispatcher> dispatchers = new ConcurrentHashMap<>();

	private final List<Consumer<String>> joinListeners = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	/**
	 * @param node the node the groups live on
	 * @param methodFactory turns listener methods into invocable handlers (argument resolution, conversion)
	 * @param errorHandler told of listener failures and overflows
	 * @param queueCapacity events each group may have waiting for its listeners
	 */
	public CpgListenerEndpointRegistry(CorosyncNodeLifecycle node, MessageHandlerMethodFactory methodFactory,
			CpgListenerErrorHandler errorHandler, int queueCapacity) {
		this.node = node;
		this.methodFactory = methodFactory;
		this.errorHandler = errorHandler;
		this.queueCapacity = queueCapacity;
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

	/** Per group: messages delivered to its listeners, listener failures and overflows. */
	public Map<String, GroupStatistics> getStatistics() {
		Map<String, GroupStatistics> statistics = new TreeMap<>();
		this.dispatchers.forEach((group, dispatcher) -> statistics.put(group, dispatcher.statistics()));
		return statistics;
	}

	/**
	 * The handle this application sends to {@code group} with: the listeners' handle, or one joined now
	 * for sending only.
	 */
	public CpgHandle handleFor(String group) {
		GroupDispatcher existing = this.dispatchers.get(group);
		if (existing != null) {
			return existing.handle();
		}
		synchronized (this) {
			return this.dispatchers.computeIfAbsent(group, (name) -> join(name, List.of(), List.of())).handle();
		}
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		Map<String, List<InvocableHandlerMethod>> messageHandlers = new TreeMap<>();
		Map<String, List<InvocableHandlerMethod>> membershipHandlers = new TreeMap<>();
		for (Endpoint endpoint : this.endpoints) {
			InvocableHandlerMethod handler = this.methodFactory.createInvocableHandlerMethod(endpoint.bean(),
					endpoint.method());
			(endpoint.membership() ? membershipHandlers : messageHandlers)
				.computeIfAbsent(endpoint.group(), (key) -> new ArrayList<>())
				.add(handler);
			messageHandlers.computeIfAbsent(endpoint.group(), (key) -> new ArrayList<>());
		}
		for (Map.Entry<String, List<InvocableHandlerMethod>> group : messageHandlers.entrySet()) {
			this.dispatchers.put(group.getKey(), join(group.getKey(), group.getValue(),
					membershipHandlers.getOrDefault(group.getKey(), List.of())));
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

	private GroupDispatcher join(String group, List<InvocableHandlerMethod> messageHandlers,
			List<InvocableHandlerMethod> membershipHandlers) {
		GroupDispatcher dispatcher = new GroupDispatcher(group, messageHandlers, membershipHandlers);
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
	 * @param failures listener invocations that threw
	 * @param overflows messages not delivered because the queue stayed full
	 * @param queued events waiting now
	 */
	public record GroupStatistics(long delivered, long failures, long overflows, int queued) {
	}

	/** One group: receives on the node's event loop, invokes the listeners on its own thread, in order. */
	private final class GroupDispatcher implements io.corosync4j.engine.service.cpg.CpgListener {

		private static final Object STOP = new Object();

		private final String group;

		private final List<InvocableHandlerMethod> messageHandlers;

		private final List<InvocableHandlerMethod> membershipHandlers;

		private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CpgListenerEndpointRegistry.this.queueCapacity);

		private final AtomicLong delivered = new AtomicLong();

		private final AtomicLong failures = new AtomicLong();

		private final AtomicLong overflows = new AtomicLong();

		private final Thread thread;

		private @Nullable CpgHandle handle;

		GroupDispatcher(String group, List<InvocableHandlerMethod> messageHandlers,
				List<InvocableHandlerMethod> membershipHandlers) {
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

		GroupStatistics statistics() {
			return new GroupStatistics(this.delivered.get(), this.failures.get(), this.overflows.get(),
					this.queue.size());
		}

		// ---- on the node's event loop

		@Override
		public void deliver(CpgName name, long nodeid, long pid, byte[] payload) {
			if (this.messageHandlers.isEmpty()) {
				return;
			}
			enqueue(MessageBuilder.withPayload(payload)
				.setHeader(CpgHeaders.GROUP, this.group)
				.setHeader(CpgHeaders.NODE_ID, nodeid)
				.setHeader(CpgHeaders.PID, pid)
				.build());
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			if (this.membershipHandlers.isEmpty()) {
				return;
			}
			enqueue(MessageBuilder.withPayload(change).setHeader(CpgHeaders.GROUP, this.group).build());
		}

		/**
		 * Waits a moment for room (holding the event loop slows the ring, which is the back-pressure a slow
		 * listener should cause); if the listeners are still behind the message goes to the error handler.
		 */
		private void enqueue(Message<?> message) {
			try {
				if (this.queue.offer(message, 1, TimeUnit.SECONDS)) {
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.overflows.incrementAndGet();
			CpgListenerEndpointRegistry.this.errorHandler.handleError(this.group, message,
					new CpgDispatchOverflowException("the listeners of group '" + this.group + "' have "
							+ this.queue.size() + " events waiting; the message was not delivered to them"));
		}

		// ---- on the group's thread

		private void run() {
			while (true) {
				Object next;
				try {
					next = this.queue.take();
				}
				catch (InterruptedException ex) {
					return;
				}
				if (next == STOP) {
					return;
				}
				Message<?> message = (Message<?>) next;
				boolean change = message.getPayload() instanceof CpgConfigurationChange;
				for (InvocableHandlerMethod handler : change ? this.membershipHandlers : this.messageHandlers) {
					try {
						handler.invoke(message);
					}
					catch (Exception ex) {
						this.failures.incrementAndGet();
						CpgListenerEndpointRegistry.this.errorHandler.handleError(this.group, message, ex);
					}
				}
				if (!change) {
					this.delivered.incrementAndGet();
				}
			}
		}

		/** Leaves the group, lets the listeners finish what was delivered before, and stops the thread. */
		void close() {
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
			try {
				if (this.thread.isAlive() && !this.queue.offer(STOP, 5, TimeUnit.SECONDS)) {
					this.thread.interrupt();
				}
				this.thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
