package io.corosync4j.spring.cpg;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that receives the messages of a CPG group, in the group's agreed order (the same
 * order on every member). The payload parameter may be {@code byte[]}, {@code String}, any type the
 * message converter can read (JSON by default) or a {@code Message<T>}; {@code @Header} parameters
 * receive {@link CpgHeaders}; a payload parameter annotated {@code @Valid} or {@code @Validated} is
 * validated with the application's {@code Validator} (Boot's, with {@code spring-boot-starter-validation})
 * and a failure goes to the error handler. Methods of one group run one at a time, off the node's event
 * loop, in the order every member delivers: there is no {@code concurrency}, as more threads would
 * break that order.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CpgListener {

	/**
	 * The CPG group (at most 128 bytes): {@code ${…}} placeholders are resolved, then a {@code #{…}} SpEL
	 * expression is evaluated.
	 */
	String group();

	/**
	 * The name of a {@link CpgListenerErrorHandler} bean that decides on this method's failures (retries and
	 * what follows them); the auto-configured one ({@code corosync.cpg.retry.*}, {@code corosync.cpg.recovery})
	 * when empty.
	 */
	String errorHandler() default "";

	/**
	 * The listener's id, for {@code CpgListenerEndpointRegistry.start(id)} and {@code stop(id)} (placeholders
	 * and SpEL resolved); {@code beanName.methodName} when empty.
	 */
	String id() default "";

	/**
	 * Whether the listener runs when the application starts ({@code "true"}, {@code "false"}, or a
	 * placeholder or expression that gives one); one that does not is started through the registry.
	 */
	String autoStartup() default "true";

	/**
	 * The name of the {@link CpgListenerContainerFactory} bean whose settings the group's container takes
	 * (listener queue, rejoining, default error handler, observation); {@code cpgListenerContainerFactory},
	 * built from {@code corosync.cpg.*}, when empty. The listeners of one group name the same.
	 */
	String containerFactory() default "";

}
