package io.corosync4j.spring.message;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import io.corosync4j.engine.message.Delivery;
import io.corosync4j.engine.message.GroupPolicy;
import io.corosync4j.engine.message.MessageError;
import io.corosync4j.engine.message.MessageException;
import io.corosync4j.engine.message.MessageHandler;
import io.corosync4j.engine.message.MessageQueue;
import io.corosync4j.engine.message.MessageService;
import io.corosync4j.engine.message.QueueAttributes;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.cpg.CpgListenerEndpointRegistry;
import io.corosync4j.spring.messaging.MessagingObservations;
import io.corosync4j.spring.messaging.Payloads;
import io.corosync4j.spring.messaging.Retries;
import io.corosync4j.spring.messaging.StateWatch;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * Holds the {@link QueueListener} methods and opens a queue for each in its group once this member holds
 * the message state (start-up does not wait for it). The service hands a queue's messages out on its
 * callback thread; each listener takes them on a thread of its own, in the order handed out, at most
 * the prefetch window unacknowledged. On stop the listeners finish the message they are on, then the
 * queues close: what they had not acknowledged moves to the group's other queues.
 */
public class QueueListenerEndpointRegistry implements SmartLifecycle {

	/** With the CPG listeners: after the node and the web server, before the default phase. */
	public static final int PHASE = CpgListenerEndpointRegistry.PHASE;

	static final String RECEIVE = "msg.receive";

	private static final Logger logger = LoggerFactory.getLogger(QueueListenerEndpointRegistry.class);

	private static final long STOP_MILLIS = 5000;

	/** How often the listeners' queues are looked at for one the service closed. */
	private static final Duration WATCH_INTERVAL = Duration.ofMillis(500);

	/**
	 * A listener method of a queue group.
	 *
	 * @param queue its queue's name, or {@code null} for one derived from the node and the id
	 * @param errorHandler the name of its error handler bean, or {@code null} for the default
	 */
	public record Endpoint(Object bean, Method method, String group, @Nullable String queue,
			@Nullable String errorHandler, String id, boolean autoStartup) {
	}

	/**
	 * The queues the listeners open and the groups they create.
	 *
	 * @param policy of a group created because it did not exist
	 * @param attributes of the listeners' queues
	 */
	public record QueueSettings(GroupPolicy policy, QueueAttributes attributes) {
	}

	/**
	 * Counts of one listener.
	 *
	 * @param group its queue group
	 * @param queue its queue, once opened
	 * @param delivered messages its method was invoked with
	 * @param acknowledged messages acknowledged (replies included) after the method returned or the error
	 * handler decided so
	 * @param failures messages it still failed on after its retries
	 * @param retries invocations repeated after a failure
	 * @param kept messages kept unacknowledged after a failure
	 * @param held of those, the ones its open queue still holds for it (each takes a place of the prefetch
	 * window; they go when the queue closes)
	 * @param prefetch the prefetch window: a listener holding that many kept messages receives no more
	 * @param acknowledgementFailures acknowledgements the service refused (the message had moved on: it may
	 * be handed out again)
	 * @param running whether it is started (not stopped through the registry)
	 * @param open whether its queue is open
	 */
	public record ListenerStatistics(String group, @Nullable String queue, long delivered, long acknowledged, long failures,
			long retries, long kept, long held, int prefetch, long acknowledgementFailures, boolean running,
			boolean open) {

		/** Whether every place of its prefetch window is taken by a kept message: it receives nothing more. */
		public boolean stalled() {
			return this.open && this.held >= this.prefetch;
		}

	}

	private final CorosyncNodeLifecycle node;

	private final MessageHandlerMethodFactory methodFactory;

	private final MessageConverter converter;

	private final QueueListenerErrorHandler defaultErrorHandler;

	private final Function<String, QueueListenerErrorHandler> namedErrorHandlers;

	private final QueueSettings settings;

	private final ObservationRegistry observations;

	private final List<Endpoint> endpoints = new ArrayList<>();

	private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

	private volatile boolean running;

	private final List<Consumer<String>> creationListeners = new CopyOnWriteArrayList<>();

	/** Opens again, while running, the queues the service closed. */
	private volatile @Nullable StateWatch watch;

