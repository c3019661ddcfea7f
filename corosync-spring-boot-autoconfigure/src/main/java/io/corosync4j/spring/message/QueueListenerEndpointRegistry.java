package io.corosync4j.spring.message;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
import io.corosync4j.spring.messaging.AbstractListenerEndpointRegistry;
import io.corosync4j.spring.messaging.ListenerEndpoint;
import io.corosync4j.spring.messaging.Payloads;
import io.corosync4j.spring.messaging.Retries;
import io.corosync4j.spring.messaging.StateWatch;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <p>
 * A listener started by id opens its queue in the group; one stopped by id finishes the message it is on,
 * then its queue closes and what it had not acknowledged moves to the group's other queues (or waits, for
 * a persistent queue).
 */
public class QueueListenerEndpointRegistry extends AbstractListenerEndpointRegistry<QueueListenerEndpointRegistry.Endpoint, QueueListenerEndpointRegistry.Listener, QueueListenerEndpointRegistry.ListenerStatistics> {

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
			@Nullable String errorHandler, String id, boolean autoStartup) implements ListenerEndpoint {
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

	private final MessageConverter converter;

	private final QueueListenerErrorHandler defaultErrorHandler;

	private final Function<String, QueueListenerErrorHandler> namedErrorHandlers;

	private final QueueSettings settings;

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
		super("queue listener", "msg-listener-watch", WATCH_INTERVAL, methodFactory, observations);
		this.node = node;
		this.converter = converter;
		this.defaultErrorHandler = defaultErrorHandler;
		this.namedErrorHandlers = namedErrorHandlers;
		this.settings = settings;
	}

	/** Completes once every running listener's queue is open in its group; fails if one could not be opened. */
	public CompletableFuture<Void> opened() {
		return allRunning((listener) -> listener.queue);
	}

	@Override
	protected Listener createListener(Endpoint endpoint, InvocableHandlerMethod method) {
		return new Listener(endpoint, method, errorHandler(endpoint, this.defaultErrorHandler, this.namedErrorHandlers));
	}

	@Override
	protected void startListeners(StateWatch watch) {
		runningListeners().forEach(Listener::open);
		watch.repeat(this::reopenClosedQueues);
	}

	@Override
	protected void stopListeners() {
		listeners().forEach(Listener::close);
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
		List<Listener> closed = runningListeners().stream().filter(Listener::closedByService).toList();
		if (!isRunning() || closed.isEmpty()) {
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
	final class Listener extends RegisteredListener<ListenerStatistics> implements MessageHandler {

		final String group;

		final @Nullable String givenQueue;

		final InvocableHandlerMethod method;

		final QueueListenerErrorHandler errorHandler;

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
			super(endpoint);
			this.group = endpoint.group();
			this.givenQueue = endpoint.queue();
			this.method = method;
			this.errorHandler = errorHandler;
		}

		@Override
		protected void activate() {
			open();
		}

		@Override
		protected void deactivate() {
			close();
		}

		/** Whether it runs and its queue is one the service closed, not this registry. */
		boolean closedByService() {
			CompletableFuture<MessageQueue> current = this.queue;
			return this.running && current != null && current.isDone() && !current.isCompletedExceptionally()
					&& !current.join().isOpen();
		}

		@Override
		protected ListenerStatistics statistics() {
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
			observeReceive(RECEIVE, "msg", MessageQueueTemplate.DESTINATION, this.group, message,
					() -> handle(queue, delivery, message));
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
