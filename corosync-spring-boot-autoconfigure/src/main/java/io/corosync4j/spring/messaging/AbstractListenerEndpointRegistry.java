package io.corosync4j.spring.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.support.MessageHandlerMethodFactory;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;

/**
 * The bookkeeping shared by registries whose listener methods each run on their own: endpoints
 * registered before start, one listener per id made on the first start, starting and stopping them one by
 * one or all together. What a listener does to receive (subscribe, open a queue) is the subclass's.
 *
 * @param <E> the endpoint a listener is made from
 * @param <L> the listener
 * @param <S> a listener's counts
 */
public abstract class AbstractListenerEndpointRegistry<E extends ListenerEndpoint, L extends AbstractListenerEndpointRegistry.RegisteredListener<S>, S>
		implements SmartLifecycle {

	private final String kind;

	private final String watchName;

	private final Duration watchInterval;

	private final MessageHandlerMethodFactory methodFactory;

	private final ObservationRegistry observations;

	private final List<E> endpoints = new ArrayList<>();

	private final Map<String, L> listeners = new ConcurrentHashMap<>();

	private final List<Consumer<String>> creationListeners = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	/** Brings back, while running, what the service ended (each subclass decides what and when). */
	private volatile @Nullable StateWatch watch;

	/**
	 * @param kind how messages name a listener, e.g. {@code "queue listener"}
	 * @param watchName the name of the thread that brings back what the service ended
	 * @param watchInterval how often that thread looks
	 * @param methodFactory turns listener methods into invocable handlers (argument resolution, conversion)
	 * @param observations where deliveries are observed, or {@link ObservationRegistry#NOOP}
	 */
	protected AbstractListenerEndpointRegistry(String kind, String watchName, Duration watchInterval,
			MessageHandlerMethodFactory methodFactory, ObservationRegistry observations) {
		this.kind = kind;
		this.watchName = watchName;
		this.watchInterval = watchInterval;
		this.methodFactory = methodFactory;
		this.observations = observations;
	}

	/** Adds a listener method; it starts receiving when the registry starts. */
	public synchronized void register(E endpoint) {
		if (this.running) {
			throw new IllegalStateException("listeners must be registered before the registry starts");
		}
		this.endpoints.add(endpoint);
	}

	public synchronized List<E> getEndpoints() {
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
	public Map<String, S> getStatistics() {
		Map<String, S> statistics = new TreeMap<>();
		this.listeners.forEach((id, listener) -> statistics.put(id, listener.statistics()));
		return statistics;
	}

	/**
	 * Starts listener {@code id}; it receives at once if the registry runs.
	 * @throws IllegalArgumentException for an unknown id
	 */
	public synchronized void start(String id) {
		L listener = listener(id);
		if (!listener.running) {
			listener.running = true;
			if (this.running) {
				listener.activate();
			}
		}
	}

	/**
	 * Stops listener {@code id}: it receives no more until started again.
	 * @throws IllegalArgumentException for an unknown id
	 */
	public synchronized void stop(String id) {
		L listener = listener(id);
		listener.running = false;
		listener.deactivate();
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		// made once: ids, counts and meters outlive a stop and a restart
		if (this.listeners.isEmpty()) {
			for (E endpoint : this.endpoints) {
				InvocableHandlerMethod method = this.methodFactory.createInvocableHandlerMethod(endpoint.bean(),
						endpoint.method());
				if (this.listeners.putIfAbsent(endpoint.id(), createListener(endpoint, method)) != null) {
					throw new IllegalStateException("two " + this.kind + "s have the id '" + endpoint.id() + "'");
				}
			}
			this.listeners.keySet().forEach((id) -> this.creationListeners.forEach((listener) -> listener.accept(id)));
		}
		StateWatch started = new StateWatch(this.watchName, this.watchInterval);
		this.watch = started;
		this.running = true;
		startListeners(started);
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		StateWatch current = this.watch;
		if (current != null) {
			current.close();
			this.watch = null;
		}
		stopListeners();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Makes the listener of {@code endpoint}, once, as the registry first starts. */
	protected abstract L createListener(E endpoint, InvocableHandlerMethod method);

	/**
	 * Lets the running listeners receive, as the registry starts (under its lock, once it runs).
	 * @param watch brings back what the service ends; closed on stop
	 */
	protected abstract void startListeners(StateWatch watch);

	/** Ends every listener's receiving, as the registry stops (under its lock, once it does not run). */
	protected abstract void stopListeners();

	private L listener(String id) {
		L listener = this.listeners.get(id);
		if (listener == null) {
			throw new IllegalArgumentException("no " + this.kind + " '" + id + "'; there are " + this.listeners.keySet());
		}
		return listener;
	}

	protected Iterable<L> listeners() {
		return this.listeners.values();
	}

	/** The running listeners. */
	protected List<L> runningListeners() {
		return this.listeners.values().stream().filter((listener) -> listener.running).toList();
	}

	/** Completes once what {@code step} gives of each running listener does; fails if one of those fails. */
	protected CompletableFuture<Void> allRunning(Function<L, @Nullable CompletableFuture<?>> step) {
		return CompletableFuture.allOf(runningListeners().stream()
			.map(step)
			.filter((future) -> future != null)
			.toArray(CompletableFuture[]::new));
	}

	protected @Nullable StateWatch watch() {
		return this.watch;
	}

	/** Whether the registry runs and so does {@code listener}: while not, it should let go of what it holds. */
	protected boolean running(RegisteredListener<?> listener) {
		return this.running && listener.running;
	}

	/** Invokes {@code delivery} within a receive observation of {@code message}, unless none is kept. */
	protected void observeReceive(String name, String remoteService, String key, String source, Message<?> message,
			Runnable delivery) {
		if (this.observations.isNoop()) {
			delivery.run();
		}
		else {
			MessagingObservations.receive(this.observations, name, remoteService, key, source, message).observe(delivery);
		}
	}

	/** The handler {@code endpoint} names, or {@code fallback}. */
	protected static <H> H errorHandler(ListenerEndpoint endpoint, H fallback, Function<String, H> named) {
		String name = endpoint.errorHandler();
		return (name != null) ? named.apply(name) : fallback;
	}

	/** One listener method of a registry, by id; what it receives with is the subclass's. */
	protected abstract static class RegisteredListener<S> {

		public final String id;

		/** Whether it is started: not stopped through the registry. */
		protected volatile boolean running;

		protected RegisteredListener(ListenerEndpoint endpoint) {
			this.id = endpoint.id();
			this.running = endpoint.autoStartup();
		}

		protected abstract S statistics();

		/** Starts receiving: it was started while the registry runs. */
		protected abstract void activate();

		/** Stops receiving: it was stopped. */
		protected abstract void deactivate();

	}

}