	/**
	 * @param methodFactory turns listener methods into invocable handlers (argument resolution, conversion)
	 * @param converter turns return values into replies
	 * @param defaultErrorHandler for listeners that name none
	 * @param namedErrorHandlers the error handler beans listeners name
	 * @param observations where deliveries are observed ({@value #RECEIVE}), or {@link ObservationRegistry#NOOP}
	 */
	public QueueListenerEndpointRegistry(CorosyncNodeLifecycle node, MessageHandlerMethodFactory methodFactory,
			MessageConverter converter, QueueListenerErrorHandler defaultErrorHandler,
			Function<String, QueueListenerErrorHandler> namedErrorHandlers, QueueSettings settings,
			ObservationRegistry observations) {
		this.node = node;
		this.methodFactory = methodFactory;
		this.converter = converter;
		this.defaultErrorHandler = defaultErrorHandler;
		this.namedErrorHandlers = namedErrorHandlers;
		this.settings = settings;
		this.observations = observations;
	}

	/** Adds a listener method; its queue opens when the registry starts. */
	public synchronized void register(Endpoint endpoint) {
		if (this.running) {
			throw new IllegalStateException("listeners must be registered before the registry starts");
		}
		this.endpoints.add(endpoint);
	}

	public synchronized List<Endpoint> getEndpoints() {
		return List.copyOf(this.endpoints);
	}

	/**
	 * Tells {@code listener} the id of every listener method as the registry first starts, and at once of
	 * those it has already (for meters).
	 */
	public void onListenerCreated(Consumer<String> listener) {
		this.creationListeners.add(listener);
		this.listeners.keySet().forEach(listener);
	}

	/** Per listener id, its counts. */
	public Map<String, ListenerStatistics> getStatistics() {
		Map<String, ListenerStatistics> statistics = new TreeMap<>();
		this.listeners.forEach((id, listener) -> statistics.put(id, listener.statistics()));
		return statistics;
	}

	/** Completes once every running listener's queue is open in its group; fails if one could not be opened. */
	public CompletableFuture<Void> opened() {
		return CompletableFuture.allOf(this.listeners.values().stream()
			.filter((listener) -> listener.running)
			.map((listener) -> listener.queue)
			.filter((queue) -> queue != null)
			.toArray(CompletableFuture[]::new));
	}

	/**
	 * Starts listener {@code id}: its queue opens in the group.
	 * @throws IllegalArgumentException for an unknown id
	 */
	public synchronized void start(String id) {
		Listener listener = listener(id);
		if (!listener.running) {
			listener.running = true;
			if (this.running) {
				listener.open();
			}
		}
	}

	/**
	 * Stops listener {@code id}: it finishes the message it is on, then its queue closes and what it had not
	 * acknowledged moves to the group's other queues (or waits, for a persistent queue).
	 * @throws IllegalArgumentException for an unknown id
	 */
	public synchronized void stop(String id) {
		Listener listener = listener(id);
		listener.running = false;
		listener.close();
	}

