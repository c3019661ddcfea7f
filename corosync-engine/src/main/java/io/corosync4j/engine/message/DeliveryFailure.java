package io.corosync4j.engine.message;

/**
 * A message this member sent that could not be kept anywhere and came back: its queue's consumer left
 * (or closed it) with no other queue of its group to take it and the queue was not persistent, or a
 * persistent queue's retention ran out. Given to the service's delivery-failure listener.
 */
public record DeliveryFailure(long id, int priority, byte[] payload, String reason) {
}
