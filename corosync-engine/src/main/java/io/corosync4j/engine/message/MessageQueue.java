package io.corosync4j.engine.message;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * This process's open queue: it is the queue's consumer, handed its messages through the prefetch
 * window. Closing it (or the process leaving) gives its messages up as {@link MessageService} describes.
 * Thread-safe.
 */
public final class MessageQueue implements AutoCloseable {

	final MessageService service;

	final String name;

	final QueueAttributes attributes;

	final MessageHandler handler;

	private volatile boolean open = true;

	private volatile @Nullable MessageError closedBy;

	MessageQueue(MessageService service, String name, QueueAttributes attributes, MessageHandler handler) {
		this.service = service;
		this.name = name;
		this.attributes = attributes;
		this.handler = handler;
	}

	public String name() {
		return this.name;
	}

	public QueueAttributes attributes() {
		return this.attributes;
	}

	/**
	 * Acknowledges a message: it is removed at the acknowledgement's point of the order and never handed
	 * to anybody again once the future completed (it completes when the acknowledgement is safe, as a
	 * send does). Fails {@link MessageError#NOT_FOUND} if it is no longer in this queue (moved
	 * after this process lost its state, or acknowledged already).
	 */
	public CompletableFuture<Void> acknowledge(Delivery delivery) {
		return this.service.acknowledge(this, delivery.id(), null);
	}

	/** Acknowledges a request and sends {@code reply} to its sender. */
	public CompletableFuture<Void> reply(Delivery delivery, byte[] reply) {
		return this.service.acknowledge(this, delivery.id(), reply.clone());
	}

	/** Whether this handle is open. */
	public boolean isOpen() {
		return this.open;
	}

	/** Why the handle was closed by the service ({@link MessageError#NO_QUORUM}, {@link MessageError#CLOSED}), or {@code null}. */
	public @Nullable MessageError closedBy() {
		return this.closedBy;
	}

	/** Closes the queue: completes once the close was applied. */
	public CompletableFuture<Void> closeQueue() {
		return this.service.close(this);
	}

	@Override
	public void close() {
		closeQueue();
	}

	void closed(@Nullable MessageError why) {
		this.open = false;
		this.closedBy = why;
	}

	@Override
	public String toString() {
		return "queue '" + this.name + "'";
	}

}
