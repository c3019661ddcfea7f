package io.corosync4j.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.runtime.Membership;
import io.corosync4j.engine.service.votequorum.QuorumState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Turns the node's membership, synchronization and quorum callbacks, which run on its event loop, into
 * application events published on a thread of its own, one at a time in the order they happened. The
 * loop only hands them over; what came before (the previous ring, the last quorum) is kept on the
 * publishing thread.
 */
final class NodeEvents implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(NodeEvents.class);

	private final Object source;

	private final ApplicationEventPublisher publisher;

	private final ExecutorService thread = Executors.newSingleThreadExecutor((task) -> {
		Thread publishing = new Thread(task, "corosync-events");
		publishing.setDaemon(true);
		return publishing;
	});

	private List<Long> previousMembers = List.of();

	private @Nullable Boolean quorate;

	NodeEvents(Object source, ApplicationEventPublisher publisher) {
		this.source = source;
		this.publisher = publisher;
	}

	/** On the event loop: a new ring, or its synchronization completed. */
	void membershipChanged(Membership membership) {
		submit(() -> {
			if (membership.synced()) {
				return new CorosyncSynchronizedEvent(this.source, membership);
			}
			List<Long> joined = new ArrayList<>(membership.members());
			joined.removeAll(this.previousMembers);
			List<Long> left = new ArrayList<>(this.previousMembers);
			left.removeAll(membership.members());
			this.previousMembers = membership.members();
			return new CorosyncMembershipChangedEvent(this.source, membership, joined, left);
		});
	}

	/** On the event loop: published when quorate flips. */
	void quorumChanged(QuorumState state) {
		submit(() -> {
			Boolean before = this.quorate;
			this.quorate = state.quorate();
			return (before == null || before != state.quorate()) ? new CorosyncQuorumChangedEvent(this.source, state) : null;
		});
	}

	/** Publishes {@code event} after those before it (the node's failure or shutdown). */
	void publish(ApplicationEvent event) {
		submit(() -> event);
	}

	/** The state the node is in once it runs; dropped if a change was published already. */
	void quorumAtStart(QuorumState state) {
		submit(() -> {
			if (this.quorate != null) {
				return null;
			}
			this.quorate = state.quorate();
			return new CorosyncQuorumChangedEvent(this.source, state);
		});
	}

	private void submit(EventFactory factory) {
		try {
			this.thread.execute(() -> {
				ApplicationEvent event = factory.next();
				if (event == null) {
					return;
				}
				try {
					this.publisher.publishEvent(event);
				}
				catch (RuntimeException ex) {
					logger.error("A listener of {} failed", event.getClass().getSimpleName(), ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.debug("The node's events have stopped: {} not published", factory);
		}
	}

	/** Publishes what is waiting (bounded), then stops the thread. */
	@Override
	public void close() {
		this.thread.shutdown();
		try {
			if (!this.thread.awaitTermination(5, TimeUnit.SECONDS)) {
				this.thread.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.thread.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	/** Makes the event on the publishing thread, from what came before; {@code null} for none. */
	@FunctionalInterface
	private interface EventFactory {

		@Nullable ApplicationEvent next();

	}

}
