package io.corosync4j.spring.message;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a worker of a queue group: the container opens a queue of its own in the group
 * (creating the group, with {@code corosync.messages.listener.group-policy}, if it does not exist), and
 * each message sent to the group goes to one queue, so to one worker in the cluster. The message is
 * acknowledged when the method returns; for a request the return value, converted, is the reply. A
 * method that throws is retried ({@code corosync.messages.retry.*}), then the error handler decides:
 * by default the message stays unacknowledged and is handed out again when the queue closes
 * ({@code corosync.messages.recovery}). Delivery is at least once: a message whose worker stopped
 * before acknowledging it is handed to another, with the same {@link QueueHeaders#MESSAGE_ID id} and
 * {@link QueueHeaders#MOVED moved} set. Parameters are resolved as for {@code @CpgListener}. Each
 * listener has a thread of its own; its queue hands it at most {@code corosync.messages.listener.prefetch}
 * unacknowledged messages at a time.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface QueueListener {

	/** The queue group (1 to 256 bytes of UTF-8), placeholders and SpEL resolved. */
	String group();

	/**
	 * The listener's queue, unique in the cluster; {@code <group>@<node id>/<listener id>} when empty. Two
	 * applications on one node with the same listener each name one. A persistent queue keeps its name
	 * across restarts, so its messages wait for the restarted listener.
	 */
	String queue() default "";

	/**
	 * The name of a {@link QueueListenerErrorHandler} bean deciding on this method's failures; the
	 * auto-configured {@code queueListenerErrorHandler} when empty.
	 */
	String errorHandler() default "";

	/** The listener's id for the registry's {@code start(id)} and {@code stop(id)}; {@code beanName.methodName} when empty. */
	String id() default "";

	/** Whether the listener opens its queue when the application starts ({@code "true"}, {@code "false"}, or a placeholder). */
	String autoStartup() default "true";

}