	private Listener listener(String id) {
		Listener listener = this.listeners.get(id);
		if (listener == null) {
			throw new IllegalArgumentException("no queue listener '" + id + "'; there are " + this.listeners.keySet());
		}
		return listener;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		if (this.listeners.isEmpty()) {
			for (Endpoint endpoint : this.endpoints) {
				InvocableHandlerMethod method = this.methodFactory.createInvocableHandlerMethod(endpoint.bean(),
						endpoint.method());
				QueueListenerErrorHandler errors = (endpoint.errorHandler() != null)
						? this.namedErrorHandlers.apply(endpoint.errorHandler()) : this.defaultErrorHandler;
				if (this.listeners.putIfAbsent(endpoint.id(), new Listener(endpoint, method, errors)) != null) {
					throw new IllegalStateException("two queue listeners have the id '" + endpoint.id() + "'");
				}
			}
			this.listeners.keySet().forEach((id) -> this.creationListeners.forEach((listener) -> listener.accept(id)));
		}
		this.running = true;
		this.listeners.values().stream().filter((listener) -> listener.running).forEach(Listener::open);
		StateWatch started = new StateWatch("msg-listener-watch", WATCH_INTERVAL);
		started.repeat(this::reopenClosedQueues);
		this.watch = started;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		StateWatch current = this.watch;
		if (current != null) {
			current.close();
			this.watch = null;
		}
		this.listeners.values().forEach(Listener::close);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Opens again the queue of a running listener that the service closed (this member left the primary
	 * component, or the node stopped), once the node's service holds the state: at that point the queue
	 * lost its consumer and its messages moved on, stayed (persistent) or went back to their senders.
	 */
	private synchronized void reopenClosedQueues() {
		List<Listener> closed = this.listeners.values().stream().filter(Listener::closedByService).toList();
		if (!this.running || closed.isEmpty()) {
			return;
		}
		CorosyncNode current = this.node.getNodeIfRunning();
		if (current == null || current.isClosed() || !current.messages().holdsState()) {
			return;
		}
		for (Listener listener : closed) {
			logger.warn("The queue of listener '{}' was closed by the service; it opens again", listener.id);
			listener.close();
			listener.open();
		}
	}

	/** One listener method: its queue, and the thread it handles the queue's messages on. */
	private final class Listener implements MessageHandler {

		final String id;

		final String group;

		final @Nullable String givenQueue;

		final InvocableHandlerMethod method;

		final QueueListenerErrorHandler errorHandler;

		volatile boolean running;

		volatile @Nullable CompletableFuture<MessageQueue> queue;

		volatile @Nullable String queueName;

		/** Set while the listener stops: messages handed out but not started are left to move on. */
		private volatile boolean closing;

		private @Nullable ExecutorService worker;

		private volatile @Nullable Thread workerThread;

		private final AtomicLong delivered = new AtomicLong();

		private final AtomicLong acknowledged = new AtomicLong();

		private final AtomicLong failures = new AtomicLong();

		private final AtomicLong retries = new AtomicLong();

		private final AtomicLong kept = new AtomicLong();

		/** Kept messages the current queue holds; from zero when the queue opens. */
		private final AtomicLong held = new AtomicLong();

		private final AtomicLong acknowledgementFailures = new AtomicLong();

		Listener(Endpoint endpoint, InvocableHandlerMethod method, QueueListenerErrorHandler errorHandler) {
			this.id = endpoint.id();
			this.group = endpoint.group();
			this.givenQueue = endpoint.queue();
			this.method = method;
			this.errorHandler = errorHandler;
			this.running = endpoint.autoStartup();
		}

		/** Whether it runs and its queue is one the service closed, not this registry. */
		boolean closedByService() {
			CompletableFuture<MessageQueue> current = this.queue;
			return this.running && current != null && current.isDone() && !current.isCompletedExceptionally()
					&& !current.join().isOpen();
		}

		ListenerStatistics statistics() {
			CompletableFuture<MessageQueue> current = this.queue;
			boolean open = current != null && current.isDone() && !current.isCompletedExceptionally()
					&& current.join().isOpen();
			return new ListenerStatistics(this.group, this.queueName, this.delivered.get(), this.acknowledged.get(),
					this.failures.get(), this.retries.get(), this.kept.get(), this.held.get(),
					QueueListenerEndpointRegistry.this.settings.attributes().prefetch(), this.acknowledgementFailures.get(),
					this.running,
					open);
		}

		void open() {
			this.closing = false;
			// a new queue: what the old one held moved on with it
			this.held.set(0);
			ExecutorService thread = Executors.newSingleThreadExecutor((task) -> {
				Thread worker = new Thread(task, "msg-listener-" + this.id);
				worker.setDaemon(true);
				this.workerThread = worker;
				return worker;
			});
			this.worker = thread;
			MessageService service = QueueListenerEndpointRegistry.this.node.getNode().messages();
			String name = (this.givenQueue != null) ? this.givenQueue
					: this.group + "@" + QueueListenerEndpointRegistry.this.node.getNode().nodeId() + "/" + this.id;
			this.queueName = name;
			QueueSettings settings = QueueListenerEndpointRegistry.this.settings;
			CompletableFuture<MessageQueue> opened = service.ready()
				.toCompletableFuture()
				.thenCompose((ready) -> service.createGroup(this.group, settings.policy())
					.exceptionally((failure) -> {
						// another member created it first
						if (cause(failure) instanceof MessageException ex && ex.error() == MessageError.EXISTS) {
							return null;
						}
						throw (failure instanceof CompletionException completion) ? completion
								: new CompletionException(failure);
					}))
				.thenCompose((created) -> service.open(name, settings.attributes(), this.group, this));
			this.queue = opened;
			opened.whenComplete((queue, failure) -> {
				if (failure != null) {
					logger.error("Queue listener '{}' could not open queue '{}' in group '{}'", this.id, name, this.group,
							cause(failure));
				}
				else {
					logger.info("Queue listener '{}' opened queue '{}' in group '{}'", this.id, name, this.group);
				}
			});
		}

		void close() {
			this.closing = true;
			ExecutorService thread = this.worker;
			this.worker = null;
			// a listener that stops itself is on the thread: it cannot wait for it
			if (thread != null && Thread.currentThread() == this.workerThread) {
				thread.shutdown();
			}
			else if (thread != null) {
				thread.shutdown();
				try {
					if (!thread.awaitTermination(STOP_MILLIS, TimeUnit.MILLISECONDS)) {
						logger.warn("Queue listener '{}' did not finish its message within {} ms; its queue closes anyway",
								this.id, STOP_MILLIS);
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			CompletableFuture<MessageQueue> current = this.queue;
			this.queue = null;
			if (current == null) {
				return;
			}
			if (!current.isDone()) {
				// it opens later: close it then, its messages unhandled
				current.thenAccept(MessageQueue::closeQueue);
				return;
			}
			if (!current.isCompletedExceptionally()) {
				MessageQueue open = current.join();
				if (open.isOpen()) {
					try {
						open.closeQueue().get(STOP_MILLIS, TimeUnit.MILLISECONDS);
					}
					catch (ExecutionException | TimeoutException ex) {
						logger.debug("Closing queue '{}' did not complete: {}", open.name(), ex.toString());
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
			}
		}

		// ---- on the service's callback thread: hands over, never waits

		@Override
		public void onMessage(MessageQueue queue, Delivery delivery) {
			ExecutorService thread = this.worker;
			if (thread == null || this.closing) {
				// unacknowledged, it moves on when the queue closes
				return;
			}
			try {
				thread.execute(() -> handle(queue, delivery));
			}
			catch (RejectedExecutionException stopping) {
				// the listener is stopping: unacknowledged, the message moves on when the queue closes
			}
		}

		// ---- on the listener's thread

		private void handle(MessageQueue queue, Delivery delivery) {
			if (this.closing) {
				return;
			}
			Message<byte[]> message = Payloads.unframe(delivery.payload())
				.setHeader(QueueHeaders.MESSAGE_ID, delivery.id())
				.setHeader(QueueHeaders.QUEUE, delivery.queue())
				.setHeader(QueueHeaders.GROUP, this.group)
				.setHeader(QueueHeaders.PRIORITY, delivery.priority())
				.setHeader(QueueHeaders.MOVED, delivery.moved())
				.setHeader(QueueHeaders.REPLY_EXPECTED, delivery.replyExpected())
				.setHeader(QueueHeaders.SENDER_NODE, delivery.senderNode())
				.build();
			ObservationRegistry registry = QueueListenerEndpointRegistry.this.observations;
			if (registry.isNoop()) {
				handle(queue, delivery, message);
			}
			else {
				MessagingObservations.receive(registry, RECEIVE, "msg", MessageQueueTemplate.DESTINATION, this.group,
						message).observe(() -> handle(queue, delivery, message));
			}
		}

		private void handle(MessageQueue queue, Delivery delivery, Message<byte[]> message) {
			this.delivered.incrementAndGet();
			Retries.Outcome outcome = Retries.invoke(this.method, message, this.errorHandler.backOff(),
					() -> this.running && !this.closing, this.retries::incrementAndGet);
			Throwable failure = outcome.failure();
			if (failure == null) {
				try {
					if (delivery.replyExpected()) {
						Object returned = outcome.returned();
						byte[] reply = (returned != null)
								? Payloads.toBytes(QueueListenerEndpointRegistry.this.converter, returned, "a reply")
								: new byte[0];
						acknowledge(queue.reply(delivery, reply), delivery);
					}
					else {
						acknowledge(queue.acknowledge(delivery), delivery);
					}
					return;
				}
				catch (RuntimeException ex) {
					failure = ex;
				}
			}
			this.failures.incrementAndGet();
			QueueListenerErrorHandler.Decision decision;
			try {
				decision = this.errorHandler.handleError(queue.name(), message, failure);
			}
			catch (RuntimeException ex) {
				logger.error("The error handler of queue listener '{}' failed; message {} stays unacknowledged", this.id,
						delivery.id(), ex);
				decision = QueueListenerErrorHandler.Decision.KEEP;
			}
			if (decision == QueueListenerErrorHandler.Decision.ACKNOWLEDGE) {
				acknowledge(queue.acknowledge(delivery), delivery);
			}
			else {
				this.kept.incrementAndGet();
				this.held.incrementAndGet();
			}
		}

		private void acknowledge(CompletableFuture<Void> acknowledgement, Delivery delivery) {
			acknowledgement.whenComplete((done, failure) -> {
				if (failure == null) {
					this.acknowledged.incrementAndGet();
				}
				else {
					this.acknowledgementFailures.incrementAndGet();
					logger.warn("The acknowledgement of message {} by queue listener '{}' failed ({}): it may be handed "
							+ "out again, with the same id", delivery.id(), this.id, cause(failure).toString());
				}
			});
		}

	}

	private static Throwable cause(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
