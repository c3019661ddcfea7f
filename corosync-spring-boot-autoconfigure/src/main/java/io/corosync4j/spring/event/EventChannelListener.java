package io.corosync4j.spring.event;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that receives the events of a channel its filters match, in the agreed order (two
 * listeners anywhere in the cluster see the events they both receive in the same order). The channel is
 * created if it does not exist. Parameters are resolved as for {@code @CpgListener}: the payload as
 * {@code byte[]}, {@code String}, anything the message converter reads (JSON by default) or a
 * {@code Message<T>}, {@code @Header} parameters from {@link EventHeaders} and the headers the publisher
 * sent; {@code @Valid} payloads are validated. Each listener has a thread of its own and a bounded queue
 * ({@code corosync.events.listener-queue}): one that falls behind loses the oldest events waiting and is
 * told how many in the {@link EventHeaders#LOST} header of the next.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EventChannelListener {

	/** The channel (1 to 256 bytes of UTF-8), placeholders and SpEL resolved. */
	String channel();

	/** The filters, tested against the events' patterns by position; none: every event of the channel. */
	EventChannelFilter[] filters() default {};

	/**
	 * The name of a {@code ListenerErrorHandler} bean deciding on this method's failures (its back-off
	 * and what follows); the auto-configured {@code eventChannelListenerErrorHandler} when empty.
	 */
	String errorHandler() default "";

	/** The listener's id for the registry's {@code start(id)} and {@code stop(id)}; {@code beanName.methodName} when empty. */
	String id() default "";

	/** Whether the listener subscribes when the application starts ({@code "true"}, {@code "false"}, or a placeholder). */
	String autoStartup() default "true";

}
