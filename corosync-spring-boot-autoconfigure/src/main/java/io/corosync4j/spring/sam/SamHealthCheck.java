package io.corosync4j.spring.sam;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.corosync4j.engine.sam.SamFlag;
import io.corosync4j.engine.sam.SamPolicy;

/**
 * Makes a bean method an event-driven SAM health check: SAM calls it twice per interval; returning
 * {@code false} (or a {@code Health} that is not UP), throwing or hanging sends no heartbeat. A missed
 * interval warns, the next recovers the component: RESTART stops and starts the bean when it is a {@code
 * Lifecycle} (its instance id goes up either way), QUIT moves liveness to BROKEN.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SamHealthCheck {

	/** The component's name; {@code <bean>.<method>} when empty. */
	String name() default "";

	/** The health-check interval, such as {@code 5s} or {@code 500ms}. */
	String interval() default "5s";

	/** What a failure leads to. */
	SamPolicy policy() default SamPolicy.RESTART;

	/** QUORUM (start only when quorate, quorum loss is a failure) and CMAP (publish the state in CMAP). */
	SamFlag[] flags() default {};

}
